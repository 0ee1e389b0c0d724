import type { Resource } from "i18next";
import type { Surface } from "~/i18n/i18n";

export const i18nScriptId = "rf-i18n";

/** Serialized once per locale and surface: the strings never change while the process runs (~17 KB each). */
const serialized = new Map<string, string>();

/** The locale and its page strings, for the browser's i18next instance (JSON: not executed, CSP-safe). */
export function I18nPayload({
  locale,
  surface,
  resources,
}: {
  locale: string;
  surface: Surface;
  resources: () => Resource[string];
}) {
  const key = `${locale}:${surface}`;
  let json = serialized.get(key);
  if (json === undefined) {
    json = JSON.stringify({ locale, surface, resources: resources() }).replace(/</g, "\\u003c");
    serialized.set(key, json);
  }
  return (
    <script
      id={i18nScriptId}
      type="application/json"
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}
