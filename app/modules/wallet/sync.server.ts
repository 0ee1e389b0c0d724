import { and, eq, isNotNull } from "drizzle-orm";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { loyaltyCards, type WalletSyncStatus } from "~/modules/loyalty/schema";
import { WalletApi, WalletApiError } from "./google-api.server";
import { loadClassRecords, loadPassRecords, loyaltyClassPayload, loyaltyObjectPayload } from "./passes.server";
import { effectiveWalletConfig, isWalletReady } from "./wallet-config.server";

export type WalletSyncOutcome = { status: "skipped" } | { status: WalletSyncStatus; error: WalletApiError | null };

/** What a failed call means for its job: try again later (`retrying`) or give up (`failed`). */
export function failureStatus(error: WalletApiError, attempt: { attempt: number; maxAttempts: number }) {
  return error.transient && attempt.attempt < attempt.maxAttempts ? "retrying" : "failed";
}

/**
 * Brings a card's pass up to date (balance, state, holder) with create-or-update, and records the
 * outcome on the card. A transient failure before the last attempt is `retrying`: the caller fails
 * the job so the queue runs it again with backoff. A permanent one, or the last attempt, is `failed`.
 */
export async function syncWalletPass(
  deps: { db: Database; config: Config },
  cardId: string,
  attempt: { attempt: number; maxAttempts: number },
): Promise<WalletSyncOutcome> {
  const { db, config } = deps;
  const records = await loadPassRecords(db, cardId);
  // Only cards whose save link was issued have a pass (erasure clears the id: nothing to sync).
  if (!records?.card.googleWalletObjectId) return { status: "skipped" };
  const wallet = await effectiveWalletConfig(db, config);
  if (!isWalletReady(wallet)) {
    const error = new WalletApiError(
      "api",
      null,
      `Google Wallet is not configured (missing ${wallet.missing.join(", ")})`,
    );
    await recordSync(db, cardId, "failed", error.message);
    return { status: "failed", error };
  }
  try {
    const api = new WalletApi(wallet);
    await api.upsert("loyaltyClass", loyaltyClassPayload(records, wallet));
    await api.upsert("loyaltyObject", loyaltyObjectPayload(records, wallet, config.platformOrigin));
  } catch (error) {
    if (!(error instanceof WalletApiError)) throw error;
    const status = failureStatus(error, attempt);
    await recordSync(db, cardId, status, error.message);
    return { status, error };
  }
  await recordSync(db, cardId, "synced", null);
  return { status: "synced", error: null };
}

/**
 * Brings a program's LoyaltyClass up to date after an edit. Only programs with at least one pass
 * have a class worth updating; the others get theirs with their first save link.
 */
export async function syncWalletClass(
  deps: { db: Database; config: Config },
  programId: string,
  attempt: { attempt: number; maxAttempts: number },
): Promise<WalletSyncOutcome> {
  const { db, config } = deps;
  const wallet = await effectiveWalletConfig(db, config);
  if (!isWalletReady(wallet)) return { status: "skipped" };
  const [withPass] = await db
    .select({ id: loyaltyCards.id })
    .from(loyaltyCards)
    .where(and(eq(loyaltyCards.programId, programId), isNotNull(loyaltyCards.googleWalletObjectId)))
    .limit(1);
  const records = withPass ? await loadClassRecords(db, programId) : null;
  if (!records) return { status: "skipped" };
  try {
    await new WalletApi(wallet).upsert("loyaltyClass", loyaltyClassPayload(records, wallet));
  } catch (error) {
    if (!(error instanceof WalletApiError)) throw error;
    return { status: failureStatus(error, attempt), error };
  }
  return { status: "synced", error: null };
}

async function recordSync(db: Database, cardId: string, status: WalletSyncStatus, error: string | null) {
  await db
    .update(loyaltyCards)
    .set({ googleWalletSyncStatus: status, googleWalletSyncError: error, googleWalletSyncedAt: new Date() })
    .where(eq(loyaltyCards.id, cardId));
}
