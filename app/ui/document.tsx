import type { Resource } from "i18next";

export const i18nScriptId = "rf-i18n";

/** The locale and its page strings, for the browser's i18next instance (JSON: not executed, CSP-safe). */
export function I18nPayload({ locale, resources }: { locale: string; resources: Resource[string] }) {
  const json = JSON.stringify({ locale, resources }).replace(/</g, "\\u003c");
  return (
    <script
      id={i18nScriptId}
      type="application/json"
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}
