import "./zod-config";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import { type ErrorCode, errorPageOf } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { surfaceNamespaces } from "~/i18n/i18n";
import { I18nPayload, SubmitOnceScript, surfaceHydrates } from "~/ui/document";
import { useNonce, useSurface } from "~/ui/nonce";
import type { Route } from "./+types/root";
import stylesheet from "./styles.css?url";

/** The document frame renders from the locale, surface and nonce alone (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  const nonce = useNonce();
  const surface = useSurface();
  const locale = i18n.language;
  const namespaces = surfaceNamespaces[surface];
  const resources = () => Object.fromEntries(namespaces.map((ns) => [ns, i18n.getResourceBundle(locale, ns) ?? {}]));
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {/* Stylesheets need no nonce (style-src 'self'). An empty one, because React Router would add the
            server's, and the browser (which hides nonces) then hydrates a different attribute. */}
        <Links nonce="" />
      </head>
      <body>
        {children}
        {surfaceHydrates(surface) ? (
          <>
            <I18nPayload locale={locale} surface={surface} resources={resources} />
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : (
          <SubmitOnceScript nonce={nonce} />
        )}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Every DomainError code (`app/errors.ts`) has a title and body under `common:errors`. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  let code: ErrorCode | "server" = "server";
  let store = "";
  if (isRouteErrorResponse(error)) ({ code, store } = errorPageOf(error));
  const title = t(`errors.${code}.title`);
  return (
    <main id="main" className="page page-narrow error-page">
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{t(`errors.${code}.body`, { store })}</p>
      <p>
        <a href="/">{t("errors.backHome")}</a>
      </p>
    </main>
  );
}
