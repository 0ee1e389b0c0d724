import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "~/db/client.server";
import { users } from "~/modules/auth/schema";
import { stores } from "~/modules/tenancy/schema";
import { loyaltyCards, loyaltyTransactions, type TransactionType } from "./schema";

export interface LedgerEntry {
  cardId: string;
  storeId: string;
  type: TransactionType;
  pointsDelta?: number;
  stampsDelta?: number;
  amountCents?: number | null;
  rewardId?: string | null;
  actingUserId?: string | null;
  actingDeviceId?: string | null;
  idempotencyKey?: string | null;
  clientTime?: Date | null;
}

/**
 * Appends one ledger row and moves the card's cached balance by the same deltas, in the
 * caller's transaction. The CHECK on the card refuses a negative balance.
 */
export async function appendLedgerEntry(tx: Transaction, entry: LedgerEntry) {
  const pointsDelta = entry.pointsDelta ?? 0;
  const stampsDelta = entry.stampsDelta ?? 0;
  const [row] = await tx
    .insert(loyaltyTransactions)
    .values({ ...entry, pointsDelta, stampsDelta })
    .returning();
  const [card] = await tx
    .update(loyaltyCards)
    .set({
      pointsBalance: sql`${loyaltyCards.pointsBalance} + ${pointsDelta}`,
      stampsBalance: sql`${loyaltyCards.stampsBalance} + ${stampsDelta}`,
    })
    .where(eq(loyaltyCards.id, entry.cardId))
    .returning({ pointsBalance: loyaltyCards.pointsBalance, stampsBalance: loyaltyCards.stampsBalance });
  if (!row || !card) throw new Error(`ledger entry for unknown card ${entry.cardId}`);
  return { transaction: row, balance: card };
}

const actingUser = alias(users, "acting_user");

/**
 * A card's ledger, newest first, with the store, staff member and device of each entry. The one
 * history query: staff pages show everything, the shopper's page picks what it shows.
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
      storeName: stores.name,
      staffName: actingUser.name,
      deviceId: loyaltyTransactions.actingDeviceId,
    })
    .from(loyaltyTransactions)
    .innerJoin(stores, eq(stores.id, loyaltyTransactions.storeId))
    .leftJoin(actingUser, eq(actingUser.id, loyaltyTransactions.actingUserId))
    .where(eq(loyaltyTransactions.cardId, cardId))
    .orderBy(desc(loyaltyTransactions.createdAt), desc(loyaltyTransactions.id))
    .limit(limit);
}
