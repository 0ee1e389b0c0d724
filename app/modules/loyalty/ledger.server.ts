import { eq, sql } from "drizzle-orm";
import type { Transaction } from "~/db/client.server";
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
