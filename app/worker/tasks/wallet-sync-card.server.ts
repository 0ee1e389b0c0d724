import type { Task } from "graphile-worker";
import { jobPayloads } from "~/jobs/definitions";
import { syncWalletPass } from "~/modules/wallet/sync.server";
import type { WorkerDeps } from "../worker-deps";

/** Patches a card's Google Wallet pass after a balance change; the card records each outcome. */
export function walletSyncCardTask(deps: WorkerDeps): Task<"wallet_sync_card"> {
  return async (payload, helpers) => {
    // Jobs can be added from SQL or by older code: check the payload before trusting it.
    const parsed = jobPayloads.wallet_sync_card.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error(
        { job: { id: helpers.job.id, issues: parsed.error.issues } },
        "wallet_sync_card: invalid payload, dropped",
      );
      return;
    }
    const outcome = await syncWalletPass(deps, parsed.data.cardId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    if (outcome.status === "failed") {
      deps.logger.warn({ card: { id: parsed.data.cardId }, err: outcome.error }, "wallet pass sync given up");
    }
    // Fail the job so the queue runs it again with backoff; the card already says `retrying`.
    if (outcome.status === "retrying" && outcome.error) throw outcome.error;
  };
}
