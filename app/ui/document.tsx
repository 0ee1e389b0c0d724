import type { Resource } from "i18next";
import type { Surface } from "~/i18n/i18n";

export const i18nScriptId = "rf-i18n";

/** The locale and its page strings, for the browser's i18next instance (JSON: not executed, CSP-safe). */
export function I18nPayload({
  locale,
  surface,
  resources,
}: {
  locale: string;
  surface: Surface;
  resources: Resource[string];
}) {
  const json = JSON.stringify({ locale, surface, resources }).replace(/</g, "\\u003c");
  return (
    <script
      id={i18nScriptId}
      type="application/json"
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}
