import { z } from "zod";

/** Every job the code can enqueue: name → payload schema. Payloads carry ids, never records. */
export const jobPayloads = {
  send_email: z.object({ emailLogId: z.uuid() }),
  // Graphile's cron adds `_cron` details to the payload: accept and ignore them.
  prune_expired_rows: z.looseObject({}),
  expire_points: z.looseObject({}),
  wallet_sync_card: z.object({ cardId: z.uuid() }),
  wallet_sync_class: z.object({ programId: z.uuid() }),
  wallet_reward_message: z.object({ cardId: z.uuid(), rewardId: z.uuid(), transactionId: z.int().positive() }),
  // The object id, not the card: the go-live cleanup deletes the card in the same transaction.
  wallet_retire_object: z.object({ objectId: z.string().regex(/^[A-Za-z0-9._-]+$/) }),
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
  wallet_sync_class: 10,
  wallet_reward_message: 10,
  // Erasure must reach Google: after the tenth, one attempt every six hours for about three more days.
  wallet_retire_object: 20,
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
      wallet_sync_class: JobPayload<"wallet_sync_class">;
      wallet_reward_message: JobPayload<"wallet_reward_message">;
      wallet_retire_object: JobPayload<"wallet_retire_object">;
    }
  }
}
