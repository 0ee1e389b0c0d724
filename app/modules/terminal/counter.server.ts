import { and, eq, type SQL } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { DomainError, type ErrorCode } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { isValidCardNumber } from "~/modules/loyalty/card-number";
import {
  type CounterEnrollmentResult,
  enrollAtCounter,
  type LedgerContext,
  type LedgerResult,
  recordEarn,
  recordStamp,
  redeemReward,
} from "~/modules/loyalty/ledger-operations.server";
import { pointsExpiryOf } from "~/modules/loyalty/points-expiry";
import { activeProgram, activeRewards } from "~/modules/loyalty/programs.server";
import { customers, loyaltyCards } from "~/modules/loyalty/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { pinLockThreshold, unlockableStaff } from "./counter-staff.server";
import type { AuthenticatedDevice } from "./devices.server";
import { isUuid } from "./managed-store.server";
import { counterStaff } from "./schema";

/** What a paired device downloads to work offline: its store, the program, who may unlock it. */
export async function terminalBootstrap(db: Database, { store }: AuthenticatedDevice) {
  const program = store.loyaltyEnabled ? await activeProgram(db, store.merchantId) : null;
  const [rewards, staff] = await Promise.all([
    program ? activeRewards(db, program.id) : Promise.resolve([]),
    unlockableStaff(db, store.id),
  ]);
  return {
    store,
    program: program && {
      ...program,
      expiry: pointsExpiryOf(program),
      rewards,
    },
    counterStaff: staff,
    idleLockMinutes: store.terminalIdleLockMinutes,
    pinLockThreshold,
    serverTime: new Date(),
  };
}

/** A card as the counter sees it: number, status, balances and the holder's name. */
export interface CounterCard {
  id: string;
  cardNumber: string;
  status: string;
  pointsBalance: number;
  stampsBalance: number;
  firstName: string;
  lastName: string;
}

/**
 * The card a counter means by what it typed or scanned: a card number (spaces and hyphens
 * allowed), the card's QR content (its number), the card page's URL (its public token), or a card
 * id. Only cards of the store's merchant; anything else → `card_not_found`.
 */
export async function findCounterCard(db: Executor, store: Store, code: string): Promise<CounterCard> {
  const match = cardCondition(code.trim());
  const [card] = match
    ? await db
        .select({
          id: loyaltyCards.id,
          cardNumber: loyaltyCards.cardNumber,
          status: loyaltyCards.status,
          pointsBalance: loyaltyCards.pointsBalance,
          stampsBalance: loyaltyCards.stampsBalance,
          firstName: customers.firstName,
          lastName: customers.lastName,
        })
        .from(loyaltyCards)
        .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
        .where(and(match, eq(loyaltyCards.merchantId, store.merchantId)))
    : [];
  if (!card) throw new DomainError("card_not_found");
  return card;
}

function cardCondition(code: string): SQL | null {
  if (isUuid(code)) return eq(loyaltyCards.id, code.toLowerCase());
  const digits = code.replace(/[\s-]/g, "");
  if (/^\d+$/.test(digits)) return isValidCardNumber(digits) ? eq(loyaltyCards.cardNumber, digits) : null;
  const token = cardPageToken(code);
  return token ? eq(loyaltyCards.publicToken, token) : null;
}

/** The public token in a card page URL (`…/loyalty/card/<token>`), absolute or not. */
function cardPageToken(code: string): string | null {
  let path: string;
  try {
    path = new URL(code, "http://card.invalid").pathname;
  } catch {
    return null;
  }
  const match = /^\/loyalty\/card\/([\w-]{16,64})\/?$/.exec(path);
  return match?.[1] ?? null;
}

/** One counter operation as a device sends it, online or from its offline queue. */
export type CounterTransaction = {
  idempotencyKey: string;
  staffId: string;
  clientTime: Date;
} & (
  | { type: "earn"; card: string; amountCents: number }
  | { type: "stamp"; card: string; amountCents?: number | null }
  | { type: "redeem"; card: string; rewardId: string }
  | { type: "enroll"; firstName: string; lastName: string; email: string; locale: Locale }
);

