import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { WalletApi, WalletApiError } from "./google-api.server";
import { failureStatus } from "./sync.server";
import { effectiveWalletConfig, isWalletReady } from "./wallet-config.server";

export type WalletRetireOutcome =
  | { status: "retired" | "absent" }
  | { status: "retrying" | "failed"; error: WalletApiError };

/**
 * Retires the pass of an erased or deleted card (ADR 029). Google cannot delete an object, so it
 * is replaced whole by one that keeps only its id, its class and the INACTIVE state: no holder
 * name, card number, barcode, balance, links or messages remain. An object Google never received
 * (a save link never used) needs nothing. Giving up is audited: the erasure is then incomplete.
 */
export async function retireWalletObject(
  deps: { db: Database; config: Config },
  objectId: string,
  attempt: { attempt: number; maxAttempts: number },
): Promise<WalletRetireOutcome> {
  const { db, config } = deps;
  const wallet = await effectiveWalletConfig(db, config);
  let outcome: WalletRetireOutcome;
  if (!isWalletReady(wallet)) {
    const error = new WalletApiError(
      "api",
      null,
      `Google Wallet is not configured (missing ${wallet.missing.join(", ")})`,
    );
    outcome = { status: failureStatus(error, attempt), error };
  } else {
    try {
      const api = new WalletApi(wallet);
      const object = await api.get<{ classId?: string }>("loyaltyObject", objectId);
      if (!object) return { status: "absent" };
      await api.replaceObject({ id: objectId, classId: String(object.classId ?? ""), state: "INACTIVE" });
      return { status: "retired" };
    } catch (error) {
      if (!(error instanceof WalletApiError)) throw error;
      outcome = { status: failureStatus(error, attempt), error };
    }
  }
  if (outcome.status === "failed") {
    await recordAudit(db, null, {
      action: "wallet.retire_failed",
      entityType: "wallet_object",
      entityId: objectId,
      details: { error: outcome.error.message },
    });
  }
  return outcome;
}
