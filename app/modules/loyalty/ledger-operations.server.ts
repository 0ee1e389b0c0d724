import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "~/db/client.server";
import { DomainError, type ErrorCode } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { users } from "~/modules/auth/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { enrollInTransaction } from "./enrollment.server";
import { appendLedgerEntry, crossedRewards, type LedgerEntry, type LedgerRow } from "./ledger.server";
import { queueRewardReady } from "./loyalty-emails.server";
import { type Program, programBalance, type Reward } from "./programs.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards, loyaltyTransactions, type TransactionType } from "./schema";

/** A counter staff member working on a paired device. */
export interface CounterActor {
  counterStaffId: string;
  deviceId: string;
}
/** A signed-in staff user in the merchant portal. */
export interface PortalActor {
  userId: string;
}
export type LedgerActor = CounterActor | PortalActor;

/** Who acts, where, and the client's idempotency key and clock: every ledger operation takes one. */
export interface LedgerContext<A extends LedgerActor = LedgerActor> {
  actor: A;
  /** The store where it happens; the card must belong to its merchant. */
  store: Store;
  /** Chosen by the client, one per operation (a UUID from the terminal); a retry sends it again. */
  idempotencyKey: string;
  clientTime: Date;
}

export interface LedgerResult {
  transactionId: number;
  type: TransactionType;
  cardId: string;
  pointsDelta: number;
  stampsDelta: number;
  /** The card's balance right after this operation (also on a replay). */
  balance: { points: number; stamps: number };
  serverTime: Date;
  /** True when the key had been used already: nothing changed, this is the original result. */
  replayed: boolean;
}

export interface CounterEnrollmentResult extends LedgerResult {
  /** `existing`: the email already had a card at this merchant; it was sent a "your card" email. */
  status: "enrolled" | "existing";
  cardNumber: string;
}

/** The largest purchase one earn may record: 100,000.00 €. */
export const maxPurchaseCents = 10_000_000;
/** The largest balance a card may hold: far from any real card, and from the 32-bit column's limit. */
export const maxBalance = 1_000_000_000;

/** A purchase amount an earn or a stamp may record: whole cents, 1 cent to 100,000.00 €. */
const isPurchaseAmount = (amountCents: number) =>
  Number.isSafeInteger(amountCents) && amountCents >= 1 && amountCents <= maxPurchaseCents;

/**
 * Points for a purchase: floor(cents × points per euro / 100). Whole points only, never rounded
 * up, so splitting a purchase never earns more than paying it at once. Exact in integers.
 */
export function pointsForPurchase(amountCents: number, pointsPerEuro: number): number {
  return Math.floor((amountCents * pointsPerEuro) / 100);
}

/** An earn, a stamp or a redeem on a card: what a counter records for a shopper. */
export type CounterOperationInput =
  | { type: "earn"; cardId: string; amountCents: number }
  | { type: "stamp"; cardId: string; amountCents?: number | null }
  | { type: "redeem"; cardId: string; rewardId: string };

/** Records a purchase on a points program: its amount and the points it earns. */
export function recordEarn(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; amountCents: number },
): Promise<LedgerResult> {
  return recordCounterOperation(db, ctx, { type: "earn", ...input });
}

/** Records a purchase on a stamps program: the program's stamps per purchase, and the amount when known. */
export function recordStamp(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; amountCents?: number | null },
): Promise<LedgerResult> {
  return recordCounterOperation(db, ctx, { type: "stamp", ...input });
}

/** Redeems an active reward of the card's program for its cost in points or stamps. */
export function redeemReward(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; rewardId: string },
): Promise<LedgerResult> {
  return recordCounterOperation(db, ctx, { type: "redeem", ...input });
}

