import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { cardHistory } from "./ledger.server";
import { activeRewards } from "./programs.server";
import { customers, loyaltyCards, loyaltyPrograms } from "./schema";

/** The shopper's own view of a card, found by its public token within one merchant. */
export async function publicCardByToken(db: Executor, merchantId: string, token: string) {
  const [row] = await db
    .select({ card: loyaltyCards, program: loyaltyPrograms, customer: { firstName: customers.firstName } })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .where(and(eq(loyaltyCards.publicToken, token), eq(loyaltyCards.merchantId, merchantId)))
    .limit(1);
  if (!row) return null;
  const [rewards, history] = await Promise.all([activeRewards(db, row.program.id), cardHistory(db, row.card.id, 100)]);
  return { ...row, rewards, history };
}

/** The card of this email at this merchant, if any (for "find my card"). */
export async function cardByEmail(db: Executor, merchantId: string, email: string) {
  const [row] = await db
    .select({ cardId: loyaltyCards.id, customerId: customers.id, email: customers.email })
    .from(customers)
    .innerJoin(loyaltyCards, eq(loyaltyCards.customerId, customers.id))
    .innerJoin(loyaltyPrograms, and(eq(loyaltyPrograms.id, loyaltyCards.programId), eq(loyaltyPrograms.active, true)))
    .where(and(eq(customers.merchantId, merchantId), sql`lower(${customers.email}) = lower(${email})`))
    .limit(1);
  return row ?? null;
}
