import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import { emailLogs } from "~/modules/outbox/schema";
import { UnreadableSecretError } from "~/modules/settings/crypto.server";
import { isWalletReady, resolveWalletConfig } from "~/modules/wallet/wallet-config.server";
import { type DeliveryReads, directReads } from "./delivery-reads.server";
import { type EffectiveEmailConfig, resolveEmailConfig, smtpEndpoint } from "./email-config.server";
import { UnrenderableEmailError } from "./email-content.server";
import { renderEmail } from "./render.server";
import { EmailDeliveryError, type Mailer } from "./transport.server";

export interface DeliveryDeps {
  db: Database;
  config: Config;
  mailer: Mailer;
  logger: AppLogger;
  /** Recorded on the rows it sends: a worker's id, so its peers can free them if it dies. */
  senderId?: string;
  /** Settings and copy (default: read from the database each time; the worker keeps them until notified). */
  reads?: DeliveryReads;
  /** Tests shorten the cut-off of one send (default `sendDeadlineSeconds`). */
  deadlineMs?: number;
}

export interface DeliveryAttempt {
  /** 1-based attempt of the job carrying this email. */
  attempt: number;
  maxAttempts: number;
}

export type DeliveryOutcome =
  | { status: "sent"; messageId: string; config: EffectiveEmailConfig }
  | { status: "queued" | "failed"; error: Error; config: EffectiveEmailConfig | null }
  /** Already sent or failed, or missing: nothing to do. */
  | { status: "skipped" }
  /** Another sender holds the row's lease: try again later. */
  | { status: "busy"; error: Error };

/** The longest one attempt may take, SMTP included; a `sending` row older than the lease is up for grabs. */
export const sendDeadlineSeconds = 60;
export const sendLeaseSeconds = 2 * sendDeadlineSeconds;

/** A send that outlived the deadline (a server trickling bytes keeps the socket timeout from firing). */
class SendDeadlineError extends Error {
  override name = "SendDeadlineError";
}

/** A failure that retrying cannot fix: the SMTP server refused (5xx, bad credentials) or the email cannot be built. */
function isPermanent(error: unknown): boolean {
  if (error instanceof UnrenderableEmailError || error instanceof UnreadableSecretError) return true;
  if (error instanceof EmailDeliveryError) return error.permanent;
  return false;
}

/**
 * Sends one queued email with the effective configuration and records its fate on the row.
 * Idempotent: a sender first takes a lease on the row (a `queued` row, or a `sending` one whose
 * lease ran out because its sender died) and only the lease holder may record the outcome; a
 * `sent` row is never sent again, a `failed` one only after an admin's retry re-queues it. On
 * failure the row goes back to `queued` (to be retried) or, on the last attempt or a permanent
 * error, to `failed`.
 */
