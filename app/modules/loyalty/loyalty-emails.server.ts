import { eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { queueEmail, queueReminder } from "~/modules/outbox/queue.server";
import { customers, loyaltyCards } from "./schema";

/** The shopper behind a card, as an email needs them. */
async function cardRecipient(tx: Executor, cardId: string) {
  const [row] = await tx
    .select({
      customerId: customers.id,
      email: customers.email,
      locale: customers.preferredLanguage,
      merchantId: loyaltyCards.merchantId,
      enrolledStoreId: loyaltyCards.enrolledStoreId,
    })
    .from(loyaltyCards)
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .where(eq(loyaltyCards.id, cardId));
  if (!row) throw new Error(`no customer for card ${cardId}`);
  return row;
}

/** "A reward is waiting for you": queued on the transaction whose balance change crossed its cost. */
export async function queueRewardReady(tx: Executor, cardId: string, rewardId: string, storeId: string) {
  const recipient = await cardRecipient(tx, cardId);
  return queueEmail(tx, {
    kind: "loyalty_reward_ready",
    locale: recipient.locale,
    recipient: recipient.email,
    merchantId: recipient.merchantId,
    storeId,
    customerId: recipient.customerId,
    cardId,
    params: { rewardId },
  });
}

/** "Your points expire soon": a reminder, so a shopper who opted out gets none (null then). */
export async function queuePointsExpiring(
  tx: Executor,
  cardId: string,
  expiry: { expiringPoints: number; expiresOn: string },
) {
  const recipient = await cardRecipient(tx, cardId);
  return queueReminder(tx, {
    kind: "loyalty_points_expiring",
    locale: recipient.locale,
    recipient: recipient.email,
    merchantId: recipient.merchantId,
    storeId: recipient.enrolledStoreId,
    customerId: recipient.customerId,
    cardId,
    params: expiry,
  });
}
