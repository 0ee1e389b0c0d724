import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Form, useLocation, useMatches } from "react-router";
import type { RouteHandle } from "~/http/route-handle";
import type { Locale } from "~/i18n/locales";

/** The intent a language button posts with the page's form: the action answers with the typed values. */
export const switchLanguageIntent = "switch-language";

/**
 * Plain links with `?lang=`: a full page load renders the whole page, and the browser remembers the
 * choice. With `saveAction` (signed-in staff) each language is a button that posts the choice to be
 * saved on the account: an explicit choice, not a link anyone could send. On a page whose handle
 * names a `languageKeepsForm`, each language is a button of that form instead, so what was typed
 * travels with the switch (a full page load, with or without JavaScript).
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
  const keptForm = useMatches()
    .map((match) => (match.handle as RouteHandle | undefined)?.languageKeepsForm)
    .findLast(Boolean);
  if (languages.length < 2) return null;
  const params = new URLSearchParams(location.search);
  params.delete("lang");
  const here = `${location.pathname}${params.size > 0 ? `?${params}` : ""}`;
  const hrefFor = (lang: Locale) => {
    const withLang = new URLSearchParams(params);
    withLang.set("lang", lang);
    return `${location.pathname}?${withLang}`;
  };
  const name = (lang: Locale) => <LanguageName lang={lang} />;
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
                  data-code={lang.toUpperCase()}
                  className="link-button"
                  aria-current={lang === current ? "true" : undefined}
                >
                  {name(lang)}
                </button>
              </li>
            ))}
          </ul>
        </Form>
      ) : (
        <ul>
          {languages.map((lang) => (
            <li key={lang}>
              {keptForm && lang !== current ? (
                <button
                  type="submit"
                  form={keptForm}
                  formAction={hrefFor(lang)}
                  formMethod="post"
                  formNoValidate
                  name="intent"
                  value={switchLanguageIntent}
                  lang={lang}
                  data-code={lang.toUpperCase()}
                  className="link-button"
                  onClick={submitAsDocument}
                >
                  {name(lang)}
                </button>
              ) : (
                <a
                  href={hrefFor(lang)}
                  hrefLang={lang}
                  lang={lang}
                  data-code={lang.toUpperCase()}
                  aria-current={lang === current ? "true" : undefined}
                >
                  {name(lang)}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

/**
 * The language's own name. On a phone the stylesheet shows the control's `data-code` (FR, DE…)
 * instead, as generated content without alternative text: the name stays the text and the
 * accessible name.
 */
function LanguageName({ lang }: { lang: Locale }) {
  const { t } = useTranslation("common");
  return <span className="language-name">{t(`languageNames.${lang}`)}</span>;
}

/**
 * With JavaScript the router would submit the form in the background, and the page's strings
 * would stay in the old language: submit it as a document instead, as the browser does without it.
 */
function submitAsDocument(event: MouseEvent<HTMLButtonElement>) {
  const button = event.currentTarget;
  const form = button.form;
  if (!form) return;
  event.preventDefault();
  const intent = document.createElement("input");
  intent.type = "hidden";
  intent.name = button.name;
  intent.value = button.value;
  form.append(intent);
  form.action = button.formAction;
  form.method = "post";
  HTMLFormElement.prototype.submit.call(form);
}
