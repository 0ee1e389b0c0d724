import type { Task } from "graphile-worker";
import { deliverEmail } from "~/modules/messaging/deliver.server";
import { jobPayloads } from "../definitions";
import type { WorkerDeps } from "../worker.server";

export function sendEmailTask(deps: WorkerDeps): Task<"send_email"> {
  return async (payload, helpers) => {
    // Jobs can be added from SQL or by older code: check the payload before trusting it.
    const parsed = jobPayloads.send_email.safeParse(payload);
    if (!parsed.success) {
      deps.logger.error({ jobId: helpers.job.id, issues: parsed.error.issues }, "send_email: invalid payload, dropped");
      return;
    }
    await deliverEmail(
      { db: deps.db, transport: deps.transport, logger: deps.logger, platformOrigin: deps.config.platformOrigin },
      parsed.data.emailLogId,
      { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts },
    );
  };
}
