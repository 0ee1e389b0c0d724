import type { Resource } from "i18next";
import type { Surface } from "~/i18n/i18n";

export const i18nScriptId = "rf-i18n";

/**
 * Whether a surface's pages run React in the browser (ADR 043). Storefront pages are plain HTML:
 * each of them works as links and forms answered by the server, and a shopper's phone pays for every
 * script it runs. The consoles and the counter terminal hydrate.
 */
export const surfaceHydrates = (surface: Surface): boolean => surface !== "storefront";

/**
 * The one script of a page that does not hydrate. A form is sent once: another tap within ten
 * seconds, while the first submission is on its way, is ignored, and the button pressed says it is
 * busy, as `SubmitButton` does where React runs. After ten seconds (the shopper may have stopped the
 * page) or on a page restored from the back-forward cache, the form can be sent again.
 */
const submitOnce = `addEventListener("submit", function (event) {
  var form = event.target;
  if (Date.now() - (form.sentAt || 0) < 10000) return event.preventDefault();
  form.sentAt = Date.now();
  if (event.submitter) event.submitter.setAttribute("aria-busy", "true");
});
addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  for (var form of document.forms) form.sentAt = 0;
  for (var button of document.querySelectorAll("[aria-busy]")) button.removeAttribute("aria-busy");
});`;

export function SubmitOnceScript({ nonce }: { nonce: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: submitOnce }} />;
}

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
