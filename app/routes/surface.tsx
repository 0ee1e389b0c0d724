import { useTranslation } from "react-i18next";
import { Outlet, useLocation } from "react-router";
import { isLocale, type Locale, locales } from "~/i18n/locales";
import type { Route } from "./+types/surface";
import { requireStorefront } from "./storefront/storefront.server";

export async function loader({ context }: Route.LoaderArgs) {
  if (context.tenant.kind === "platform") {
    return { kind: "platform" as const, locale: context.locale, languages: [...locales] };
  }
  const { store, program } = await requireStorefront(context);
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

/** Plain links with `?lang=`: a full page load renders the whole page, and the choice is remembered. */
function LanguageSwitcher({ current, languages }: { current: Locale; languages: Locale[] }) {
  const { t } = useTranslation(["common", "storefront"]);
  const location = useLocation();
  if (languages.length < 2) return null;
  const hrefFor = (lang: Locale) => {
    const params = new URLSearchParams(location.search);
    params.set("lang", lang);
    return `${location.pathname}?${params}`;
  };
  return (
    <nav aria-label={t("languageSwitcher.label")} className="language-switcher">
      <ul>
        {languages.map((lang) => (
          <li key={lang}>
            <a href={hrefFor(lang)} hrefLang={lang} lang={lang} aria-current={lang === current ? "true" : undefined}>
              {t(`languageNames.${lang}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function shouldRevalidate() {
  return false;
}