async function recordCounterOperation(
  db: Database,
  ctx: LedgerContext,
  input: CounterOperationInput,
): Promise<LedgerResult> {
  const refusal = inputRefusal(input);
  if (refusal) throw new DomainError(refusal);
  return runOperation(db, ctx, operationPayload(input), async (tx, acting) => {
    const { card, program } = await lockCard(tx, ctx.store, input.cardId);
    const reward =
      input.type === "redeem" && isUuid(input.rewardId)
        ? (
            await tx
              .select()
              .from(loyaltyRewards)
              .where(and(eq(loyaltyRewards.id, input.rewardId), eq(loyaltyRewards.programId, program.id)))
          )[0]
        : undefined;
    const move = counterMove(input, card, program, reward);
    if (typeof move === "string") throw new DomainError(move);
    return append(tx, { ...acting, cardId: card.id, ...move });
  });
}

/** What refuses an operation's input before anything is read: an amount out of range. */
function inputRefusal(input: CounterOperationInput): ErrorCode | null {
  const amountCents = input.type === "redeem" ? null : (input.amountCents ?? null);
  if (input.type === "earn" || amountCents !== null) {
    if (!isPurchaseAmount(amountCents as number)) return "invalid_amount";
  }
  return null;
}

/** What the idempotency key of an operation stands for. */
function operationPayload(input: CounterOperationInput): (string | number | null)[] {
  if (input.type === "earn") return ["earn", input.cardId, input.amountCents];
  if (input.type === "stamp") return ["stamp", input.cardId, input.amountCents ?? null];
  return ["redeem", input.cardId, input.rewardId];
}

/**
 * The row an operation adds to a locked card by its program's rules, or why it is refused: an
 * earn's points (the card's limit kept), a stamp's stamps, a redeem's cost (an active reward of the
 * program, which the balance covers).
 */
function counterMove(
  input: CounterOperationInput,
  card: { pointsBalance: number; stampsBalance: number },
  program: Pick<Program, "kind" | "pointsPerEuro" | "stampsPerPurchase">,
  reward: Pick<Reward, "id" | "cost" | "active"> | undefined,
): ErrorCode | Pick<LedgerEntry, "type" | "amountCents" | "pointsDelta" | "stampsDelta" | "rewardId"> {
  if (input.type === "earn") {
    if (program.kind !== "points") return "program_kind_mismatch";
    const points = pointsForPurchase(input.amountCents, program.pointsPerEuro);
    if (card.pointsBalance + points > maxBalance) return "invalid_amount";
    return { type: "earn", amountCents: input.amountCents, pointsDelta: points };
  }
  if (input.type === "stamp") {
    if (program.kind !== "stamps") return "program_kind_mismatch";
    return { type: "stamp", amountCents: input.amountCents ?? null, stampsDelta: program.stampsPerPurchase };
  }
  if (!reward?.active) return "reward_unavailable";
  if (programBalance(program, card) < reward.cost) return "insufficient_balance";
  const delta = program.kind === "points" ? { pointsDelta: -reward.cost } : { stampsDelta: -reward.cost };
  return { type: "redeem", rewardId: reward.id, ...delta };
}

/**
 * Enrolls a shopper at the counter with the storefront's rules and emails (one customer per
 * merchant and email, one card, welcome bonus), plus an `enroll` row that records who did it.
 */
export async function enrollAtCounter(
  db: Database,
  ctx: LedgerContext,
  input: { firstName: string; lastName: string; email: string; locale: Locale },
): Promise<CounterEnrollmentResult> {
  if (!ctx.store.loyaltyEnabled) throw new DomainError("loyaltyUnavailable");
  const email = input.email.trim();
  const fingerprint = ["enroll", email.toLowerCase(), input.firstName.trim(), input.lastName.trim(), input.locale];
  const result = await runOperation(db, ctx, fingerprint, async (tx, acting) => {
    const enrolled = await enrollInTransaction(tx, ctx.store, {
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      email,
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: input.locale,
    });
    const { card } = await lockCard(tx, ctx.store, enrolled.cardId);
    return append(tx, { ...acting, cardId: card.id, type: "enroll" });
  });
  const [card] = await db
    .select({ cardNumber: loyaltyCards.cardNumber, createdAt: loyaltyCards.createdAt })
    .from(loyaltyCards)
    .where(eq(loyaltyCards.id, result.cardId));
  if (!card) throw new Error(`enrolled card ${result.cardId} not found`);
  // The card and its enroll row share their transaction's now() exactly when the card is new.
  const status = card.createdAt.getTime() === result.serverTime.getTime() ? "enrolled" : "existing";
  return { ...result, status, cardNumber: card.cardNumber };
}

