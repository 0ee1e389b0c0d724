import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { enqueue } from "~/jobs/enqueue.server";
import { type EmailTemplateKey, emailLogs } from "./schema";

export interface IntendedEmail {
  templateKey: EmailTemplateKey;
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
export async function queueEmail(tx: Executor, email: IntendedEmail, options: { runAt?: Date } = {}): Promise<string> {
  const [row] = await tx
    .insert(emailLogs)
    .values({ ...email, status: "queued" })
    .returning({ id: emailLogs.id });
  if (!row) throw new Error("email_logs insert returned no row");
  await enqueue(tx, "send_email", { emailLogId: row.id }, options);
  return row.id;
}
