import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, Outlet, useRouteLoaderData } from "react-router";
import { brandStylesheetPath } from "~/branding/theme";
import { type ErrorCode, errorPageOf } from "~/errors";
import type { RouteHandle } from "~/http/route-handle";
import { isLocale, locales } from "~/i18n/locales";
import { storeDescription } from "~/modules/tenancy/stores.server";
import { LanguageSwitcher } from "~/ui/language-switcher";
import type { Route } from "./+types/surface";
import { storefrontShell } from "./storefront/storefront.server";

/** The frame renders from its loader data and the URL alone (ADR 036). */
export const handle = { renderMemo: true } satisfies RouteHandle;

export async function loader({ context }: Route.LoaderArgs) {
  const { tenant, locale } = context;
  if (tenant.kind === "platform") {
    return { kind: "platform" as const, locale, languages: [...locales] };
  }
  if (tenant.kind === "unknown") {
    // The page itself answers 404; the frame offers the platform's directory of stores instead.
    return { kind: "unknown" as const, locale, languages: [...locales], platformUrl: context.config.platformOrigin };
  }
  const { store, merchant, program, loyaltyOffered } = storefrontShell(context);
  return {
    kind: "store" as const,
    locale,
    languages: store.enabledLanguages.filter(isLocale),
    store: { name: store.name, websiteUrl: store.websiteUrl },
    description: storeDescription(store, locale),
    loyaltyOffered,
    brand: program ? { stylesheet: brandStylesheetPath(program.brandColor), logoUrl: program.logoUrl } : null,
    termsUrl: program?.termsUrl ?? "/terms",
    privacyUrl: merchant.privacyUrl ?? "/privacy",
  };
}

type SurfaceData = Awaited<ReturnType<typeof loader>>;

export default function Surface({ loaderData }: Route.ComponentProps) {
  return (
    <SurfaceFrame data={loaderData}>
      <Outlet />
    </SurfaceFrame>
  );
}

/** Header (store name and logo in the store's colours, navigation, languages), the page, footer. */
function SurfaceFrame({ data, children }: { data: SurfaceData; children: ReactNode }) {
  const { t } = useTranslation(["common", "storefront"]);
  const store = data.kind === "store" ? data : null;
  const name = store ? store.store.name : t("appName");
  return (
    <>
      {store?.brand ? <link rel="stylesheet" href={store.brand.stylesheet} precedence="brand" /> : null}
      {store ? (
        <meta
          name="description"
          content={store.description || t("storefront:home.title", { store: store.store.name })}
        />
      ) : null}
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className={store ? "site-header store-header" : "site-header"}>
        <div className="site-header-inner">
          <a className="brand" href={data.kind === "unknown" ? data.platformUrl : "/"}>
            {store?.brand?.logoUrl ? (
              <img
                className="brand-logo"
                src={store.brand.logoUrl}
                alt=""
                width="40"
                height="40"
                referrerPolicy="no-referrer"
              />
            ) : null}
            <span>{name}</span>
          </a>
          {store?.loyaltyOffered ? (
            <nav aria-label={t("storefront:nav.main")} className="site-nav">
              <a href="/loyalty/join">{t("storefront:nav.join")}</a>
              <a href="/loyalty/card">{t("storefront:nav.findCard")}</a>
            </nav>
          ) : null}
          <LanguageSwitcher current={data.locale} languages={data.languages} />
        </div>
      </header>
      {children}
      <footer className="site-footer">
        {store?.loyaltyOffered ? (
          <ul className="footer-links">
            <li>
              <a href={store.termsUrl}>{t("storefront:storeFrame.terms")}</a>
            </li>
            <li>
              <a href={store.privacyUrl}>{t("storefront:storeFrame.privacy")}</a>
            </li>
            {store.store.websiteUrl ? (
              <li>
                <a href={store.store.websiteUrl} rel="noopener">
                  {t("storefront:storeFrame.website", { store: store.store.name })}
                </a>
              </li>
            ) : null}
          </ul>
        ) : null}
        <p>{store ? t("poweredBy") : t("appName")}</p>
      </footer>
    </>
  );
}

/**
 * A storefront page's refusal (loyalty off, unknown page or store) inside the store's own frame,
 * with a way onwards: the store's website, its home page, or the platform's directory of stores.
 */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation(["common", "storefront"]);
  const data = useRouteLoaderData<typeof loader>("routes/surface");
  let code: ErrorCode | "server" = "server";
  let storeName = "";
  if (isRouteErrorResponse(error)) ({ code, store: storeName } = errorPageOf(error));
  const title = t(`errors.${code}.title`);
  const content = (
    <main id="main" className="page page-narrow error-page">
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{t(`errors.${code}.body`, { store: storeName })}</p>
      <ErrorWayOn data={data} code={code} />
    </main>
  );
  return data ? <SurfaceFrame data={data}>{content}</SurfaceFrame> : content;
}

function ErrorWayOn({ data, code }: { data: SurfaceData | undefined; code: ErrorCode | "server" }) {
  const { t } = useTranslation(["common", "storefront"]);
  if (data?.kind === "unknown") {
    return (
      <p>
        <a href={data.platformUrl}>{t("storefront:storeFrame.storeDirectory")}</a>
      </p>
    );
  }
  return (
    <>
      {data?.kind === "store" && code === "loyaltyUnavailable" && data.store.websiteUrl ? (
        <p>
          <a href={data.store.websiteUrl} rel="noopener">
            {t("storefront:storeFrame.website", { store: data.store.name })}
          </a>
        </p>
      ) : null}
      <p>
        <a href="/">{t("errors.backHome")}</a>
      </p>
    </>
  );
}

export function shouldRevalidate() {
  return false;
}
