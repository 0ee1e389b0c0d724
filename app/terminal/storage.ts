import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Bootstrap, PairResponse, TransactionRequest } from "./api";
import type { QueuedTransaction, QueueStore, UploadConflict } from "./queue";

/** What the device keeps after pairing: its token (the credential), itself and its store. */
export interface Pairing {
  token: string;
  device: PairResponse["device"];
  store: PairResponse["store"];
}

/** Wrong PINs typed offline for one staff member, not yet reported to the server. */
export interface PinFailures {
  staffId: string;
  count: number;
  lastAttemptAt: string;
}

interface TerminalSchema extends DBSchema {
  /** One record each: "pairing" and "bootstrap" (store, program, staff with PIN hashes). */
  state: { key: "pairing" | "bootstrap"; value: Pairing | Bootstrap };
  /** The offline queue, in the order the counter recorded it. */
  queue: { key: number; value: QueuedTransaction };
  conflicts: { key: string; value: UploadConflict };
  pinFailures: { key: string; value: PinFailures };
}

/** The browser database of the web terminal (ADR 020). */
export const terminalDatabaseName = "rewardflow-terminal";
const storeNames = ["state", "queue", "conflicts", "pinFailures"] as const;

let opened: Promise<IDBPDatabase<TerminalSchema>> | null = null;

function database(): Promise<IDBPDatabase<TerminalSchema>> {
  opened ??= openDB<TerminalSchema>(terminalDatabaseName, 1, {
    upgrade(db) {
      db.createObjectStore("state");
      db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      db.createObjectStore("conflicts", { keyPath: "idempotencyKey" });
      db.createObjectStore("pinFailures", { keyPath: "staffId" });
    },
    // Another tab upgrading or deleting the database: let it, and reopen on the next use.
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
  });
  return opened;
}

export async function loadPairing(): Promise<Pairing | null> {
  return ((await (await database()).get("state", "pairing")) as Pairing | undefined) ?? null;
}

export async function savePairing(pairing: Pairing): Promise<void> {
  await (await database()).put("state", pairing, "pairing");
}

export async function loadBootstrap(): Promise<Bootstrap | null> {
  return ((await (await database()).get("state", "bootstrap")) as Bootstrap | undefined) ?? null;
}

export async function saveBootstrap(bootstrap: Bootstrap): Promise<void> {
  await (await database()).put("state", bootstrap, "bootstrap");
}

/** Adds one operation to the end of the offline queue. */
export async function enqueue(request: TransactionRequest): Promise<void> {
  await (await database()).add("queue", { request, queuedAt: new Date().toISOString() });
}

export async function queueCount(): Promise<number> {
  return (await database()).count("queue");
}

export async function listConflicts(): Promise<UploadConflict[]> {
  return (await database()).getAll("conflicts");
}

export async function dismissConflict(idempotencyKey: string): Promise<void> {
  await (await database()).delete("conflicts", idempotencyKey);
}

/** The queue as the draining logic sees it. */
export const browserQueue: QueueStore = {
  async list() {
    return (await database()).getAll("queue");
  },
  async remove(seqs) {
    const tx = (await database()).transaction("queue", "readwrite");
    await Promise.all([...seqs.map((seq) => tx.store.delete(seq)), tx.done]);
  },
  async addConflicts(conflicts) {
    const tx = (await database()).transaction("conflicts", "readwrite");
    await Promise.all([...conflicts.map((conflict) => tx.store.put(conflict)), tx.done]);
  },
};

export async function pinFailuresOf(staffId: string): Promise<PinFailures | null> {
  return (await (await database()).get("pinFailures", staffId)) ?? null;
}

export async function listPinFailures(): Promise<PinFailures[]> {
  return (await database()).getAll("pinFailures");
}

/** Counts one wrong PIN typed while the server could not be asked. */
export async function recordPinFailure(staffId: string): Promise<PinFailures> {
  const db = await database();
  const tx = db.transaction("pinFailures", "readwrite");
  const current = await tx.store.get(staffId);
  const next = { staffId, count: (current?.count ?? 0) + 1, lastAttemptAt: new Date().toISOString() };
  await tx.store.put(next);
  await tx.done;
  return next;
}

/** Forgets `count` reported (or, without a count, all) failures of a staff member. */
export async function clearPinFailures(staffId: string, count?: number): Promise<void> {
  const db = await database();
  const tx = db.transaction("pinFailures", "readwrite");
  const current = await tx.store.get(staffId);
  if (current && count !== undefined && current.count > count) {
    await tx.store.put({ ...current, count: current.count - count });
  } else {
    await tx.store.delete(staffId);
  }
  await tx.done;
}

/** Revocation: the token, PIN hashes, staff, queue and conflicts are all gone. */
export async function wipeTerminal(): Promise<void> {
  const db = await database();
  const tx = db.transaction([...storeNames], "readwrite");
  await Promise.all([...storeNames.map((name) => tx.objectStore(name).clear()), tx.done]);
}
