import { matchRoutes, type RouteObject, type ServerBuild } from "react-router";
import type { RouteHandle } from "./route-handle";

export interface MatchedRoute {
  /** The matched routes' handles merged, the layouts' first. */
  handle: RouteHandle;
  /** What the logs show: the route's pattern when a secret sits in the path, else the path itself. */
  loggablePath: string;
}

export type RouteTable = (pathname: string) => MatchedRoute;

/**
 * The app's routes as React Router matches them (case-insensitive unless a route says otherwise),
 * so the pipeline's rules follow routes.ts rather than string prefixes.
 */
export function routeTable(build: ServerBuild): RouteTable {
  const children = new Map<string | undefined, RouteObject[]>();
  const handles = new Map<string, RouteHandle>();
  for (const route of Object.values(build.routes)) {
    if (!route) continue;
    handles.set(route.id, (route.module.handle as RouteHandle | undefined) ?? {});
    const siblings = children.get(route.parentId) ?? [];
    siblings.push(
      route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive },
    );
    children.set(route.parentId, siblings);
  }
  const attach = (routes: RouteObject[]): RouteObject[] =>
    routes.map((route) =>
      route.index ? route : { ...route, children: attach(children.get(route.id as string) ?? []) },
    );
  const tree = attach(children.get(undefined) ?? []);
  // matchRoutes flattens and ranks the whole tree on every call: a fifth of a storefront GET's CPU.
  const known = new Map<string, MatchedRoute>();

  return (pathname) => {
    let matched = known.get(pathname);
    if (!matched) {
      matched = match(pathname);
      // Paths carry card tokens, so the set is open-ended: bounded, forgotten wholesale when full.
      if (known.size >= maxKnownPaths) known.clear();
      known.set(pathname, matched);
    }
    return matched;
  };

  function match(pathname: string): MatchedRoute {
    const path = routePathname(pathname);
    const matches = matchRoutes(tree, path) ?? [];
    const handle: RouteHandle = {};
    const secretParams: string[] = [];
    for (const match of matches) {
      const own = handles.get(match.route.id as string) ?? {};
      if (own.surface) handle.surface = own.surface;
      if (own.private) handle.private = true;
      secretParams.push(...(own.secretParams ?? []));
    }
    if (secretParams.length > 0) handle.secretParams = secretParams;
    const params = matches.at(-1)?.params ?? {};
    const hidesSecret = secretParams.some((name) => params[name] !== undefined);
    const pattern = `/${matches
      .map((match) => match.route.path)
      .filter(Boolean)
      .join("/")}`;
    return { handle, loggablePath: hidesSecret ? pattern : path };
  }
}

const maxKnownPaths = 1_000;

/** React Router's data requests name the page's path with a `.data` suffix (`/_root.data` for `/`). */
function routePathname(pathname: string): string {
  if (!pathname.endsWith(".data")) return pathname;
  const page = pathname.slice(0, -".data".length);
  return page === "/_root" ? "/" : page;
}
