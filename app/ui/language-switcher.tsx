import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import type { Locale } from "~/i18n/locales";

/** Plain links with `?lang=`: a full page load renders the whole page, and the choice is remembered. */
export function LanguageSwitcher({ current, languages }: { current: Locale; languages: Locale[] }) {
  const { t } = useTranslation("common");
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
