import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { type EmailTemplateKey, emailKinds, previewParams, type TemplateCopy } from "~/modules/outbox/kinds";
import { fillPlain, parseBody, parsePlain } from "../../../emails/markup";
import { TransactionalEmail } from "../../../emails/transactional";
import { type DeliveryReads, directReads } from "./delivery-reads.server";
import {
  type Attachment,
  type EmailContent,
  type EmailLog,
  type EmailSender,
  type RenderContext,
  UnrenderableEmailError,
} from "./email-content.server";
import { emailKindRendering } from "./email-kinds.server";
import { templateVocabulary } from "./templates.server";

/** React Email's own plain-text options, compiled once: compiling them cost more than converting an email. */
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors });

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  attachments: Attachment[];
  unsubscribeUrl?: string;
  sender?: EmailSender;
  /** What email_logs keeps for the admin viewer when it must differ from what was sent (secrets redacted). */
  stored?: { subject: string; html: string; text: string };
}

/**
 * Renders a queued email in the row's locale: the stored copy, filled with what its kind loads
 * from the records the row points to (a preview row: its draft, filled with sample data).
 */
export async function renderEmail(
  db: Executor,
  log: EmailLog,
  context: RenderContext,
  reads: DeliveryReads = directReads(db),
): Promise<RenderedEmail> {
  const rendering = emailKindRendering(log.templateKey);
  if ("preview" in log.params) {
    const preview = previewParams.safeParse(log.params);
    if (!preview.success)
      throw new UnrenderableEmailError(`email ${log.id}: invalid preview (${preview.error.message})`);
    return composeEmail(log.templateKey, log.locale, preview.data.preview, await rendering.sample(log.locale, context));
  }
  // Rows can come from SQL or older code: the parameters are checked again before use.
  const params = emailKinds[log.templateKey].params.safeParse(log.params);
  if (!params.success) throw new UnrenderableEmailError(`email ${log.id}: invalid params (${params.error.message})`);
  // The copy and the records are independent reads: side by side, not one after the other.
  const [copy, content] = await Promise.all([
    reads.template(log.templateKey, log.locale),
    rendering.load(db, { ...log, params: params.data }, context),
  ]);
  if (!copy) throw new UnrenderableEmailError(`no email template ${log.templateKey} in ${log.locale}`);
  return composeEmail(log.templateKey, log.locale, copy, content);
}

/** The admin preview: a draft rendered with sample data, nothing read from or written to the database. */
export async function renderPreview(
  key: EmailTemplateKey,
  locale: Locale,
  copy: TemplateCopy,
  context: RenderContext,
): Promise<RenderedEmail> {
  return composeEmail(key, locale, copy, await emailKindRendering(key).sample(locale, context));
}

/** Copy + the kind's content + the layout → HTML and text, with one-time links redacted from the stored copy. */
async function composeEmail(
  key: EmailTemplateKey,
  locale: Locale,
  copy: TemplateCopy,
  content: EmailContent,
): Promise<RenderedEmail> {
  const vocabulary = templateVocabulary(key);
  const subject = parsePlain(copy.subject, vocabulary.plain);
  const preheader = parsePlain(copy.preheader, vocabulary.plain);
  const body = parseBody(copy.body, vocabulary.body);
  if (!subject.ok || !preheader.ok || !body.ok) {
    // Saved templates are checked on save; this guards rows written some other way.
    throw new UnrenderableEmailError(`email template ${key} (${locale}) is invalid`);
  }
  const values: Record<string, string> = content.values;
  const filledSubject = fillPlain(subject.value, values);
  const element = TransactionalEmail({
    lang: locale,
    title: filledSubject,
    ...content.frame,
    preheader: fillPlain(preheader.value, values),
    paragraphs: body.value,
    values,
    card: content.card,
    action: content.action,
    details: content.details,
  });
  const html = await render(element);
  const text = toPlainText(html);
  const rendered: RenderedEmail = {
    subject: filledSubject,
    html,
    text,
    attachments: content.attachments,
    unsubscribeUrl: content.unsubscribeUrl,
    sender: content.sender,
  };
  if (content.secrets.length > 0) {
    const redact = (value: string) =>
      content.secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), value);
    rendered.stored = { subject: redact(rendered.subject), html: redact(html), text: redact(text) };
  }
  return rendered;
}
