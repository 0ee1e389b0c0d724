import type { Task } from "graphile-worker";
import { jobPayloads } from "~/jobs/definitions";
import { deliverEmail } from "~/modules/messaging/deliver.server";
import type { WorkerDeps } from "../worker-deps";

export function sendEmailTask(deps: WorkerDeps): Task<"send_email"> {
  return async (payload, helpers) => {
    // Jobs can be added from SQL or by older code: check the payload before trusting it.
    const parsed = jobPayloads.send_email.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error(
        { job: { id: helpers.job.id, issues: parsed.error.issues } },
        "send_email: invalid payload, dropped",
      );
      return;
    }
    const outcome = await deliverEmail({ ...deps, senderId: deps.workerId }, parsed.data.emailLogId, {
      attempt: helpers.job.attempts,
      maxAttempts: helpers.job.max_attempts,
    });
    // The row says `queued` again, or another sender holds it: fail the job so Graphile Worker
    // runs it again later (with backoff).
    if (outcome.status === "queued" || outcome.status === "busy") throw outcome.error;
  };
}
