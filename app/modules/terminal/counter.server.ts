import { and, eq, inArray, or } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { DomainError, type ErrorCode } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { isValidCardNumber } from "~/modules/loyalty/card-number";
import {
  type CounterEnrollmentResult,
  enrollAtCounter,
  type LedgerContext,
  type LedgerResult,
  type QueuedCounterOperation,
  recordEarn,
  recordQueuedOperations,
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
  const card = (await findCounterCards(db, store, [code])).get(code);
  if (!card) throw new DomainError("card_not_found");
  return card;
}

/** The cards many codes name (as `findCounterCard` reads them), in one query: code → card, unknown codes left out. */
export async function findCounterCards(
  db: Executor,
  store: Store,
  codes: readonly string[],
): Promise<Map<string, CounterCard>> {
  const references = new Map(codes.map((code) => [code, cardReference(code.trim())]));
  const wanted = (by: CardReference["by"]) => [
    ...new Set([...references.values()].flatMap((reference) => (reference?.by === by ? [reference.value] : []))),
  ];
  const conditions = [
    ["id", loyaltyCards.id],
    ["number", loyaltyCards.cardNumber],
    ["token", loyaltyCards.publicToken],
  ].flatMap(([by, column]) => {
    const values = wanted(by as CardReference["by"]);
    return values.length > 0 ? [inArray(column as typeof loyaltyCards.id, values)] : [];
  });
  const cards =
    conditions.length > 0
      ? await db
          .select({
            id: loyaltyCards.id,
            cardNumber: loyaltyCards.cardNumber,
            publicToken: loyaltyCards.publicToken,
            status: loyaltyCards.status,
            pointsBalance: loyaltyCards.pointsBalance,
            stampsBalance: loyaltyCards.stampsBalance,
            firstName: customers.firstName,
            lastName: customers.lastName,
          })
          .from(loyaltyCards)
          .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
          .where(and(or(...conditions), eq(loyaltyCards.merchantId, store.merchantId)))
      : [];
  const found = new Map<string, CounterCard>();
  for (const [code, reference] of references) {
    const match = reference && cards.find((card) => card[referenceField[reference.by]] === reference.value);
    if (match) {
      const { publicToken: _token, ...card } = match;
      found.set(code, card);
    }
  }
  return found;
}

type CardReference = { by: "id" | "number" | "token"; value: string };
const referenceField = { id: "id", number: "cardNumber", token: "publicToken" } as const;

function cardReference(code: string): CardReference | null {
  if (isUuid(code)) return { by: "id", value: code.toLowerCase() };
  const digits = code.replace(/[\s-]/g, "");
  if (/^\d+$/.test(digits)) return isValidCardNumber(digits) ? { by: "number", value: digits } : null;
  const token = cardPageToken(code);
  return token ? { by: "token", value: token } : null;
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

/** Enrollment emails whose items are recorded at once; each email's items stay in client order. */
const enrollmentConcurrency = 4;

/**
 * An offline queue. Its earns, stamps and redeems are resolved at once (cards, staff) and recorded
 * by `recordQueuedOperations` in client order, each with its own outcome (ADR 022); its enrollments
 * each in their own transaction, grouped by email. A refusal never undoes another item. Items the
 * caller could not read come as an error code already.
 */
export async function recordCounterBatch(
  db: Database,
  device: AuthenticatedDevice,
  items: (CounterTransaction | { invalid: ErrorCode })[],
): Promise<BatchItemOutcome[]> {
  const { store } = device;
  const outcomes: BatchItemOutcome[] = new Array(items.length);
  const onCards = items.flatMap((item) => ("invalid" in item || item.type === "enroll" ? [] : [item]));
  const [cards, staff] = await Promise.all([
    findCounterCards(
      db,
      store,
      onCards.map((item) => item.card),
    ),
    storeStaff(
      db,
      store,
      onCards.map((item) => item.staffId),
    ),
  ]);
  const operations: { index: number; cardNumber: string; operation: QueuedCounterOperation }[] = [];
  const enrollments = new Map<string, number[]>();
  items.forEach((item, index) => {
    if ("invalid" in item) {
      outcomes[index] = { status: "rejected", code: item.invalid };
      return;
    }
    if (item.type === "enroll") {
      const email = item.email.trim().toLowerCase();
      enrollments.set(email, [...(enrollments.get(email) ?? []), index]);
      return;
    }
    const card = cards.get(item.card);
    const member = staff.get(item.staffId.toLowerCase());
    const refusal: ErrorCode | null = !card
      ? "card_not_found"
      : !member
        ? "counter_staff_not_found"
        : member.deactivatedAt
          ? "counter_staff_inactive"
          : null;
    if (refusal || !card || !member) {
      outcomes[index] = { status: "rejected", code: refusal ?? "card_not_found" };
      return;
    }
    const frame = {
      actor: { counterStaffId: member.id, deviceId: device.device.id },
      idempotencyKey: item.idempotencyKey,
      clientTime: item.clientTime,
      cardId: card.id,
    };
    const operation: QueuedCounterOperation =
      item.type === "earn"
        ? { ...frame, type: "earn", amountCents: item.amountCents }
        : item.type === "stamp"
          ? { ...frame, type: "stamp", amountCents: item.amountCents }
          : { ...frame, type: "redeem", rewardId: item.rewardId };
    operations.push({ index, cardNumber: card.cardNumber, operation });
  });
  const recorded = await recordQueuedOperations(
    db,
    store,
    operations.map(({ operation }) => operation),
  );
  recorded.forEach((outcome, n) => {
    const { index, cardNumber } = operations[n] as (typeof operations)[number];
    outcomes[index] =
      "refused" in outcome
        ? { status: "rejected", code: outcome.refused }
        : {
            status: outcome.result.replayed ? "duplicate" : "applied",
            result: { ...outcome.result, cardNumber },
          };
  });
  const pending = [...enrollments.values()];
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
  await Promise.all(Array.from({ length: Math.min(enrollmentConcurrency, pending.length) }, worker));
  return outcomes;
}

/** The store's counter staff among these ids, in one query (ids that are not UUIDs are simply not found). */
async function storeStaff(db: Executor, store: Store, ids: readonly string[]) {
  const wanted = [...new Set(ids.filter(isUuid))];
  const rows =
    wanted.length > 0
      ? await db
          .select({ id: counterStaff.id, deactivatedAt: counterStaff.deactivatedAt })
          .from(counterStaff)
          .where(and(inArray(counterStaff.id, wanted), eq(counterStaff.storeId, store.id)))
      : [];
  return new Map(rows.map((row) => [row.id, row]));
}
