import type { RequestContext } from "~/context";
import { escapeHtml } from "~/html";

/** A minimal localized page for refusals decided before React Router runs (400, 403, 404, 500). */
export function errorPageHtml(
  context: Pick<RequestContext, "locale" | "i18n">,
  code: "badRequest" | "forbidden" | "notFound" | "server" | "tooManyRequests",
): string {
  const { t } = context.i18n;
  const title = t(`common:errors.${code}.title`);
  const body = t(`common:errors.${code}.body`);
  return `<!doctype html><html lang="${context.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p><a href="/">${escapeHtml(t("common:errors.backHome"))}</a></p></main></body></html>`;
}
