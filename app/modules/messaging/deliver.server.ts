import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import { renderEmail } from "./render.server";
import { emailLogs } from "./schema";
import type { EmailTransport } from "./transport.server";

export interface DeliveryDeps {
  db: Database;
  transport: EmailTransport;
  logger: AppLogger;
  platformOrigin: string;
}

export interface DeliveryAttempt {
  /** 1-based attempt of the job carrying this email. */
  attempt: number;
  maxAttempts: number;
}

/** A failure that retrying cannot fix (e.g. the SMTP server answered 5xx). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * Sends one queued email and records its fate. Idempotent: a row already `sent` is never sent
 * again. On failure the row goes back to `queued` (to be retried) or, on the last attempt or
 * a permanent SMTP error, to `failed`; transient errors are rethrown so the job retries.
 */
export async function deliverEmail(deps: DeliveryDeps, emailLogId: string, attempt: DeliveryAttempt): Promise<void> {
  const { db, transport, logger } = deps;
  const [log] = await db
    .update(emailLogs)
    .set({ status: "sending", attempts: sql`${emailLogs.attempts} + 1` })
    .where(and(eq(emailLogs.id, emailLogId), inArray(emailLogs.status, ["queued", "sending", "failed"])))
    .returning();
  if (!log) {
    logger.info({ emailLogId }, "email already sent or missing; nothing to do");
    return;
  }
  const route = { provider: transport.provider, smtpHost: transport.host, fromAddress: transport.from };
  try {
    const rendered = await renderEmail(db, log, deps.platformOrigin);
    const { messageId } = await transport.send({ emailLogId, to: log.recipient, ...rendered });
    await db
      .update(emailLogs)
      .set({
        ...route,
        status: "sent",
        subject: rendered.subject,
        html: rendered.stored?.html ?? rendered.html,
        text: rendered.stored?.text ?? rendered.text,
        messageId,
        lastError: null,
        sentAt: sql`now()`,
      })
      .where(eq(emailLogs.id, emailLogId));
    logger.info({ emailLogId, template: log.templateKey, messageId, provider: transport.provider }, "email sent");
  } catch (error) {
    const permanent = isPermanent(error);
    const lastAttempt = permanent || attempt.attempt >= attempt.maxAttempts;
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(emailLogs)
      .set({ ...route, status: lastAttempt ? "failed" : "queued", lastError: message.slice(0, 2000) })
      .where(eq(emailLogs.id, emailLogId));
    logger.warn(
      { emailLogId, template: log.templateKey, attempt: attempt.attempt, permanent, err: error },
      lastAttempt ? "email failed for good" : "email failed; will retry",
    );
    if (!lastAttempt) throw error;
  }
}
