import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";
import { isLocale, locales } from "~/i18n/locales";
import { LanguageSwitcher } from "~/ui/language-switcher";
import type { Route } from "./+types/surface";
import { requireStorefront } from "./storefront/storefront.server";

export async function loader({ context }: Route.LoaderArgs) {
  if (context.tenant.kind === "platform") {
    return { kind: "platform" as const, locale: context.locale, languages: [...locales] };
  }
  const { store, program } = requireStorefront(context);
  return {
    kind: "store" as const,
    locale: context.locale,
    languages: store.enabledLanguages.filter(isLocale),
    store: { name: store.name, websiteUrl: store.websiteUrl },
    brandColor: program.brandColor,
  };
}

export default function Surface({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["common", "storefront"]);
  const name = loaderData.kind === "store" ? loaderData.store.name : t("appName");
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <a className="brand" href="/">
            {name}
          </a>
          {loaderData.kind === "store" ? (
            <nav aria-label={t("storefront:nav.main")} className="site-nav">
              <a href="/loyalty/join">{t("storefront:nav.join")}</a>
              <a href="/loyalty/card">{t("storefront:nav.findCard")}</a>
            </nav>
          ) : null}
          <LanguageSwitcher current={loaderData.locale} languages={loaderData.languages} />
        </div>
      </header>
      <Outlet />
      <footer className="site-footer">
        <p>{loaderData.kind === "store" ? t("poweredBy") : t("appName")}</p>
      </footer>
    </>
  );
}

export function shouldRevalidate() {
  return false;
}
