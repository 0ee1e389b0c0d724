import { eq, ilike, inArray, or, sql } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { customers, loyaltyCards, loyaltyTransactions, pointsExpiryNotices } from "~/modules/loyalty/schema";
import { emailOutbox } from "~/modules/messaging/schema";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import { queueWalletRetire } from "~/modules/wallet/jobs.server";

/** Which test customers the go-live cleanup removes: those enrolled at a store, or whose email matches. */
export type CleanupCriteria = { store: string } | { emailPattern: string };

export interface CleanupPlan {
  criteria: CleanupCriteria;
  customers: { id: string; email: string }[];
  /** The Google Wallet passes to retire (Google cannot delete them: they become inactive and anonymous). */
  walletObjectIds: string[];
  counts: {
    customers: number;
    cards: number;
    ledgerRows: number;
    emailLogs: number;
    outboxEmails: number;
    expiryNotices: number;
    walletObjects: number;
  };
}

export class CleanupRefused extends Error {}

/** A pattern must name something literal after the `@`: "%" or "%@%" would match every shopper. */
export function checkEmailPattern(pattern: string): void {
  const domain = pattern.split("@")[1];
  if (pattern.split("@").length !== 2 || !domain || !/[^%_]/.test(domain)) {
    throw new CleanupRefused(
      `refused --email-pattern '${pattern}': it needs one @ and a literal domain after it, e.g. '%@example.com'`,
    );
  }
}

async function matchingCustomerIds(db: Executor, criteria: CleanupCriteria): Promise<string[]> {
  if ("store" in criteria) {
    const [store] = await db
      .select({ id: stores.id })
      .from(stores)
      .where(sql`lower(${stores.code}) = lower(${criteria.store})`);
    if (!store) throw new CleanupRefused(`no store with code ${criteria.store}`);
    const rows = await db
      .selectDistinct({ id: loyaltyCards.customerId })
      .from(loyaltyCards)
      .where(eq(loyaltyCards.enrolledStoreId, store.id));
    return rows.map((row) => row.id);
  }
  checkEmailPattern(criteria.emailPattern);
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(ilike(customers.email, criteria.emailPattern));
  return rows.map((row) => row.id);
}

/** What the cleanup would delete, without deleting anything (the dry run). */
export async function planCleanup(db: Executor, criteria: CleanupCriteria): Promise<CleanupPlan> {
  const ids = await matchingCustomerIds(db, criteria);
  const customerRows = await db
    .select({ id: customers.id, email: customers.email })
    .from(customers)
    .where(inArray(customers.id, ids))
    .orderBy(customers.email);
  const cards = await db
    .select({ id: loyaltyCards.id, wallet: loyaltyCards.googleWalletObjectId })
    .from(loyaltyCards)
    .where(inArray(loyaltyCards.customerId, ids))
    .orderBy(loyaltyCards.googleWalletObjectId);
  const cardIds = cards.map((card) => card.id);
  const walletObjectIds = cards.flatMap((card) => (card.wallet ? [card.wallet] : []));
  const logsOf = or(inArray(emailLogs.customerId, ids), inArray(emailLogs.cardId, cardIds));
  const counted = sql<number>`count(*)::int`;
  const [[ledger], [logs], [outbox], [notices]] = await Promise.all([
    db.select({ n: counted }).from(loyaltyTransactions).where(inArray(loyaltyTransactions.cardId, cardIds)),
    db.select({ n: counted }).from(emailLogs).where(logsOf),
    db
      .select({ n: counted })
      .from(emailOutbox)
      .innerJoin(emailLogs, eq(emailLogs.id, emailOutbox.emailLogId))
      .where(logsOf),
    db.select({ n: counted }).from(pointsExpiryNotices).where(inArray(pointsExpiryNotices.cardId, cardIds)),
  ]);
  return {
    criteria,
    customers: customerRows,
    walletObjectIds,
    counts: {
      customers: customerRows.length,
      cards: cards.length,
      ledgerRows: ledger?.n ?? 0,
      emailLogs: logs?.n ?? 0,
      outboxEmails: outbox?.n ?? 0,
      expiryNotices: notices?.n ?? 0,
      walletObjects: walletObjectIds.length,
    },
  };
}

/**
 * Deletes what `planCleanup` lists, in one transaction, and audits it. The ledger rows go through
 * the one purge path the append-only trigger honours (ADR 019); the wallet passes are retired at
 * Google by jobs queued in the same transaction.
 */
export async function applyCleanup(db: Database, criteria: CleanupCriteria): Promise<CleanupPlan> {
  return db.transaction(async (tx) => {
    const plan = await planCleanup(tx, criteria);
    const ids = plan.customers.map((customer) => customer.id);
    if (ids.length === 0) return plan;
    const cardIds = (
      await tx.select({ id: loyaltyCards.id }).from(loyaltyCards).where(inArray(loyaltyCards.customerId, ids))
    ).map((card) => card.id);
    const logsOf = or(inArray(emailLogs.customerId, ids), inArray(emailLogs.cardId, cardIds));
    const logIds = (await tx.select({ id: emailLogs.id }).from(emailLogs).where(logsOf)).map((log) => log.id);
    await tx.delete(emailOutbox).where(inArray(emailOutbox.emailLogId, logIds));
    await tx.delete(emailLogs).where(inArray(emailLogs.id, logIds));
    await tx.delete(pointsExpiryNotices).where(inArray(pointsExpiryNotices.cardId, cardIds));
    await tx.execute(sql`select set_config('rewardflow.ledger_purge', 'on', true)`);
    await tx.delete(loyaltyTransactions).where(inArray(loyaltyTransactions.cardId, cardIds));
    await tx.execute(sql`select set_config('rewardflow.ledger_purge', 'off', true)`);
    await tx.delete(loyaltyCards).where(inArray(loyaltyCards.id, cardIds));
    await tx.delete(customers).where(inArray(customers.id, ids));
    for (const objectId of plan.walletObjectIds) await queueWalletRetire(tx, objectId);
    await recordAudit(tx, null, {
      action: "cleanup.test_customers_deleted",
      entityType: "customer",
      details: { criteria, counts: plan.counts },
    });
    return plan;
  });
}
