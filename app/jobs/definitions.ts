import { z } from "zod";

/** Every job the code can enqueue: name → payload schema. Payloads carry ids, never records. */
export const jobPayloads = {
  send_email: z.object({ emailLogId: z.uuid() }),
  // Graphile's cron adds `_cron` details to the payload: accept and ignore them.
  prune_expired_rows: z.looseObject({}),
  expire_points: z.looseObject({}),
  wallet_sync_card: z.object({ cardId: z.uuid() }),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;
export const jobNames = Object.keys(jobPayloads) as JobName[];

/** Attempts before a job (and its email row) is given up as failed. */
export const jobMaxAttempts: Record<JobName, number> = {
  send_email: 8,
  prune_expired_rows: 3,
  expire_points: 3,
  // Backoff is exponential (Graphile Worker: exp(attempt) seconds): ten attempts span about six hours.
  wallet_sync_card: 10,
};

/** Recurring jobs (Graphile Worker crontab syntax, UTC): hourly housekeeping, daily points expiry. */
export const crontab = ["0 * * * * prune_expired_rows ?max=3", "15 2 * * * expire_points ?max=3"].join("\n");

declare global {
  namespace GraphileWorker {
    interface Tasks {
      send_email: JobPayload<"send_email">;
      prune_expired_rows: JobPayload<"prune_expired_rows">;
      expire_points: JobPayload<"expire_points">;
      wallet_sync_card: JobPayload<"wallet_sync_card">;
    }
  }
}
