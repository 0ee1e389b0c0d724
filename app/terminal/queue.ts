import type { BatchResponse, TransactionRequest } from "./api";

/** One operation recorded while the server could not be reached, with the key it keeps for ever. */
export interface QueuedTransaction {
  /** Position in the queue (IndexedDB key), so uploads keep the counter's order. */
  seq?: number;
  request: TransactionRequest;
  queuedAt: string;
}

/** A queued operation the server refused at upload: staff must see it, it is never dropped silently. */
export interface UploadConflict {
  idempotencyKey: string;
  request: TransactionRequest;
  code: string;
  message: string;
  refusedAt: string;
}

export interface QueueStore {
  /** Oldest first. */
  list(): Promise<QueuedTransaction[]>;
  remove(seqs: number[]): Promise<void>;
  addConflicts(conflicts: UploadConflict[]): Promise<void>;
}

export type UploadBatch = (transactions: TransactionRequest[]) => Promise<BatchResponse>;

export interface DrainOutcome {
  applied: number;
  duplicates: number;
  conflicts: UploadConflict[];
}

/** Small enough to answer well within a request timeout on a slow counter connection. */
export const uploadBatchSize = 100;

/**
 * Uploads the queue in order, batch by batch, until it is empty. An item leaves the queue only once
 * the server has answered for it: applied, duplicate (an earlier upload got through: its key was
 * used) or rejected (kept as a conflict for staff). A failed upload throws and leaves the queue as
 * it was, so the retry sends the same idempotency keys and nothing is counted twice.
 */
export async function drainQueue(
  store: QueueStore,
  upload: UploadBatch,
  batchSize = uploadBatchSize,
  now: () => Date = () => new Date(),
): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { applied: 0, duplicates: 0, conflicts: [] };
  for (;;) {
    const batch = (await store.list()).slice(0, batchSize);
    if (batch.length === 0) return outcome;
    const { results } = await upload(batch.map((item) => item.request));
    const answered: number[] = [];
    const conflicts: UploadConflict[] = [];
    for (const result of results) {
      const item = batch[result.index];
      // Only an answer about the very item sent at that index removes it.
      if (!item || item.seq === undefined || result.idempotencyKey !== item.request.idempotencyKey) continue;
      answered.push(item.seq);
      if (result.status === "applied") outcome.applied++;
      else if (result.status === "duplicate") outcome.duplicates++;
      else {
        conflicts.push({
          idempotencyKey: item.request.idempotencyKey,
          request: item.request,
          code: result.error.code,
          message: result.error.message,
          refusedAt: now().toISOString(),
        });
      }
    }
    if (conflicts.length > 0) await store.addConflicts(conflicts);
    await store.remove(answered);
    outcome.conflicts.push(...conflicts);
    // A server that answered for nothing would make this loop forever: leave the rest for later.
    if (answered.length === 0) return outcome;
  }
}

/**
 * Wait before the next upload attempt: doubling from 2 s up to 10 s. Short, because browsers often
 * still report "online" on a network that reaches nothing, so no event says when it is back.
 */
export function retryDelayMs(failures: number): number {
  return Math.min(10_000, 2_000 * 2 ** Math.max(0, failures - 1));
}
