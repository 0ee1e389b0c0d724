import { index, layout, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  // Staff surfaces, on the platform host only.
  layout("routes/platform/layout.tsx", [
    route("login", "routes/platform/login.tsx"),
    route("logout", "routes/platform/logout.tsx"),
    route("forgot-password", "routes/platform/forgot-password.tsx"),
    route("reset-password", "routes/platform/reset-password.tsx"),
    route("account/language", "routes/platform/language.tsx"),
    route("admin", "routes/admin/layout.tsx", [
      index("routes/admin/dashboard.tsx"),
      route("merchants", "routes/admin/merchants.tsx"),
      route("merchants/new", "routes/admin/merchant-edit.tsx", { id: "admin-merchant-new" }),
      route("merchants/:merchantId", "routes/admin/merchant-edit.tsx", { id: "admin-merchant-edit" }),
      route("stores", "routes/admin/stores.tsx"),
      route("stores/new", "routes/admin/store-edit.tsx", { id: "admin-store-new" }),
      route("stores/:storeId", "routes/admin/store-edit.tsx", { id: "admin-store-edit" }),
      route("loyalty/programs", "routes/admin/programs.tsx"),
      route("loyalty/programs/new", "routes/admin/program-edit.tsx", { id: "admin-program-new" }),
      route("loyalty/programs/:programId", "routes/admin/program-edit.tsx", { id: "admin-program-edit" }),
      route("cards", "routes/admin/cards.tsx"),
      route("cards/:cardId", "routes/admin/card.tsx"),
      route("cards/:cardId/customer-data", "routes/admin/customer-data.tsx"),
      route("users", "routes/admin/users.tsx"),
      route("users/new", "routes/admin/user-edit.tsx", { id: "admin-user-new" }),
      route("users/:userId", "routes/admin/user-edit.tsx", { id: "admin-user-edit" }),
      route("email-templates", "routes/admin/email-templates.tsx"),
      route("email-templates/:key/:locale", "routes/admin/email-template-edit.tsx"),
      route("email-logs", "routes/admin/email-logs.tsx"),
      route("email-logs/:emailLogId", "routes/admin/email-log.tsx"),
      route("settings", "routes/admin/settings.tsx"),
    ]),
    route("merchant", "routes/merchant/layout.tsx", [
      index("routes/merchant/home.tsx"),
      route("cards", "routes/merchant/cards.tsx"),
      route("cards/:cardId", "routes/merchant/card.tsx"),
      route("cards/:cardId/customer-data", "routes/merchant/customer-data.tsx"),
      route("analytics", "routes/merchant/analytics.tsx"),
      route("stores", "routes/merchant/stores.tsx"),
    ]),
    route("merchant/cards.csv", "routes/merchant/cards-csv.tsx"),
    route("admin/cards/:cardId/customer-data/:format", "routes/admin/customer-data-download.tsx"),
    route("merchant/cards/:cardId/customer-data/:format", "routes/merchant/customer-data-download.tsx"),
    // Rendered emails for the console's frames, served under their own locked-down policy.
    route("admin/email-templates/:key/:locale/preview", "routes/admin/email-template-preview.tsx"),
    route("admin/email-logs/:emailLogId/html", "routes/admin/email-log-html.tsx"),
  ]),
  // A store's colours as a stylesheet (the CSP takes styles from 'self' only), on any host.
  route("brand/:file", "routes/storefront/brand-stylesheet.tsx"),
  // The host decides the rest: a store's storefront, or the platform's home page.
  layout("routes/surface.tsx", [
    index("routes/home.tsx"),
    route("loyalty/join", "routes/storefront/join.tsx"),
    route("loyalty/join/success", "routes/storefront/join-success.tsx"),
    route("loyalty/card", "routes/storefront/find-card.tsx"),
    route("loyalty/card/:token", "routes/storefront/card.tsx"),
    route("loyalty/unsubscribe/:token", "routes/storefront/unsubscribe.tsx"),
    route("privacy", "routes/storefront/privacy.tsx"),
    route("terms", "routes/storefront/terms.tsx"),
    route("*", "routes/not-found.tsx"),
  ]),
] satisfies RouteConfig;
