import type { Task } from "graphile-worker";
import { expirePoints } from "~/modules/loyalty/points-expiry.server";
import type { WorkerDeps } from "../worker-deps";

/** Daily: expires points by each program's rule and queues the 30-day reminders (ledger rows, once per card and day). */
export function expirePointsTask(deps: WorkerDeps): Task<"expire_points"> {
  return async () => {
    const totals = await expirePoints(deps.db);
    deps.logger.info(totals, "points expiry run");
  };
}