/** A manager's correction, in the program's unit, with a reason; it may not take the balance below zero. */
export async function adjustBalance(
  db: Database,
  ctx: LedgerContext<PortalActor>,
  input: { cardId: string; delta: number; reason: string },
): Promise<LedgerResult> {
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) throw new DomainError("reason_required");
  if (!Number.isSafeInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > 1_000_000) {
    throw new DomainError("invalid_adjustment");
  }
  return runOperation(
    db,
    ctx,
    ["adjust", input.cardId, input.delta, reason],
    async (tx, acting) => {
      const { card, program } = await lockCard(tx, ctx.store, input.cardId);
      const balance = program.kind === "points" ? card.pointsBalance : card.stampsBalance;
      if (balance + input.delta < 0) throw new DomainError("insufficient_balance");
      if (balance + input.delta > maxBalance) throw new DomainError("invalid_adjustment");
      const delta = program.kind === "points" ? { pointsDelta: input.delta } : { stampsDelta: input.delta };
      const row = await append(tx, { ...acting, cardId: card.id, type: "adjust", reason, ...delta });
      await auditCorrection(tx, ctx, "card.adjust", row);
      return row;
    },
    { managersOnly: true },
  );
}

/** Types a void may reverse: what staff or a bonus did, not an expiry, an enrollment or another void. */
export const voidableTypes: readonly TransactionType[] = ["welcome_bonus", "earn", "stamp", "redeem", "adjust"];

/**
 * Reverses one transaction with a new row of opposite deltas (a voided redeem gives its cost
 * back). Once only: the unique index on voided_transaction_id makes a second void impossible.
 * Refused when the reversal would take the balance below zero (the points were spent).
 */
export async function voidTransaction(
  db: Database,
  ctx: LedgerContext<PortalActor>,
  input: { transactionId: number; reason: string },
): Promise<LedgerResult> {
  const reason = input.reason.trim();
  if (!reason || reason.length > 500) throw new DomainError("reason_required");
  if (!Number.isSafeInteger(input.transactionId) || input.transactionId < 1) {
    throw new DomainError("transaction_not_found");
  }
  return runOperation(
    db,
    ctx,
    ["void", input.transactionId, reason],
    async (tx, acting) => {
      const [original] = await tx
        .select({ transaction: loyaltyTransactions, merchantId: loyaltyCards.merchantId })
        .from(loyaltyTransactions)
        .innerJoin(loyaltyCards, eq(loyaltyCards.id, loyaltyTransactions.cardId))
        .where(eq(loyaltyTransactions.id, input.transactionId));
      if (!original || original.merchantId !== ctx.store.merchantId) {
        throw new DomainError("transaction_not_found");
      }
      const target = original.transaction;
      if (!voidableTypes.includes(target.type)) throw new DomainError("not_voidable");
      const { card } = await lockCard(tx, ctx.store, target.cardId);
      const [earlier] = await tx
        .select({ id: loyaltyTransactions.id })
        .from(loyaltyTransactions)
        .where(eq(loyaltyTransactions.voidedTransactionId, target.id));
      if (earlier) throw new DomainError("already_voided");
      if (card.pointsBalance - target.pointsDelta < 0 || card.stampsBalance - target.stampsDelta < 0) {
        throw new DomainError("insufficient_balance");
      }
      const row = await append(tx, {
        ...acting,
        cardId: card.id,
        type: "void",
        reason,
        voidedTransactionId: target.id,
        rewardId: target.rewardId,
        pointsDelta: -target.pointsDelta,
        stampsDelta: -target.stampsDelta,
      });
      await auditCorrection(tx, ctx, "card.void", row);
      return row;
    },
    { managersOnly: true },
  );
}

