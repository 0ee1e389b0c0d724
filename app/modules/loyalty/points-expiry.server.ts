import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db/client.server";
import { appendLedgerEntry } from "./ledger.server";
import { queuePointsExpiring } from "./loyalty-emails.server";
import { loyaltyCards, loyaltyPrograms, pointsExpiryNotices } from "./schema";

/** How long before points expire their shopper is reminded. */
export const expiryNoticeDays = 30;
const batchSize = 500;

/** Ledger types that count as the shopper's activity for "N months without activity". */
const activityTypes = sql`('welcome_bonus', 'enroll', 'earn', 'stamp', 'redeem')`;

/**
 * The daily expiry run: for every active card of a points program with an expiry rule, expires
 * what the rule says through the ledger (`expire` rows, one per card and day) and queues one
 * reminder per card and expiry date, 30 days ahead. Each card is settled in its own transaction.
 */
export async function expirePoints(db: Database, now = new Date()) {
  const totals = { cards: 0, expiredCards: 0, expiredPoints: 0, notices: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select({ id: loyaltyCards.id })
      .from(loyaltyCards)
      .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
      .where(
        and(
          eq(loyaltyPrograms.kind, "points"),
          ne(loyaltyPrograms.pointsExpiryRule, "none"),
          eq(loyaltyCards.status, "active"),
          gt(loyaltyCards.pointsBalance, 0),
          gt(loyaltyCards.id, after),
        ),
      )
      .orderBy(asc(loyaltyCards.id))
      .limit(batchSize);
    for (const { id } of batch) {
      const outcome = await db.transaction((tx) => settleCardExpiry(tx, id, now));
      totals.cards += 1;
      if (outcome.expired > 0) {
        totals.expiredCards += 1;
        totals.expiredPoints += outcome.expired;
      }
      if (outcome.noticed) totals.notices += 1;
    }
    if (batch.length < batchSize) return totals;
    after = batch[batch.length - 1]?.id ?? after;
  }
}

/** Expires what is due on one card now and queues the notice of what comes due within 30 days. */
export async function settleCardExpiry(tx: Transaction, cardId: string, now: Date) {
  const [row] = await tx
    .select({ card: loyaltyCards, program: loyaltyPrograms })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .where(eq(loyaltyCards.id, cardId))
    .for("update", { of: loyaltyCards });
  const none = { expired: 0, noticed: false };
  if (!row) return none;
  const { card, program } = row;
  const months = program.pointsExpiryMonths;
  if (program.kind !== "points" || months === null) return none;
  const horizon = new Date(now.getTime() + expiryNoticeDays * 86_400_000);
  const due =
    program.pointsExpiryRule === "after_earning"
      ? await dueAfterEarning(tx, card.id, months, now, horizon)
      : program.pointsExpiryRule === "after_inactivity"
        ? await dueAfterInactivity(tx, card.id, months, now, horizon)
        : null;
  if (!due) return none;
  let balance = card.pointsBalance;
  let expired = 0;
  const dueNow = Math.min(due.now, balance);
  if (dueNow > 0) {
    const inserted = await appendExpiry(tx, card, dueNow, now);
    if (inserted) {
      expired = dueNow;
      balance -= dueNow;
    }
  }
  const upcoming = Math.min(due.upcoming - expired, balance);
  let noticed = false;
  if (upcoming > 0 && due.expiresOn) {
    const [notice] = await tx
      .insert(pointsExpiryNotices)
      .values({ cardId: card.id, expiresOn: due.expiresOn, expiringPoints: upcoming })
      .onConflictDoNothing()
      .returning();
    if (notice) {
      const emailLogId = await queuePointsExpiring(tx, card.id, {
        expiringPoints: upcoming,
        expiresOn: due.expiresOn,
      });
      await tx
        .update(pointsExpiryNotices)
        .set({ emailLogId })
        .where(and(eq(pointsExpiryNotices.cardId, card.id), eq(pointsExpiryNotices.expiresOn, due.expiresOn)));
      noticed = true;
    }
  }
  return { expired, noticed };
}

/** One `expire` row per card and (UTC) day: a second run the same day finds its key and does nothing. */
async function appendExpiry(
  tx: Transaction,
  card: typeof loyaltyCards.$inferSelect,
  points: number,
  now: Date,
): Promise<boolean> {
  const key = `expire:${card.id}:${now.toISOString().slice(0, 10)}`;
  const [existing] = await tx.execute(sql`select 1 from loyalty_transactions where idempotency_key = ${key}`);
  if (existing) return false;
  await appendLedgerEntry(tx, {
    cardId: card.id,
    storeId: card.enrolledStoreId,
    type: "expire",
    pointsDelta: -points,
    idempotencyKey: key,
  });
  return true;
}

/**
 * "N months after earning": points earned in a month expire when month + N + 1 begins (UTC), i.e.
 * at the end of the Nth month after it, so a card has at most one expiry date per month. Spending
 * uses the oldest points first: what is due is the credits past their date minus every debit so
 * far (a voided row and its void cancel out and are left out of both).
 */
async function dueAfterEarning(tx: Transaction, cardId: string, months: number, now: Date, horizon: Date) {
  const [sums] = await tx.execute<{
    due_now: number;
    due_next: number;
    debits: number;
    next_expiry: string | null;
  }>(sql`
    with credits_and_debits as (
      select t.points_delta as delta,
        (date_trunc('month', t.created_at at time zone 'UTC') + make_interval(months => ${months + 1})) at time zone 'UTC' as expires_at
      from loyalty_transactions t
      where t.card_id = ${cardId} and t.type <> 'void'
        and not exists (select 1 from loyalty_transactions v where v.voided_transaction_id = t.id)
    ), next_expiry as (
      select min(expires_at) as at from credits_and_debits
      where delta > 0 and expires_at > ${now.toISOString()}::timestamptz and expires_at <= ${horizon.toISOString()}::timestamptz
    )
    select
      coalesce(sum(delta) filter (where delta > 0 and expires_at <= ${now.toISOString()}::timestamptz), 0)::int as due_now,
      coalesce(sum(delta) filter (where delta > 0 and expires_at <= (select at from next_expiry)), 0)::int as due_next,
      coalesce(-sum(delta) filter (where delta < 0), 0)::int as debits,
      to_char((select at from next_expiry) at time zone 'UTC', 'YYYY-MM-DD') as next_expiry
    from credits_and_debits`);
  if (!sums) return null;
  return {
    now: Math.max(0, sums.due_now - sums.debits),
    upcoming: Math.max(0, sums.due_next - sums.debits),
    expiresOn: sums.next_expiry,
  };
}

/** "N months without activity": the whole balance expires N months after the last purchase, redeem or enrollment. */
async function dueAfterInactivity(tx: Transaction, cardId: string, months: number, now: Date, horizon: Date) {
  const [last] = await tx.execute<{ expires_at: string | null }>(sql`
    select to_char((max(created_at) + make_interval(months => ${months})) at time zone 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
    from loyalty_transactions where card_id = ${cardId} and type in ${activityTypes}`);
  if (!last?.expires_at) return null;
  const expiresAt = new Date(last.expires_at);
  const everything = Number.POSITIVE_INFINITY;
  if (expiresAt <= now) return { now: everything, upcoming: 0, expiresOn: null };
  if (expiresAt > horizon) return null;
  return { now: 0, upcoming: everything, expiresOn: expiresAt.toISOString().slice(0, 10) };
}
