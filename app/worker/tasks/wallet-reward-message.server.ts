import type { Task } from "graphile-worker";
import { jobPayloads } from "~/jobs/definitions";
import { addRewardReadyMessage } from "~/modules/wallet/messages.server";
import type { WorkerDeps } from "../worker-deps";

/** Puts "a reward is ready" on the card's pass; notifying within Google's daily limit. */
export function walletRewardMessageTask(deps: WorkerDeps): Task<"wallet_reward_message"> {
  return async (payload, helpers) => {
    const parsed = jobPayloads.wallet_reward_message.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error(
        { job: { id: helpers.job.id, issues: parsed.error.issues } },
        "wallet_reward_message: invalid payload, dropped",
      );
      return;
    }
    const outcome = await addRewardReadyMessage(deps, parsed.data, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    if (outcome.status === "failed") {
      deps.logger.warn({ card: { id: parsed.data.cardId }, err: outcome.error }, "wallet reward message given up");
    }
    if (outcome.status === "retrying") throw outcome.error;
  };
}