/** A manager's correction goes to the audit log with its row, in the row's transaction (a replay adds nothing). */
async function auditCorrection(
  tx: Transaction,
  ctx: LedgerContext<PortalActor>,
  action: "card.adjust" | "card.void",
  row: LedgerRow,
) {
  await recordAudit(tx, ctx.actor, {
    action,
    entityType: "loyalty_card",
    entityId: row.cardId,
    merchantId: ctx.store.merchantId,
    details: {
      transactionId: row.id,
      storeId: row.storeId,
      pointsDelta: row.pointsDelta,
      stampsDelta: row.stampsDelta,
      reason: row.reason,
      ...(row.voidedTransactionId ? { voidedTransactionId: row.voidedTransactionId } : {}),
    },
  });
}

type ActingColumns = Pick<
  LedgerEntry,
  | "storeId"
  | "actingUserId"
  | "actingCounterStaffId"
  | "actingDeviceId"
  | "idempotencyKey"
  | "requestFingerprint"
  | "clientTime"
>;

async function append(tx: Transaction, entry: LedgerEntry): Promise<LedgerRow> {
  return (await appendLedgerEntry(tx, entry)).transaction;
}

/**
 * The frame of every operation: one transaction; the idempotency key's advisory lock first (two
 * calls with one key run one after the other, the second finds the first's row), then the
 * replay check, then the actor check, then the operation, which locks its card row.
 */
