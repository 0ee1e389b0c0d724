import { describe, expect, it } from "vitest";
import type { BatchResponse, TransactionRequest } from "./api";
import { drainQueue, type QueuedTransaction, type QueueStore, retryDelayMs, type UploadConflict } from "./queue";

/** The queue in memory, as IndexedDB holds it in the browser: ordered by seq. */
function memoryQueue(items: TransactionRequest[]) {
  let queue: QueuedTransaction[] = items.map((request, index) => ({ seq: index + 1, request, queuedAt: "" }));
  const conflicts: UploadConflict[] = [];
  const store: QueueStore = {
    list: async () => [...queue],
    remove: async (seqs) => {
      queue = queue.filter((item) => !seqs.includes(item.seq ?? -1));
    },
    addConflicts: async (added) => {
      conflicts.push(...added);
    },
  };
  return { store, conflicts, remaining: () => queue.map((item) => item.request.idempotencyKey) };
}

const earn = (key: string): TransactionRequest => ({
  type: "earn",
  idempotencyKey: key,
  staffId: "7b0a6c1e-6a43-4b4e-9a43-2d3c3b1a0e11",
  clientTime: "2026-12-01T10:00:00.000Z",
  card: "4000000000000002",
  amountCents: 1000,
});

const result = (key: string) => ({
  transactionId: 1,
  type: "earn" as const,
  cardId: "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
  cardNumber: "4000000000000002",
  pointsDelta: 10,
  stampsDelta: 0,
  balance: { points: 10, stamps: 0 },
  serverTime: "2026-12-01T10:00:01.000Z",
  replayed: key.startsWith("dup"),
});

/** A server that applies each key once and answers `duplicate` for a key it has seen. */
function server() {
  const seen = new Set<string>();
  const uploads: string[][] = [];
  const upload = async (transactions: TransactionRequest[]): Promise<BatchResponse> => {
    uploads.push(transactions.map((item) => item.idempotencyKey));
    return {
      results: transactions.map((item, index) => {
        const duplicate = seen.has(item.idempotencyKey);
        seen.add(item.idempotencyKey);
        return {
          index,
          idempotencyKey: item.idempotencyKey,
          status: duplicate ? ("duplicate" as const) : ("applied" as const),
          result: result(item.idempotencyKey),
        };
      }),
    };
  };
  return { upload, uploads, applied: seen };
}

describe("drainQueue", () => {
  it("uploads the queue in order, in batches, until it is empty", async () => {
    const queue = memoryQueue(["a", "b", "c", "d", "e"].map(earn));
    const api = server();
    const outcome = await drainQueue(queue.store, api.upload, 2);
    expect(api.uploads).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(outcome).toEqual({ applied: 5, duplicates: 0, conflicts: [] });
    expect(queue.remaining()).toEqual([]);
  });

  it("keeps the queue when an upload fails, and the retry sends the same keys: nothing counts twice", async () => {
    const queue = memoryQueue(["a", "b", "c"].map(earn));
    const api = server();
    // The server applies the batch but the answer never reaches the terminal.
    const lostAnswer = async (transactions: TransactionRequest[]) => {
      await api.upload(transactions);
      throw new TypeError("Failed to fetch");
    };
    await expect(drainQueue(queue.store, lostAnswer)).rejects.toThrow("Failed to fetch");
    expect(queue.remaining()).toEqual(["a", "b", "c"]);

    const outcome = await drainQueue(queue.store, api.upload);
    expect(api.uploads).toEqual([
      ["a", "b", "c"],
      ["a", "b", "c"],
    ]);
    expect(outcome).toEqual({ applied: 0, duplicates: 3, conflicts: [] });
    expect(api.applied.size).toBe(3);
    expect(queue.remaining()).toEqual([]);
  });

  it("keeps a refused item as a conflict for staff instead of dropping it", async () => {
    const queue = memoryQueue(["a", "b"].map(earn));
    const outcome = await drainQueue(
      queue.store,
      async (transactions) => ({
        results: [
          { index: 0, idempotencyKey: transactions[0]?.idempotencyKey ?? null, status: "applied", result: result("a") },
          {
            index: 1,
            idempotencyKey: transactions[1]?.idempotencyKey ?? null,
            status: "rejected",
            error: { code: "insufficient_balance", message: "The balance does not cover this reward." },
          },
        ],
      }),
      100,
      () => new Date("2026-12-01T12:00:00.000Z"),
    );
    expect(outcome.applied).toBe(1);
    expect(queue.remaining()).toEqual([]);
    expect(queue.conflicts).toEqual([
      {
        idempotencyKey: "b",
        request: earn("b"),
        code: "insufficient_balance",
        message: "The balance does not cover this reward.",
        refusedAt: "2026-12-01T12:00:00.000Z",
      },
    ]);
  });

  it("removes only items the server answered for by their own key, and stops when it answered for none", async () => {
    const queue = memoryQueue(["a", "b"].map(earn));
    const outcome = await drainQueue(queue.store, async () => ({
      results: [{ index: 0, idempotencyKey: "someone-else", status: "applied", result: result("x") }],
    }));
    expect(outcome).toEqual({ applied: 0, duplicates: 0, conflicts: [] });
    expect(queue.remaining()).toEqual(["a", "b"]);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 2 s and stops at 10 s", () => {
    expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});