export async function deliverEmail(
  deps: DeliveryDeps,
  emailLogId: string,
  attempt: DeliveryAttempt,
): Promise<DeliveryOutcome> {
  const { db, logger } = deps;
  const claimToken = randomUUID();
  const [log] = await db
    .update(emailLogs)
    .set({
      status: "sending",
      attempts: sql`${emailLogs.attempts} + 1`,
      claimToken,
      claimedBy: deps.senderId ?? `process:${hostname()}:${process.pid}`,
      claimedAt: sql`now()`,
    })
    .where(
      and(
        eq(emailLogs.id, emailLogId),
        or(
          eq(emailLogs.status, "queued"),
          // A `sending` row whose lease ran out, or was ended because its worker died.
          and(
            eq(emailLogs.status, "sending"),
            sql`(${emailLogs.claimedAt} is null or ${emailLogs.claimedAt} < now() - make_interval(secs => ${sendLeaseSeconds}))`,
          ),
        ),
      ),
    )
    .returning();
  if (!log) {
    const [current] = await db.select({ status: emailLogs.status }).from(emailLogs).where(eq(emailLogs.id, emailLogId));
    if (current?.status === "sending") {
      logger.info({ email: { id: emailLogId } }, "email is being sent by another sender; will look again later");
      return { status: "busy", error: new Error(`email ${emailLogId} is being sent by another sender`) };
    }
    logger.info({ email: { id: emailLogId } }, "email already sent, failed or missing; nothing to do");
    return { status: "skipped" };
  }
  // Only the holder of this attempt's lease writes the outcome: a sender that lost it changes nothing.
  const mine = and(eq(emailLogs.id, emailLogId), eq(emailLogs.claimToken, claimToken), eq(emailLogs.status, "sending"));
  let config: EffectiveEmailConfig | null = null;
  const route = () =>
    config ? { provider: config.provider, smtpHost: smtpEndpoint(config), fromAddress: config.fromAddress } : {};
  let rendered: Awaited<ReturnType<typeof renderEmail>>;
  let messageId: string;
  try {
    const reads = deps.reads ?? directReads(db);
    // Independent lookups side by side: each sequential round trip was the shopper's wait.
    const [emailSettings, walletSettings] = await Promise.all([reads.settings("email"), reads.settings("wallet")]);
    const emailConfig = resolveEmailConfig(emailSettings, deps.config);
    config = emailConfig;
    rendered = await renderEmail(
      db,
      log,
      {
        platformOrigin: deps.config.platformOrigin,
        appSecret: deps.config.APP_SECRET,
        emailConfig,
        walletLinks: isWalletReady(resolveWalletConfig(walletSettings, deps.config)),
      },
      reads,
    );
    const sending = deps.mailer.send(config, { emailLogId, to: log.recipient, ...rendered });
    ({ messageId } = await withDeadline(sending, deps.deadlineMs ?? sendDeadlineSeconds * 1000).catch(
      async (error: unknown) => {
        if (error instanceof SendDeadlineError) {
          // The send may still finish: keep the lease (a retry finds the row busy until it ends) and
          // record the outcome if it does.
          const stored = rendered.stored;
          void sending.then(
            ({ messageId: late }) =>
              recordSent(db, mine, { ...route(), ...sentFields(rendered, stored, late) }).catch(() => {}),
            () => {},
          );
        }
        throw error;
      },
    ));
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    if (error instanceof SendDeadlineError) {
      await db
        .update(emailLogs)
        .set({ ...route(), lastError: error.message })
        .where(mine);
      logger.warn({ email: { id: emailLogId, template: log.templateKey, error: error.message } }, "email send is slow");
      return { status: "busy", error };
    }
    const permanent = isPermanent(error);
    const status = permanent || attempt.attempt >= attempt.maxAttempts ? "failed" : "queued";
    await db
      .update(emailLogs)
      .set({ ...route(), status, lastError: error.message.slice(0, 2000), claimToken: null })
      .where(mine);
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
  // The server accepted it: from here on nothing may turn the row back to `queued` (that would send
  // it twice). A database hiccup is retried; if it lasts, the row stays `sending` and the log says so.
  const recorded = await recordSent(db, mine, { ...route(), ...sentFields(rendered, rendered.stored, messageId) });
  if (recorded === "lost") {
    logger.warn({ email: { id: emailLogId, messageId } }, "email sent, but its lease had passed to another sender");
  } else if (recorded === "unrecorded") {
    logger.error({ email: { id: emailLogId, messageId } }, "email sent, but its row could not be updated");
  }
  logger.info(
    { email: { id: emailLogId, template: log.templateKey, messageId, provider: config.provider } },
    "email sent",
  );
  return { status: "sent", messageId, config };
}

function sentFields(
  rendered: { subject: string; html: string; text: string },
  stored: { subject: string; html: string; text: string } | undefined,
  messageId: string,
) {
  return {
    status: "sent" as const,
    subject: stored?.subject ?? rendered.subject,
    html: stored?.html ?? rendered.html,
    text: stored?.text ?? rendered.text,
    messageId,
    lastError: null,
    sentAt: sql`now()`,
    claimToken: null,
  };
}

async function recordSent(
  db: Database,
  mine: SQL | undefined,
  fields: PgUpdateSetSource<typeof emailLogs>,
): Promise<"recorded" | "lost" | "unrecorded"> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const [row] = await db.update(emailLogs).set(fields).where(mine).returning({ id: emailLogs.id });
      return row ? "recorded" : "lost";
    } catch {
      await new Promise((resolve) => setTimeout(resolve, attempt * 500));
    }
  }
  return "unrecorded";
}

function withDeadline<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SendDeadlineError(`sending took longer than ${milliseconds / 1000} s`)),
      milliseconds,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
