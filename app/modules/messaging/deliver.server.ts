import { and, eq, inArray, sql } from "drizzle-orm";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import { type EffectiveEmailConfig, effectiveEmailConfig, smtpEndpoint } from "./email-config.server";
import { renderEmail, UnrenderableEmailError } from "./render.server";
import { emailLogs } from "./schema";
import { EmailDeliveryError, type Mailer } from "./transport.server";

export interface DeliveryDeps {
  db: Database;
  config: Config;
  mailer: Mailer;
  logger: AppLogger;
}

export interface DeliveryAttempt {
  /** 1-based attempt of the job carrying this email. */
  attempt: number;
  maxAttempts: number;
}

export type DeliveryOutcome =
  | { status: "sent"; messageId: string; config: EffectiveEmailConfig }
  | { status: "queued" | "failed"; error: Error; config: EffectiveEmailConfig | null }
  | { status: "skipped" };

/** A failure that retrying cannot fix: the SMTP server refused (5xx, bad credentials) or the email cannot be built. */
function isPermanent(error: unknown): boolean {
  if (error instanceof UnrenderableEmailError) return true;
  if (error instanceof EmailDeliveryError) return error.permanent;
  return false;
}

/**
 * Sends one queued email with the effective configuration and records its fate on the row.
 * Idempotent: only a `queued` row (or a `sending` one whose worker died) is sent; a `sent` row never
 * again, a `failed` one only after an admin's retry puts it back to `queued`. On failure the row goes back to `queued`
 * (to be retried) or, on the last attempt or a permanent error, to `failed`.
 */
export async function deliverEmail(
  deps: DeliveryDeps,
  emailLogId: string,
  attempt: DeliveryAttempt,
): Promise<DeliveryOutcome> {
  const { db, logger } = deps;
  const [log] = await db
    .update(emailLogs)
    .set({ status: "sending", attempts: sql`${emailLogs.attempts} + 1` })
    .where(and(eq(emailLogs.id, emailLogId), inArray(emailLogs.status, ["queued", "sending"])))
    .returning();
  if (!log) {
    logger.info({ email: { id: emailLogId } }, "email already sent or missing; nothing to do");
    return { status: "skipped" };
  }
  let config: EffectiveEmailConfig | null = null;
  const route = () =>
    config ? { provider: config.provider, smtpHost: smtpEndpoint(config), fromAddress: config.fromAddress } : {};
  try {
    config = await effectiveEmailConfig(db, deps.config);
    const rendered = await renderEmail(db, log, {
      platformOrigin: deps.config.platformOrigin,
      appSecret: deps.config.APP_SECRET,
      emailConfig: config,
    });
    const { messageId } = await deps.mailer.send(config, { emailLogId, to: log.recipient, ...rendered });
    await db
      .update(emailLogs)
      .set({
        ...route(),
        status: "sent",
        subject: rendered.subject,
        html: rendered.stored?.html ?? rendered.html,
        text: rendered.stored?.text ?? rendered.text,
        messageId,
        lastError: null,
        sentAt: sql`now()`,
      })
      .where(eq(emailLogs.id, emailLogId));
    logger.info(
      { email: { id: emailLogId, template: log.templateKey, messageId, provider: config.provider } },
      "email sent",
    );
    return { status: "sent", messageId, config };
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const permanent = isPermanent(error);
    const status = permanent || attempt.attempt >= attempt.maxAttempts ? "failed" : "queued";
    await db
      .update(emailLogs)
      .set({ ...route(), status, lastError: error.message.slice(0, 2000) })
      .where(eq(emailLogs.id, emailLogId));
    // Every field of ours sits under `email`: nothing a task reports can collide with the logger's own keys.
    logger.warn(
      {
        email: {
          id: emailLogId,
          template: log.templateKey,
          attempt: attempt.attempt,
          maxAttempts: attempt.maxAttempts,
          permanent,
          status,
          error: error.message,
        },
        err: error,
      },
      status === "failed" ? "email failed for good" : "email failed; will retry",
    );
    return { status, error, config };
  }
}
