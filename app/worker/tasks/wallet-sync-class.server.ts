import type { Task } from "graphile-worker";
import { jobPayloads } from "~/jobs/definitions";
import { syncWalletClass } from "~/modules/wallet/sync.server";
import type { WorkerDeps } from "../worker-deps";

/** Patches a program's LoyaltyClass after the program was edited. */
export function walletSyncClassTask(deps: WorkerDeps): Task<"wallet_sync_class"> {
  return async (payload, helpers) => {
    const parsed = jobPayloads.wallet_sync_class.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error(
        { job: { id: helpers.job.id, issues: parsed.error.issues } },
        "wallet_sync_class: invalid payload, dropped",
      );
      return;
    }
    const outcome = await syncWalletClass(deps, parsed.data.programId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    if (outcome.status === "failed") {
      deps.logger.warn({ program: { id: parsed.data.programId }, err: outcome.error }, "wallet class sync given up");
    }
    if (outcome.status === "retrying" && outcome.error) throw outcome.error;
  };
}
