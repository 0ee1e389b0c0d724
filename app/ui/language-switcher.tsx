import { useTranslation } from "react-i18next";
import { Form, useLocation } from "react-router";
import type { Locale } from "~/i18n/locales";

/**
 * Plain links with `?lang=`: a full page load renders the whole page, and the browser remembers the
 * choice. With `saveAction` (signed-in staff) each language is a button that posts the choice to be
 * saved on the account: an explicit choice, not a link anyone could send.
 */
export function LanguageSwitcher({
  current,
  languages,
  saveAction,
}: {
  current: Locale;
  languages: Locale[];
  saveAction?: string;
}) {
  const { t } = useTranslation("common");
  const location = useLocation();
  if (languages.length < 2) return null;
  const params = new URLSearchParams(location.search);
  params.delete("lang");
  const here = `${location.pathname}${params.size > 0 ? `?${params}` : ""}`;
  const hrefFor = (lang: Locale) => {
    const withLang = new URLSearchParams(params);
    withLang.set("lang", lang);
    return `${location.pathname}?${withLang}`;
  };
  return (
    <nav aria-label={t("languageSwitcher.label")} className="language-switcher">
      {saveAction ? (
        <Form method="post" action={saveAction} reloadDocument>
          <input type="hidden" name="returnTo" value={here} />
          <ul>
            {languages.map((lang) => (
              <li key={lang}>
                <button
                  type="submit"
                  name="lang"
                  value={lang}
                  lang={lang}
                  className="link-button"
                  aria-current={lang === current ? "true" : undefined}
                >
                  {t(`languageNames.${lang}`)}
                </button>
              </li>
            ))}
          </ul>
        </Form>
      ) : (
        <ul>
          {languages.map((lang) => (
            <li key={lang}>
              <a href={hrefFor(lang)} hrefLang={lang} lang={lang} aria-current={lang === current ? "true" : undefined}>
                {t(`languageNames.${lang}`)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
