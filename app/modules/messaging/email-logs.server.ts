import { and, count, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { containsPattern } from "~/db/like";
import { pageCount, pageSize } from "~/db/pagination";
import { recordAudit } from "~/modules/audit/audit.server";
import type { EmailTemplateKey } from "~/modules/outbox/kinds";
import { requeueEmail } from "~/modules/outbox/queue.server";
import { type EmailStatus, emailLogs } from "~/modules/outbox/schema";
import { emailLogsInScope } from "~/modules/scope/conditions.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";

export interface EmailLogFilters {
  status?: EmailStatus;
  template?: EmailTemplateKey;
  storeId?: string;
  /** Part of the recipient address, case-insensitive. */
  recipient?: string;
}

/** The delivery log in a scope, newest first, filtered and paginated on the server. */
export async function listEmailLogs(db: Executor, scope: Scope, filters: EmailLogFilters, page: number) {
  const conditions: SQL[] = [emailLogsInScope(scope)];
  if (filters.status) conditions.push(eq(emailLogs.status, filters.status));
  if (filters.template) conditions.push(eq(emailLogs.templateKey, filters.template));
  if (filters.storeId) conditions.push(eq(emailLogs.storeId, filters.storeId));
  if (filters.recipient) conditions.push(ilike(emailLogs.recipient, containsPattern(filters.recipient)));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: emailLogs.id,
        templateKey: emailLogs.templateKey,
        locale: emailLogs.locale,
        recipient: emailLogs.recipient,
        subject: emailLogs.subject,
        status: emailLogs.status,
        attempts: emailLogs.attempts,
        createdAt: emailLogs.createdAt,
        storeName: stores.name,
      })
      .from(emailLogs)
      .leftJoin(stores, eq(stores.id, emailLogs.storeId))
      .where(where)
      .orderBy(desc(emailLogs.createdAt), desc(emailLogs.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(emailLogs).where(where),
  ]);
  return { rows, pages: pageCount(total?.value ?? 0) };
}

/** One email of the log with its store, or null when absent or out of the scope. */
export async function emailLogById(db: Executor, scope: Scope, id: string) {
  const [row] = await db
    .select({ log: emailLogs, storeName: stores.name, stuck: sql<boolean>`${isStuck()}` })
    .from(emailLogs)
    .leftJoin(stores, eq(stores.id, emailLogs.storeId))
    .where(and(eq(emailLogs.id, id), emailLogsInScope(scope)));
  return row ?? null;
}

/** An email waiting this long with no job left to send it is stuck (its job ran out of attempts mid-crash). */
export const stuckAfterMinutes = 10;

/**
 * `queued` or `sending` for a while, and no job that can still run carries it (Graphile Worker
 * keeps a job that ran out of attempts, but never runs it again).
 */
export function isStuck() {
  // Graphile Worker's jobs table is private API, read only here.
  return sql`${emailLogs.status} in ('queued', 'sending')
    and ${emailLogs.updatedAt} < now() - make_interval(mins => ${stuckAfterMinutes})
    and not exists (
      select 1 from graphile_worker._private_jobs job
      where job.payload->>'emailLogId' = ${emailLogs.id}::text and job.attempts < job.max_attempts
    )`;
}

/**
 * Sends a failed or stuck email again: the row goes back to `queued` and its new job is added on
 * the same transaction, so the retry cannot be half-done. False when the row is neither.
 */
export async function retryEmail(db: Database, actor: Actor, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(emailLogs)
      .set({ status: "queued", claimToken: null })
      .where(and(eq(emailLogs.id, id), or(eq(emailLogs.status, "failed"), isStuck())))
      .returning({ id: emailLogs.id, merchantId: emailLogs.merchantId, templateKey: emailLogs.templateKey });
    if (!row) return false;
    // The old job, if it ran out of attempts, goes: the new one replaces it.
    await tx.execute(sql`
      select graphile_worker.complete_jobs(array(
        select job.id from graphile_worker._private_jobs job
        where job.payload->>'emailLogId' = ${row.id}::text and job.attempts >= job.max_attempts
      ))`);
    await requeueEmail(tx, row);
    await recordAudit(tx, actor, {
      action: "email.retried",
      entityType: "email_log",
      entityId: row.id,
      merchantId: row.merchantId,
    });
    return true;
  });
}
