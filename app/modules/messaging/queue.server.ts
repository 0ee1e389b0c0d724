import { eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { enqueue } from "~/jobs/enqueue.server";
import { customers } from "~/modules/loyalty/schema";
import { emailJobPriority, type TemplateCopy } from "./catalog";
import { type EmailTemplateKey, emailLogs } from "./schema";

/** Emails a customer can turn off with the one-click unsubscribe link. */
export type ReminderKey = "loyalty_points_expiring";

export interface IntendedEmail<K extends EmailTemplateKey = Exclude<EmailTemplateKey, ReminderKey>> {
  templateKey: K;
  locale: Locale;
  recipient: string;
  merchantId?: string | null;
  storeId?: string | null;
  customerId?: string | null;
  cardId?: string | null;
  userId?: string | null;
  /** Render inputs beyond the linked records (a reward id, a preview draft); checked when rendering. */
  params?: Record<string, unknown>;
}

/**
 * Records an email that must go out and its delivery job, on the caller's transaction:
 * roll the business change back and neither exists; commit it and both do.
 */
export function queueEmail(
  tx: Executor,
  email: IntendedEmail,
  options: { delaySeconds?: number } = {},
): Promise<string> {
  return recordEmail(tx, email, options);
}

async function recordEmail(
  tx: Executor,
  email: IntendedEmail<EmailTemplateKey>,
  options: { delaySeconds?: number },
): Promise<string> {
  const [row] = await tx
    .insert(emailLogs)
    .values({ ...email, status: "queued" })
    .returning({ id: emailLogs.id });
  if (!row) throw new Error("email_logs insert returned no row");
  await enqueue(
    tx,
    "send_email",
    { emailLogId: row.id },
    { ...options, priority: emailJobPriority(email.templateKey) },
  );
  return row.id;
}

/**
 * Queues a reminder unless its customer turned reminders off (the check runs on the caller's
 * transaction, so an unsubscribe that committed first always wins). Null when nothing was queued.
 */
export async function queueReminder(
  tx: Executor,
  email: IntendedEmail<ReminderKey> & { customerId: string },
): Promise<string | null> {
  const [customer] = await tx
    .select({ optedOutAt: customers.remindersOptedOutAt })
    .from(customers)
    .where(eq(customers.id, email.customerId));
  if (!customer || customer.optedOutAt) return null;
  return recordEmail(tx, email, {});
}

/** A template preview for an admin's mailbox: the draft copy rendered with sample data. */
export function queuePreview(
  tx: Executor,
  preview: { templateKey: EmailTemplateKey; locale: Locale; recipient: string; userId: string; draft: TemplateCopy },
): Promise<string> {
  const { draft, ...email } = preview;
  return recordEmail(tx, { ...email, params: { preview: draft } }, {});
}
