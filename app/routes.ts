import { index, layout, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  // Host decides the surface: a store's storefront or the platform.
  layout("routes/surface.tsx", [
    index("routes/home.tsx"),
    route("loyalty/join", "routes/storefront/join.tsx"),
    route("loyalty/join/success", "routes/storefront/join-success.tsx"),
    route("loyalty/card", "routes/storefront/find-card.tsx"),
    route("loyalty/card/:token", "routes/storefront/card.tsx"),
    route("*", "routes/not-found.tsx"),
  ]),
] satisfies RouteConfig;
