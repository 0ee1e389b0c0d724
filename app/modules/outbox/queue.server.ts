import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { addJob, enqueue } from "~/jobs/enqueue.server";
import { customers } from "~/modules/loyalty/schema";
import {
  type EmailTemplateKey,
  emailJobPriority,
  emailKinds,
  emailLinks,
  type NoticeKind,
  previewParams,
  type ReminderKind,
  type TemplateCopy,
} from "./kinds";
import { emailLogs } from "./schema";

type Kind<K extends EmailTemplateKey> = (typeof emailKinds)[K];
type LinksOf<K extends EmailTemplateKey> = z.input<(typeof emailLinks)[Kind<K>["audience"]]>;
type ParamsInput<K extends EmailTemplateKey> = z.input<Kind<K>["params"]>;
/** A kind without parameters takes none; any other must be given all of its own. */
type ParamsOf<K extends EmailTemplateKey> =
  Record<never, never> extends ParamsInput<K> ? { params?: ParamsInput<K> } : { params: ParamsInput<K> };

/** An email that must go out, typed by its kind: its linked ids (a card, a user) and its parameters. */
export type IntendedEmail<K extends EmailTemplateKey = EmailTemplateKey> = {
  [P in K]: { kind: P; locale: Locale; recipient: string } & LinksOf<P> & ParamsOf<P>;
}[K];

/** An email refused before anything was written: its ids or parameters do not fit its kind. */
export class InvalidEmailError extends Error {
  override name = "InvalidEmailError";
}

/**
 * Records an email that must go out and its delivery job, on the caller's transaction:
 * roll the business change back and neither exists; commit it and both do. Its ids and
 * parameters are checked against its kind first, so a wrong one fails here, not in the worker.
 */
export async function queueEmail(
  tx: Executor,
  email: IntendedEmail<NoticeKind>,
  options: { delaySeconds?: number } = {},
): Promise<string> {
  const checked = checkEmail(email);
  // A reminder queued here would skip the customer's opt-out: the type refuses it, and so does this.
  if (emailKinds[checked.kind].reminder) throw new InvalidEmailError(`email ${checked.kind}: use queueReminder`);
  return insertEmail(tx, checked, options);
}

/**
 * Queues a reminder unless its customer turned reminders off (the check runs on the caller's
 * transaction, so an unsubscribe that committed first always wins). Null when nothing was queued.
 */
export async function queueReminder(tx: Executor, email: IntendedEmail<ReminderKind>): Promise<string | null> {
  const checked = checkEmail(email);
  if (!emailKinds[checked.kind].reminder) throw new InvalidEmailError(`email ${checked.kind}: not a reminder`);
  const customerId = checked.links.customerId;
  if (!customerId) throw new InvalidEmailError(`email ${checked.kind}: a reminder needs its customer`);
  const [customer] = await tx
    .select({ optedOutAt: customers.remindersOptedOutAt })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!customer || customer.optedOutAt) return null;
  return insertEmail(tx, checked, {});
}

/** A template preview for an admin's mailbox: the draft copy rendered with sample data. */
export async function queuePreview(
  tx: Executor,
  preview: { kind: EmailTemplateKey; locale: Locale; recipient: string; userId: string; draft: TemplateCopy },
): Promise<string> {
  const { draft, userId, ...email } = preview;
  const row = { ...email, links: emailLinks.staff.parse({ userId }), params: previewParams.parse({ preview: draft }) };
  return insertEmail(tx, row, {});
}

interface CheckedEmail {
  kind: EmailTemplateKey;
  locale: Locale;
  recipient: string;
  links: Partial<Record<"merchantId" | "storeId" | "customerId" | "cardId" | "userId", string | null>>;
  params: Record<string, unknown>;
}

function checkEmail(email: IntendedEmail): CheckedEmail {
  const kind = emailKinds[email.kind];
  const links = emailLinks[kind.audience].safeParse(email);
  const params = kind.params.safeParse(email.params ?? {});
  if (!links.success || !params.success) {
    const issues = [...(links.error?.issues ?? []), ...(params.error?.issues ?? [])];
    throw new InvalidEmailError(
      `email ${email.kind}: ${issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
    );
  }
  return { kind: email.kind, locale: email.locale, recipient: email.recipient, links: links.data, params: params.data };
}

/** The row and its job in one statement: one round trip per email on the business transaction. */
async function insertEmail(tx: Executor, email: CheckedEmail, options: { delaySeconds?: number }): Promise<string> {
  const id = randomUUID();
  const row = tx.insert(emailLogs).values({
    id,
    templateKey: email.kind,
    locale: email.locale,
    recipient: email.recipient,
    ...email.links,
    params: email.params,
    status: "queued",
  });
  const job = addJob("send_email", { emailLogId: id }, { ...options, priority: emailJobPriority(email.kind) });
  await tx.execute(sql`with email as ${row} select ${job}`);
  return id;
}

/** Adds the delivery job of a row an admin set back to `queued`, on the same transaction. */
export function requeueEmail(tx: Executor, email: { id: string; templateKey: EmailTemplateKey }): Promise<void> {
  return enqueue(tx, "send_email", { emailLogId: email.id }, { priority: emailJobPriority(email.templateKey) });
}
