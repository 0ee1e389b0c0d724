import { eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { enqueue } from "~/jobs/enqueue.server";
import { loyaltyPrograms } from "~/modules/loyalty/schema";

/**
 * A program's LoyaltyClass after an edit (name, logo, colour, rewards): keyed per program, so a
 * run of edits becomes one update that reads the program as it ends up.
 */
export function queueWalletClassSync(tx: Executor, programId: string) {
  return enqueue(tx, "wallet_sync_class", { programId }, { jobKey: `wallet_sync_class:${programId}`, delaySeconds: 2 });
}

/** A merchant's passes list its loyalty stores (names, websites, addresses): a store edit updates their classes. */
export async function queueMerchantClassSyncs(tx: Executor, merchantId: string) {
  const programs = await tx
    .select({ id: loyaltyPrograms.id })
    .from(loyaltyPrograms)
    .where(eq(loyaltyPrograms.merchantId, merchantId));
  for (const program of programs) await queueWalletClassSync(tx, program.id);
}

/** "A reward is ready" on the card's pass, for the ledger entry whose balance change crossed its cost. */
export function queueWalletRewardMessage(
  tx: Executor,
  message: { cardId: string; rewardId: string; transactionId: number },
) {
  // After the balance sync (2 s), so the pass shows the new balance when the notification arrives.
  return enqueue(tx, "wallet_reward_message", message, { delaySeconds: 5 });
}

/** Retires a pass at Google (inactive, no personal data) whose card is erased or deleted. */
export function queueWalletRetire(tx: Executor, objectId: string) {
  return enqueue(tx, "wallet_retire_object", { objectId }, { jobKey: `wallet_retire_object:${objectId}` });
}
