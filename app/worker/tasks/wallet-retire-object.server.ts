import type { Task } from "graphile-worker";
import { jobPayloads } from "~/jobs/definitions";
import { retireWalletObject } from "~/modules/wallet/retire.server";
import type { WorkerDeps } from "../worker-deps";

/** Retires the Google Wallet pass of an erased or deleted card (inactive, no personal data). */
export function walletRetireObjectTask(deps: WorkerDeps): Task<"wallet_retire_object"> {
  return async (payload, helpers) => {
    const parsed = jobPayloads.wallet_retire_object.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error(
        { job: { id: helpers.job.id, issues: parsed.error.issues } },
        "wallet_retire_object: invalid payload, dropped",
      );
      return;
    }
    const outcome = await retireWalletObject(deps, parsed.data.objectId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    if (outcome.status === "failed") {
      deps.logger.error({ walletObject: parsed.data.objectId, err: outcome.error }, "wallet pass retirement given up");
    }
    if (outcome.status === "retrying") throw outcome.error;
  };
}