export type CounterTransactionResult = LedgerResult & {
  cardNumber: string;
  enrollment?: CounterEnrollmentResult["status"];
};

/**
 * Records one counter operation for the staff member the device reports (unlocked by PIN on the
 * device), who must be an active member of the device's store; the ledger does the rest.
 */
export async function recordCounterTransaction(
  db: Database,
  { device, store }: AuthenticatedDevice,
  transaction: CounterTransaction,
): Promise<CounterTransactionResult> {
  const [member] = isUuid(transaction.staffId)
    ? await db
        .select({ id: counterStaff.id, deactivatedAt: counterStaff.deactivatedAt })
        .from(counterStaff)
        .where(and(eq(counterStaff.id, transaction.staffId), eq(counterStaff.storeId, store.id)))
    : [];
  if (!member) throw new DomainError("counter_staff_not_found");
  if (member.deactivatedAt) throw new DomainError("counter_staff_inactive");
  const ctx: LedgerContext = {
    actor: { counterStaffId: member.id, deviceId: device.id },
    store,
    idempotencyKey: transaction.idempotencyKey,
    clientTime: transaction.clientTime,
  };
  if (transaction.type === "enroll") {
    const { firstName, lastName, email, locale } = transaction;
    const result = await enrollAtCounter(db, ctx, { firstName, lastName, email, locale });
    return { ...result, enrollment: result.status };
  }
  const card = await findCounterCard(db, store, transaction.card);
  const result =
    transaction.type === "earn"
      ? await recordEarn(db, ctx, { cardId: card.id, amountCents: transaction.amountCents })
      : transaction.type === "stamp"
        ? await recordStamp(db, ctx, { cardId: card.id, amountCents: transaction.amountCents })
        : await redeemReward(db, ctx, { cardId: card.id, rewardId: transaction.rewardId });
  return { ...result, cardNumber: card.cardNumber };
}

export type BatchItemOutcome =
  | { status: "applied" | "duplicate"; result: CounterTransactionResult }
  | { status: "rejected"; code: ErrorCode };

/** Cards (or enrollment emails) whose queues are recorded at once; each queue stays in client order. */
const batchConcurrency = 4;

/**
 * An offline queue: each item in its own transaction, so one refusal never undoes another. Items
 * of one card (or one enrollment email) run in the order the client sent them; different cards
 * run side by side. Items the caller could not read come as an error code already.
 */
export async function recordCounterBatch(
  db: Database,
  device: AuthenticatedDevice,
  items: (CounterTransaction | { invalid: ErrorCode })[],
): Promise<BatchItemOutcome[]> {
  const outcomes: BatchItemOutcome[] = new Array(items.length);
  // A card may be named by its number in one item and its QR URL in the next: group by the card itself.
  const cardIds = new Map<string, string | null>();
  for (const item of items) {
    if ("invalid" in item || item.type === "enroll" || cardIds.has(item.card)) continue;
    const card = await findCounterCard(db, device.store, item.card).catch((error: unknown) => {
      if (error instanceof DomainError) return null;
      throw error;
    });
    cardIds.set(item.card, card?.id ?? null);
  }
  const queues = new Map<string, number[]>();
  items.forEach((item, index) => {
    if ("invalid" in item) {
      outcomes[index] = { status: "rejected", code: item.invalid };
      return;
    }
    const key = item.type === "enroll" ? `enroll:${item.email.trim().toLowerCase()}` : cardIds.get(item.card);
    if (!key) {
      outcomes[index] = { status: "rejected", code: "card_not_found" };
      return;
    }
    const queue = queues.get(key) ?? [];
    queue.push(index);
    queues.set(key, queue);
  });
  const pending = [...queues.values()];
  const worker = async () => {
    for (let queue = pending.shift(); queue; queue = pending.shift()) {
      for (const index of queue) {
        const item = items[index] as CounterTransaction;
        try {
          const result = await recordCounterTransaction(db, device, item);
          outcomes[index] = { status: result.replayed ? "duplicate" : "applied", result };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          outcomes[index] = { status: "rejected", code: error.code };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(batchConcurrency, pending.length) }, worker));
  return outcomes;
}
