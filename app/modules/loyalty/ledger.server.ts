import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "~/db/client.server";
import { users } from "~/modules/auth/schema";
import { stores } from "~/modules/tenancy/schema";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { queueRewardReady } from "./loyalty-emails.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards, loyaltyTransactions, type TransactionType } from "./schema";

export interface LedgerEntry {
  cardId: string;
  storeId: string;
  type: TransactionType;
  pointsDelta?: number;
  stampsDelta?: number;
  amountCents?: number | null;
  rewardId?: string | null;
  actingUserId?: string | null;
  actingCounterStaffId?: string | null;
  actingDeviceId?: string | null;
  idempotencyKey?: string | null;
  requestFingerprint?: string | null;
  clientTime?: Date | null;
  reason?: string | null;
  voidedTransactionId?: number | null;
}

export type LedgerRow = typeof loyaltyTransactions.$inferSelect;

/**
 * Moves the card's cached balance and appends the ledger row that says why, in the caller's
 * transaction; the row keeps the balance after it. The CHECK on the card refuses a negative
 * balance. A rise that crosses an active reward's cost queues its reward-ready email here, so
 * every way a balance can grow (earn, stamp, bonus, adjustment, a voided redeem) announces it.
 */
export async function appendLedgerEntry(tx: Transaction, entry: LedgerEntry) {
  const pointsDelta = entry.pointsDelta ?? 0;
  const stampsDelta = entry.stampsDelta ?? 0;
  const [card] = await tx
    .update(loyaltyCards)
    .set({
      pointsBalance: sql`${loyaltyCards.pointsBalance} + ${pointsDelta}`,
      stampsBalance: sql`${loyaltyCards.stampsBalance} + ${stampsDelta}`,
    })
    .where(eq(loyaltyCards.id, entry.cardId))
    .returning({
      programId: loyaltyCards.programId,
      pointsBalance: loyaltyCards.pointsBalance,
      stampsBalance: loyaltyCards.stampsBalance,
    });
  if (!card) throw new Error(`ledger entry for unknown card ${entry.cardId}`);
  const [row] = await tx
    .insert(loyaltyTransactions)
    .values({
      ...entry,
      pointsDelta,
      stampsDelta,
      pointsBalanceAfter: card.pointsBalance,
      stampsBalanceAfter: card.stampsBalance,
    })
    .returning();
  if (!row) throw new Error("ledger insert returned no row");
  if (pointsDelta > 0 || stampsDelta > 0) {
    await queueCrossedRewards(tx, {
      cardId: entry.cardId,
      storeId: entry.storeId,
      programId: card.programId,
      before: { points: card.pointsBalance - pointsDelta, stamps: card.stampsBalance - stampsDelta },
      after: { points: card.pointsBalance, stamps: card.stampsBalance },
    });
  }
  const balance = { pointsBalance: card.pointsBalance, stampsBalance: card.stampsBalance };
  return { transaction: row, balance };
}

/**
 * Reward ready: for each active reward, balance before < cost ≤ balance after. A balance that stays
 * above the cost never crosses it again; it must first drop below (a redeem, a void, an expiry).
 */
async function queueCrossedRewards(
  tx: Transaction,
  change: {
    cardId: string;
    storeId: string;
    programId: string;
    before: { points: number; stamps: number };
    after: { points: number; stamps: number };
  },
) {
  const rewards = await tx
    .select({ id: loyaltyRewards.id, cost: loyaltyRewards.cost, kind: loyaltyPrograms.kind })
    .from(loyaltyRewards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyRewards.programId))
    .where(and(eq(loyaltyRewards.programId, change.programId), eq(loyaltyRewards.active, true)))
    .orderBy(asc(loyaltyRewards.cost));
  for (const reward of rewards) {
    const unit = reward.kind === "points" ? "points" : "stamps";
    if (change.before[unit] < reward.cost && reward.cost <= change.after[unit]) {
      await queueRewardReady(tx, change.cardId, reward.id, change.storeId);
    }
  }
}

const actingUser = alias(users, "acting_user");

/**
 * A card's ledger, newest first, with the store, the staff member (portal user or counter staff),
 * the device and the reason of each entry. The one history query: staff pages show everything,
 * the shopper's page picks what it shows.
 */
export function cardHistory(db: Executor, cardId: string, limit: number) {
  return db
    .select({
      id: loyaltyTransactions.id,
      type: loyaltyTransactions.type,
      pointsDelta: loyaltyTransactions.pointsDelta,
      stampsDelta: loyaltyTransactions.stampsDelta,
      amountCents: loyaltyTransactions.amountCents,
      createdAt: loyaltyTransactions.createdAt,
      storeId: loyaltyTransactions.storeId,
      storeName: stores.name,
      staffName: sql<string | null>`coalesce(${actingUser.name}, ${counterStaff.displayName})`,
      deviceId: loyaltyTransactions.actingDeviceId,
      deviceName: terminalDevices.name,
      reason: loyaltyTransactions.reason,
      voidedTransactionId: loyaltyTransactions.voidedTransactionId,
    })
    .from(loyaltyTransactions)
    .innerJoin(stores, eq(stores.id, loyaltyTransactions.storeId))
    .leftJoin(actingUser, eq(actingUser.id, loyaltyTransactions.actingUserId))
    .leftJoin(counterStaff, eq(counterStaff.id, loyaltyTransactions.actingCounterStaffId))
    .leftJoin(terminalDevices, eq(terminalDevices.id, loyaltyTransactions.actingDeviceId))
    .where(eq(loyaltyTransactions.cardId, cardId))
    .orderBy(desc(loyaltyTransactions.createdAt), desc(loyaltyTransactions.id))
    .limit(limit);
}
