import { escapeHtml } from "~/html";
import type { Locale } from "~/i18n/locales";
import type { RenderedEmail } from "./render.server";

const headers = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };

/** Inline images travel as CID attachments; a browser frame needs them as data URLs instead. */
function inlineImages(html: string, attachments: RenderedEmail["attachments"]): string {
  return attachments.reduce(
    (out, attachment) =>
      out
        .split(`cid:${attachment.cid}`)
        .join(`data:${attachment.contentType};base64,${attachment.content.toString("base64")}`),
    html,
  );
}

/** Puts a one-line banner (the subject) at the top of the email's body, outside its own layout. */
function withBanner(html: string, banner: string): string {
  const line = `<p style="margin:0;padding:8px 12px;background:#fff;border-bottom:1px solid #d4d4d8;font:14px/1.4 Helvetica,Arial,sans-serif;color:#18181b">${escapeHtml(banner)}</p>`;
  return /<body[^>]*>/i.test(html) ? html.replace(/<body[^>]*>/i, (tag) => `${tag}${line}`) : `${line}${html}`;
}

/**
 * Documents the console shows in a frame (template previews, the email log viewer). They are
 * served under the locked-down policy of `emailDocumentPath` (no scripts, framed by us only).
 */
export const emailDocument = {
  email(rendered: Pick<RenderedEmail, "html" | "attachments">, banner: string): Response {
    return new Response(withBanner(inlineImages(rendered.html, rendered.attachments), banner), { headers });
  },
  /** What stops a document from being shown, in the staff member's language (`locale`, also its `lang`). */
  problems(locale: Locale, title: string, problems: string[], status: number): Response {
    const items = problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join("");
    const body = `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font:16px/1.5 Helvetica,Arial,sans-serif;color:#7f1d1d;padding:16px"><p><strong>${escapeHtml(title)}</strong></p><ul>${items}</ul></body></html>`;
    return new Response(body, { status, headers });
  },
};