async function runOperation(
  db: Database,
  ctx: LedgerContext,
  payload: readonly (string | number | null)[],
  operation: (tx: Transaction, acting: ActingColumns) => Promise<LedgerRow>,
  options: { managersOnly?: boolean } = {},
): Promise<LedgerResult> {
  const refusal = frameRefusal(ctx);
  if (refusal) throw new DomainError(refusal);
  const key = ctx.idempotencyKey;
  const fingerprint = operationFingerprint(ctx.store, payload);
  return db.transaction(async (tx) => {
    // Sent together (ADR 037): PostgreSQL runs the lookup once the lock is granted, and under READ COMMITTED
    // it sees whatever the key's previous holder committed.
    const [, [previous]] = await Promise.all([
      tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`),
      tx.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.idempotencyKey, key)),
    ]);
    if (previous) {
      if (previous.requestFingerprint !== fingerprint) throw new DomainError("idempotency_conflict");
      return resultOf(previous, true);
    }
    const actor = await checkActor(tx, ctx, options.managersOnly ?? false);
    const row = await operation(tx, {
      ...actor,
      storeId: ctx.store.id,
      idempotencyKey: key,
      requestFingerprint: fingerprint,
      clientTime: ctx.clientTime,
    });
    return resultOf(row, false);
  });
}

/** What refuses an operation before any lookup: its key's form, its client time, the store's loyalty. */
function frameRefusal(ctx: Pick<LedgerContext, "idempotencyKey" | "clientTime" | "store">): ErrorCode | null {
  const key = ctx.idempotencyKey;
  if (typeof key !== "string" || key.length < 1 || key.length > 128 || !/^[\w:.-]+$/.test(key)) {
    return "invalid_idempotency_key";
  }
  if (!(ctx.clientTime instanceof Date) || Number.isNaN(ctx.clientTime.getTime())) return "badRequest";
  if (!ctx.store.loyaltyEnabled) return "loyaltyUnavailable";
  return null;
}

/** The operation a key stands for (store first, client time left out): a replay must match it. */
function operationFingerprint(store: Store, payload: readonly (string | number | null)[]): string {
  return createHash("sha256")
    .update(JSON.stringify([store.id, ...payload]))
    .digest("hex");
}

function resultOf(row: LedgerRow, replayed: boolean): LedgerResult {
  return {
    transactionId: row.id,
    type: row.type,
    cardId: row.cardId,
    pointsDelta: row.pointsDelta,
    stampsDelta: row.stampsDelta,
    balance: { points: row.pointsBalanceAfter ?? 0, stamps: row.stampsBalanceAfter ?? 0 },
    serverTime: row.createdAt,
    replayed,
  };
}

const isUuid = (value: unknown) => typeof value === "string" && z.uuid().safeParse(value).success;

/** The actor may act at this store: an active staff member and an unrevoked device of it, or a user in scope. */
async function checkActor(
  tx: Transaction,
  ctx: LedgerContext,
  managersOnly: boolean,
): Promise<Pick<LedgerEntry, "actingUserId" | "actingCounterStaffId" | "actingDeviceId">> {
  const { actor, store } = ctx;
  if ("userId" in actor) {
    const [user] = isUuid(actor.userId) ? await tx.select().from(users).where(eq(users.id, actor.userId)) : [];
    const inScope =
      user?.active &&
      (user.role === "platform_admin" ||
        (user.role === "merchant_owner" && user.merchantId === store.merchantId) ||
        (user.storeId === store.id && (user.role === "store_manager" || !managersOnly)));
    if (!user || !inScope) throw new DomainError("forbidden");
    return { actingUserId: user.id };
  }
  if (managersOnly) throw new DomainError("forbidden");
  const [[device], [staff]] = await Promise.all([
    isUuid(actor.deviceId) ? tx.select().from(terminalDevices).where(eq(terminalDevices.id, actor.deviceId)) : [],
    isUuid(actor.counterStaffId) ? tx.select().from(counterStaff).where(eq(counterStaff.id, actor.counterStaffId)) : [],
  ]);
  const refusal = counterActorRefusal(store, device, staff);
  if (refusal || !device || !staff) throw new DomainError(refusal ?? "forbidden");
  return { actingCounterStaffId: staff.id, actingDeviceId: device.id };
}

/** A counter actor may act at the store: an unrevoked device and an active staff member, both of it. */
function counterActorRefusal(
  store: Store,
  device: Pick<typeof terminalDevices.$inferSelect, "storeId" | "revokedAt"> | undefined,
  staff: Pick<typeof counterStaff.$inferSelect, "storeId" | "deactivatedAt"> | undefined,
): ErrorCode | null {
  if (!device || device.storeId !== store.id) return "forbidden";
  if (device.revokedAt) return "device_revoked";
  if (!staff || staff.storeId !== store.id) return "forbidden";
  if (staff.deactivatedAt) return "counter_staff_inactive";
  return null;
}

/**
 * The card row locked for the rest of the transaction, so operations on one card run one at a
 * time and each sees the balance the previous one left. Only cards of the store's merchant.
 */
async function lockCard(tx: Transaction, store: Store, cardId: string) {
  const [row] = isUuid(cardId)
    ? await tx
        .select({ card: loyaltyCards, program: loyaltyPrograms })
        .from(loyaltyCards)
        .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
        .where(and(eq(loyaltyCards.id, cardId), eq(loyaltyCards.merchantId, store.merchantId)))
        .for("update", { of: loyaltyCards })
    : [];
  const refusal = cardRefusal(row?.card);
  if (refusal || !row) throw new DomainError(refusal ?? "card_not_found");
  return row;
}

/** A card that may move: one of the store's merchant (else not found) and active. */
function cardRefusal(card: Pick<typeof loyaltyCards.$inferSelect, "status"> | undefined): ErrorCode | null {
  if (!card) return "card_not_found";
  if (card.status !== "active") return "card_inactive";
  return null;
}

/** One earn, stamp or redeem of a counter's offline queue, its card and staff member already resolved. */
export type QueuedCounterOperation = CounterOperationInput & {
  actor: CounterActor;
  idempotencyKey: string;
  clientTime: Date;
};

export type QueuedOperationOutcome = { result: LedgerResult } | { refused: ErrorCode };

/** Operations per transaction: a chunk holds its cards' row locks until it commits. */
const queueChunkSize = 500;

/**
 * A counter's offline queue at one store: each operation gets the outcome recordEarn, recordStamp
 * or redeemReward would give it called one after the other in client order — the same refusals,
 * replays, idempotency conflicts, rows, balances and reward-ready emails — but each chunk is one
 * transaction of a few statements: the keys' advisory locks and the cards' row locks taken at once
 * (each in one order), the rules applied in memory, the rows in one insert, the balances in one
 * update. A refused operation writes nothing, so it never undoes another (ADR 022).
 */
export async function recordQueuedOperations(
  db: Database,
  store: Store,
  operations: readonly QueuedCounterOperation[],
): Promise<QueuedOperationOutcome[]> {
  const outcomes: QueuedOperationOutcome[] = new Array(operations.length);
  const accepted: QueuedItem[] = [];
  operations.forEach((operation, index) => {
    const refusal = inputRefusal(operation) ?? frameRefusal({ ...operation, store });
    if (refusal) outcomes[index] = { refused: refusal };
    else accepted.push({ index, operation, fingerprint: operationFingerprint(store, operationPayload(operation)) });
  });
  for (let start = 0; start < accepted.length; start += queueChunkSize) {
    const chunk = accepted.slice(start, start + queueChunkSize);
    await db.transaction((tx) => recordQueueChunk(tx, store, chunk, outcomes));
  }
  return outcomes;
}

interface QueuedItem {
  index: number;
  operation: QueuedCounterOperation;
  fingerprint: string;
}

/** A row the chunk will write, and the rewards its rise crosses. */
interface PlannedRow {
  values: typeof loyaltyTransactions.$inferInsert;
  crossed: { id: string }[];
  row?: LedgerRow;
}

async function recordQueueChunk(
  tx: Transaction,
  store: Store,
  chunk: readonly QueuedItem[],
  outcomes: QueuedOperationOutcome[],
) {
  const keys = [...new Set(chunk.map((item) => item.operation.idempotencyKey))];
  // Keys in one order, then cards in one order: two uploads sharing keys or cards wait, never deadlock.
  await tx.execute(sql`
    select pg_advisory_xact_lock(lock.hash) from (
      select distinct hashtextextended(item.key, 0) as hash
      from json_array_elements_text(${JSON.stringify(keys)}::json) as item(key) order by 1
    ) as lock`);
  const previous = new Map(
    (await tx.select().from(loyaltyTransactions).where(inArray(loyaltyTransactions.idempotencyKey, keys))).map(
      (row) => [row.idempotencyKey, row],
    ),
  );
  const uuids = (values: string[]) => [...new Set(values.filter(isUuid))];
  const deviceIds = uuids(chunk.map((item) => item.operation.actor.deviceId));
  const staffIds = uuids(chunk.map((item) => item.operation.actor.counterStaffId));
  const cardIds = uuids(chunk.map((item) => item.operation.cardId)).sort();
  const [devices, staff, locked] = [
    deviceIds.length ? await tx.select().from(terminalDevices).where(inArray(terminalDevices.id, deviceIds)) : [],
    staffIds.length ? await tx.select().from(counterStaff).where(inArray(counterStaff.id, staffIds)) : [],
    cardIds.length
      ? await tx
          .select({ card: loyaltyCards, program: loyaltyPrograms })
          .from(loyaltyCards)
          .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
          .where(and(inArray(loyaltyCards.id, cardIds), eq(loyaltyCards.merchantId, store.merchantId)))
          .orderBy(asc(loyaltyCards.id))
          .for("update", { of: loyaltyCards })
      : [],
  ];
  const programIds = [...new Set(locked.map(({ program }) => program.id))];
  const rewards = programIds.length
    ? await tx.select().from(loyaltyRewards).where(inArray(loyaltyRewards.programId, programIds))
    : [];
  const devicesById = new Map(devices.map((device) => [device.id, device]));
  const staffById = new Map(staff.map((member) => [member.id, member]));
  const cards = new Map(locked.map(({ card, program }) => [card.id, { card: { ...card }, program }]));
  const rewardsById = new Map(rewards.map((reward) => [reward.id, reward]));
  const activeRewardsOf = (program: Program) =>
    rewards
      .filter((reward) => reward.programId === program.id && reward.active)
      .sort((a, b) => a.cost - b.cost)
      .map((reward) => ({ id: reward.id, cost: reward.cost, kind: program.kind }));

  const planned: PlannedRow[] = [];
  const byKey = new Map<string, { fingerprint: string; plan: PlannedRow }>();
  const answers: { index: number; plan: PlannedRow; replayed: boolean }[] = [];
  for (const { index, operation, fingerprint } of chunk) {
    const key = operation.idempotencyKey;
    const earlier = previous.get(key);
    if (earlier) {
      outcomes[index] =
        earlier.requestFingerprint === fingerprint
          ? { result: resultOf(earlier, true) }
          : { refused: "idempotency_conflict" };
      continue;
    }
    const earlierInQueue = byKey.get(key);
    if (earlierInQueue) {
      if (earlierInQueue.fingerprint === fingerprint)
        answers.push({ index, plan: earlierInQueue.plan, replayed: true });
      else outcomes[index] = { refused: "idempotency_conflict" };
      continue;
    }
    const target = cards.get(operation.cardId.toLowerCase());
    const refusal =
      counterActorRefusal(
        store,
        devicesById.get(operation.actor.deviceId.toLowerCase()),
        staffById.get(operation.actor.counterStaffId.toLowerCase()),
      ) ?? cardRefusal(target?.card);
    if (refusal || !target) {
      outcomes[index] = { refused: refusal ?? "card_not_found" };
      continue;
    }
    const { card, program } = target;
    const reward = operation.type === "redeem" ? rewardsById.get(operation.rewardId.toLowerCase()) : undefined;
    const move = counterMove(operation, card, program, reward?.programId === program.id ? reward : undefined);
    if (typeof move === "string") {
      outcomes[index] = { refused: move };
      continue;
    }
    const pointsDelta = move.pointsDelta ?? 0;
    const stampsDelta = move.stampsDelta ?? 0;
    const before = { points: card.pointsBalance, stamps: card.stampsBalance };
    card.pointsBalance += pointsDelta;
    card.stampsBalance += stampsDelta;
    const after = { points: card.pointsBalance, stamps: card.stampsBalance };
    const plan: PlannedRow = {
      values: {
        ...move,
        pointsDelta,
        stampsDelta,
        cardId: card.id,
        storeId: store.id,
        actingCounterStaffId: operation.actor.counterStaffId,
        actingDeviceId: operation.actor.deviceId,
        idempotencyKey: key,
        requestFingerprint: fingerprint,
        clientTime: operation.clientTime,
        pointsBalanceAfter: after.points,
        stampsBalanceAfter: after.stamps,
      },
      crossed: pointsDelta > 0 || stampsDelta > 0 ? crossedRewards(activeRewardsOf(program), before, after) : [],
    };
    planned.push(plan);
    byKey.set(key, { fingerprint, plan });
    answers.push({ index, plan, replayed: false });
  }
  if (planned.length === 0) return;

  const rows = await tx
    .insert(loyaltyTransactions)
    .values(planned.map((plan) => plan.values))
    .returning();
  const rowsByKey = new Map(rows.map((row) => [row.idempotencyKey, row]));
  for (const plan of planned) plan.row = rowsByKey.get(plan.values.idempotencyKey ?? null);
  const moved = [...new Set(planned.map((plan) => plan.values.cardId))].flatMap((id) => cards.get(id)?.card ?? []);
  await tx.execute(sql`
    update loyalty_cards as card
    set points_balance = moved.points, stamps_balance = moved.stamps, updated_at = now()
    from (values ${sql.join(
      moved.map((card) => sql`(${card.id}::uuid, ${card.pointsBalance}::int, ${card.stampsBalance}::int)`),
      sql`, `,
    )}) as moved(id, points, stamps)
    where card.id = moved.id`);
  for (const plan of planned) {
    for (const reward of plan.crossed) await queueRewardReady(tx, plan.values.cardId, reward.id, store.id);
  }
  for (const { index, plan, replayed } of answers) {
    if (!plan.row) throw new Error(`ledger row for key ${plan.values.idempotencyKey} not returned`);
    outcomes[index] = { result: resultOf(plan.row, replayed) };
  }
}
