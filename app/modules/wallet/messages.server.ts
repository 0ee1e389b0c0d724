import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { serverI18n } from "~/i18n/resources.server";
import { translatedName } from "~/modules/loyalty/programs.server";
import { loyaltyCards, loyaltyRewards } from "~/modules/loyalty/schema";
import { WalletApi, WalletApiError } from "./google-api.server";
import { loadPassRecords, loyaltyClassPayload, loyaltyObjectPayload } from "./passes.server";
import { type WalletMessageType, walletPassMessages } from "./schema";
import { failureStatus } from "./sync.server";
import { effectiveWalletConfig, isWalletReady } from "./wallet-config.server";

/** Google notifies at most three messages per pass in 24 hours; the rest must be plain TEXT (ADR 028). */
export const notifyingMessagesPerDay = 3;

export type WalletMessageOutcome =
  | { status: "skipped" | "sent" | "alreadySent"; messageType?: WalletMessageType }
  | { status: "retrying" | "failed"; error: WalletApiError };

/** The message id on the pass: one per ledger entry and reward, so a retry names the same message. */
export const rewardMessageId = (transactionId: number, rewardId: string) => `reward-${transactionId}-${rewardId}`;

/**
 * Reserves the message before Google hears of it: the card is locked, so two jobs for one card
 * count the notifying messages of the last 24 hours one after the other, and a retry finds its
 * reservation (with the type it was given) instead of making a second one.
 */
async function reserveMessage(db: Database, cardId: string, messageId: string, rewardId: string) {
  return db.transaction(async (tx) => {
    const [card] = await tx
      .select({ objectId: loyaltyCards.googleWalletObjectId, status: loyaltyCards.status })
      .from(loyaltyCards)
      .where(eq(loyaltyCards.id, cardId))
      .for("update");
    if (!card?.objectId || card.status !== "active") return null;
    const [existing] = await tx
      .select()
      .from(walletPassMessages)
      .where(and(eq(walletPassMessages.cardId, cardId), eq(walletPassMessages.messageId, messageId)));
    if (existing) return existing;
    const [recent] = await tx
      .select({ value: count() })
      .from(walletPassMessages)
      .where(
        and(
          eq(walletPassMessages.cardId, cardId),
          eq(walletPassMessages.messageType, "TEXT_AND_NOTIFY"),
          gt(walletPassMessages.createdAt, sql`now() - interval '24 hours'`),
        ),
      );
    const messageType: WalletMessageType = (recent?.value ?? 0) < notifyingMessagesPerDay ? "TEXT_AND_NOTIFY" : "TEXT";
    const [reserved] = await tx
      .insert(walletPassMessages)
      .values({ cardId, messageId, rewardId, messageType })
      .returning();
    return reserved ?? null;
  });
}

/**
 * Tells the holder on their pass, in their language, that a reward is ready. At most once per
 * ledger entry and reward, even when the job runs again after Google accepted the message: the
 * object is read first, and a message it already carries is not added twice.
 */
export async function addRewardReadyMessage(
  deps: { db: Database; config: Config },
  job: { cardId: string; rewardId: string; transactionId: number },
  attempt: { attempt: number; maxAttempts: number },
): Promise<WalletMessageOutcome> {
  const { db, config } = deps;
  const wallet = await effectiveWalletConfig(db, config);
  if (!isWalletReady(wallet)) return { status: "skipped" };
  const messageId = rewardMessageId(job.transactionId, job.rewardId);
  const reserved = await reserveMessage(db, job.cardId, messageId, job.rewardId);
  if (!reserved) return { status: "skipped" };
  if (reserved.sentAt) return { status: "alreadySent", messageType: reserved.messageType };
  const records = await loadPassRecords(db, job.cardId);
  const [reward] = records
    ? await db
        .select()
        .from(loyaltyRewards)
        .where(and(eq(loyaltyRewards.id, job.rewardId), eq(loyaltyRewards.programId, records.program.id)))
    : [];
  if (!records || !reward) {
    await db.delete(walletPassMessages).where(eq(walletPassMessages.id, reserved.id));
    return { status: "skipped" };
  }
  const objectId = records.card.googleWalletObjectId ?? "";
  const { t } = serverI18n(records.customer.preferredLanguage);
  const api = new WalletApi(wallet);
  try {
    const object = await api.get<{ messages?: { id?: string }[] }>("loyaltyObject", objectId);
    if (object?.messages?.some((message) => message.id === messageId)) {
      await markSent(db, reserved.id);
      return { status: "alreadySent", messageType: reserved.messageType };
    }
    // A full save link creates the object only when the holder saves it: make sure it exists.
    if (!object) {
      await api.upsert("loyaltyClass", loyaltyClassPayload(records, wallet));
      await api.upsert("loyaltyObject", loyaltyObjectPayload(records, wallet, config.platformOrigin));
    }
    await api.addMessage(objectId, {
      id: messageId,
      header: t("storefront:walletPass.rewardReadyHeader"),
      body: t("storefront:walletPass.rewardReadyBody", {
        reward: translatedName(reward, records.customer.preferredLanguage),
        program: translatedName(records.program, records.customer.preferredLanguage),
      }),
      messageType: reserved.messageType,
    });
  } catch (error) {
    if (!(error instanceof WalletApiError)) throw error;
    const status = failureStatus(error, attempt);
    // Given up: the message never reached the pass, so it must not count against the daily limit.
    if (status === "failed") await db.delete(walletPassMessages).where(eq(walletPassMessages.id, reserved.id));
    return { status, error };
  }
  await markSent(db, reserved.id);
  return { status: "sent", messageType: reserved.messageType };
}

async function markSent(db: Database, id: string) {
  await db.update(walletPassMessages).set({ sentAt: new Date() }).where(eq(walletPassMessages.id, id));
}
