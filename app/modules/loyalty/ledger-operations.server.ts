import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Transaction } from "~/db/client.server";
import { DomainError } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { users } from "~/modules/auth/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { enrollInTransaction } from "./enrollment.server";
import { appendLedgerEntry, type LedgerEntry, type LedgerRow } from "./ledger.server";
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

/**
 * Points for a purchase: floor(cents × points per euro / 100). Whole points only, never rounded
 * up, so splitting a purchase never earns more than paying it at once. Exact in integers.
 */
export function pointsForPurchase(amountCents: number, pointsPerEuro: number): number {
  return Math.floor((amountCents * pointsPerEuro) / 100);
}

/** Records a purchase on a points program: its amount and the points it earns. */
export async function recordEarn(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; amountCents: number },
): Promise<LedgerResult> {
  const { amountCents } = input;
  if (!Number.isSafeInteger(amountCents) || amountCents < 1 || amountCents > maxPurchaseCents) {
    throw new DomainError("invalid_amount");
  }
  return runOperation(db, ctx, ["earn", input.cardId, amountCents], async (tx, acting) => {
    const { card, program } = await lockCard(tx, ctx.store, input.cardId);
    if (program.kind !== "points") throw new DomainError("program_kind_mismatch");
    const points = pointsForPurchase(amountCents, program.pointsPerEuro);
    if (card.pointsBalance + points > maxBalance) throw new DomainError("invalid_amount");
    return append(tx, { ...acting, cardId: card.id, type: "earn", amountCents, pointsDelta: points });
  });
}

/** Records a purchase on a stamps program: the program's stamps per purchase, and the amount when known. */
export async function recordStamp(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; amountCents?: number | null },
): Promise<LedgerResult> {
  const amountCents = input.amountCents ?? null;
  if (
    amountCents !== null &&
    (!Number.isSafeInteger(amountCents) || amountCents < 1 || amountCents > maxPurchaseCents)
  ) {
    throw new DomainError("invalid_amount");
  }
  return runOperation(db, ctx, ["stamp", input.cardId, amountCents], async (tx, acting) => {
    const { card, program } = await lockCard(tx, ctx.store, input.cardId);
    if (program.kind !== "stamps") throw new DomainError("program_kind_mismatch");
    return append(tx, {
      ...acting,
      cardId: card.id,
      type: "stamp",
      amountCents,
      stampsDelta: program.stampsPerPurchase,
    });
  });
}

/** Redeems an active reward of the card's program for its cost in points or stamps. */
export async function redeemReward(
  db: Database,
  ctx: LedgerContext,
  input: { cardId: string; rewardId: string },
): Promise<LedgerResult> {
  return runOperation(db, ctx, ["redeem", input.cardId, input.rewardId], async (tx, acting) => {
    const { card, program } = await lockCard(tx, ctx.store, input.cardId);
    const reward = z.uuid().safeParse(input.rewardId).success
      ? (
          await tx
            .select()
            .from(loyaltyRewards)
            .where(and(eq(loyaltyRewards.id, input.rewardId), eq(loyaltyRewards.programId, program.id)))
        )[0]
      : undefined;
    if (!reward?.active) throw new DomainError("reward_unavailable");
    const balance = program.kind === "points" ? card.pointsBalance : card.stampsBalance;
    if (balance < reward.cost) throw new DomainError("insufficient_balance");
    const delta = program.kind === "points" ? { pointsDelta: -reward.cost } : { stampsDelta: -reward.cost };
    return append(tx, { ...acting, cardId: card.id, type: "redeem", rewardId: reward.id, ...delta });
  });
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
  const key = ctx.idempotencyKey;
  if (typeof key !== "string" || key.length < 1 || key.length > 128 || !/^[\w:.-]+$/.test(key)) {
    throw new DomainError("invalid_idempotency_key");
  }
  if (!(ctx.clientTime instanceof Date) || Number.isNaN(ctx.clientTime.getTime())) {
    throw new DomainError("badRequest");
  }
  if (!ctx.store.loyaltyEnabled) throw new DomainError("loyaltyUnavailable");
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([ctx.store.id, ...payload]))
    .digest("hex");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    const [previous] = await tx.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.idempotencyKey, key));
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
  const [device] = isUuid(actor.deviceId)
    ? await tx.select().from(terminalDevices).where(eq(terminalDevices.id, actor.deviceId))
    : [];
  if (!device || device.storeId !== store.id) throw new DomainError("forbidden");
  if (device.revokedAt) throw new DomainError("device_revoked");
  const [staff] = isUuid(actor.counterStaffId)
    ? await tx.select().from(counterStaff).where(eq(counterStaff.id, actor.counterStaffId))
    : [];
  if (!staff || staff.storeId !== store.id) throw new DomainError("forbidden");
  if (staff.deactivatedAt) throw new DomainError("counter_staff_inactive");
  return { actingCounterStaffId: staff.id, actingDeviceId: device.id };
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
  if (!row) throw new DomainError("card_not_found");
  if (row.card.status !== "active") throw new DomainError("card_inactive");
  return row;
}
