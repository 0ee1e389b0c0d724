import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, createDatabase } from "~/db/client.server";
import type { DomainError } from "~/errors";
import { users } from "~/modules/auth/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { createTestDatabase } from "~/test/database";
import { enrollCustomer, enrollInTransaction } from "./enrollment.server";
import { appendLedgerEntry, cardHistory } from "./ledger.server";
import {
  adjustBalance,
  type CounterActor,
  type CounterOperationInput,
  enrollAtCounter,
  type LedgerActor,
  type LedgerContext,
  type LedgerResult,
  maxPurchaseCents,
  type PortalActor,
  pointsForPurchase,
  type QueuedCounterOperation,
  type QueuedOperationOutcome,
  recordEarn,
  recordQueuedOperations,
  recordStamp,
  redeemReward,
  voidTransaction,
} from "./ledger-operations.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards, loyaltyTransactions } from "./schema";

const { db, url } = await createTestDatabase();
let hub: Store;
let outlet: Store;
let wiza: Store;
let bookWorld: Store;
let atHub: CounterActor;
let atWiza: CounterActor;
let manager: PortalActor;
let owner: PortalActor;
let clerk: PortalActor;
let otherManager: PortalActor;
let voucher10: string;
let voucher30: string;
let wizaReward: string;

const byCode = async (code: string) => {
  const [store] = await db.select().from(stores).where(eq(stores.code, code));
  if (!store) throw new Error(code);
  return store;
};

async function counterAt(store: Store, name: string): Promise<CounterActor> {
  const [staff] = await db
    .insert(counterStaff)
    .values({ merchantId: store.merchantId, storeId: store.id, displayName: name })
    .returning();
  const [device] = await db
    .insert(terminalDevices)
    .values({ merchantId: store.merchantId, storeId: store.id, name: `${name}'s till`, pairedAt: new Date() })
    .returning();
  if (!staff || !device) throw new Error("fixture");
  return { counterStaffId: staff.id, deviceId: device.id };
}

async function user(role: "merchant_owner" | "store_manager" | "store_staff", store: Store): Promise<PortalActor> {
  const [row] = await db
    .insert(users)
    .values({
      email: `${role}-${randomUUID()}@example.com`,
      name: role,
      role,
      merchantId: store.merchantId,
      storeId: role === "merchant_owner" ? null : store.id,
    })
    .returning();
  if (!row) throw new Error("fixture");
  return { userId: row.id };
}

async function rewardId(store: Store, cost: number) {
  const [row] = await db
    .select({ id: loyaltyRewards.id })
    .from(loyaltyRewards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyRewards.programId))
    .where(and(eq(loyaltyPrograms.merchantId, store.merchantId), eq(loyaltyRewards.cost, cost)));
  if (!row) throw new Error(`reward ${cost}`);
  return row.id;
}

beforeAll(async () => {
  await seedDemoData(db);
  hub = await byCode("FASHIONHUB");
  outlet = await byCode("FASHIONOUTLET");
  wiza = await byCode("WIZATECH");
  bookWorld = await byCode("BOOKWORLD");
  atHub = await counterAt(hub, "Léa");
  atWiza = await counterAt(wiza, "Tom");
  manager = await user("store_manager", hub);
  owner = await user("merchant_owner", hub);
  clerk = await user("store_staff", hub);
  otherManager = await user("store_manager", bookWorld);
  voucher10 = await rewardId(hub, 200);
  voucher30 = await rewardId(hub, 500);
  wizaReward = await rewardId(wiza, 10);
});

function ctx<A extends LedgerActor>(actor: A, store: Store, idempotencyKey: string = randomUUID()): LedgerContext<A> {
  return { actor, store, idempotencyKey, clientTime: new Date("2026-12-01T09:30:00Z") };
}

/** A shopper no merchant has seen yet, enrolling in `locale`. */
function newShopper(locale: "fr" | "de") {
  return {
    firstName: "Anne",
    lastName: "Muller",
    email: `${randomUUID()}@example.com`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale,
  } as const;
}

/** A fresh card at the store's merchant (FashionHub: 50 welcome points; WizaTech: 1 stamp). */
async function newCard(store: Store = hub) {
  const result = await enrollCustomer(db, store, newShopper("fr"));
  return result.cardId;
}

async function cardRow(cardId: string) {
  const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
  if (!card) throw new Error(cardId);
  return card;
}

const ledgerOf = (cardId: string) =>
  db.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.cardId, cardId)).orderBy(loyaltyTransactions.id);

const emailsOf = async (cardId: string, templateKey: string) =>
  (await db.select().from(emailLogs).where(eq(emailLogs.cardId, cardId))).filter(
    (log) => log.templateKey === templateKey,
  );

describe("pointsForPurchase (floor of cents × points per euro / 100)", () => {
  it.each([
    [0, 1, 0],
    [1, 1, 0],
    [99, 1, 0],
    [100, 1, 1],
    [199, 1, 1],
    [12_345, 2, 246],
    [50, 2, 1],
    [49, 2, 0],
    [99, 0, 0],
    [maxPurchaseCents, 1000, 100_000_000],
  ])("%i cents at %i points per euro earn %i points", (cents, rate, points) => {
    expect(pointsForPurchase(cents, rate)).toBe(points);
  });

  it("never pays more for a split purchase than for the whole", () => {
    for (let cents = 1; cents < 1000; cents++) {
      expect(pointsForPurchase(cents, 3) + pointsForPurchase(1000 - cents, 3)).toBeLessThanOrEqual(
        pointsForPurchase(1000, 3),
      );
    }
  });
});

describe("recordEarn", () => {
  it("earns the floor of the amount's points and records who, where, the key and both times", async () => {
    const cardId = await newCard();
    const key = randomUUID();
    const result = await recordEarn(db, ctx(atHub, hub, key), {
      cardId,
      amountCents: 4_999,
    });
    expect(result).toMatchObject({
      type: "earn",
      pointsDelta: 49,
      balance: { points: 99, stamps: 0 },
      replayed: false,
    });
    const [row] = (await ledgerOf(cardId)).filter((entry) => entry.type === "earn");
    expect(row).toMatchObject({
      amountCents: 4_999,
      pointsDelta: 49,
      actingCounterStaffId: atHub.counterStaffId,
      actingDeviceId: atHub.deviceId,
      actingUserId: null,
      idempotencyKey: key,
      clientTime: new Date("2026-12-01T09:30:00Z"),
      storeId: hub.id,
      pointsBalanceAfter: 99,
    });
    expect(Math.abs((row?.createdAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect((await cardRow(cardId)).pointsBalance).toBe(99);
  });

  it("records a 99-cent purchase with no points, and the sister store's purchase on the same card", async () => {
    const cardId = await newCard();
    const atOutlet = await counterAt(outlet, "Max");
    expect((await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 99 })).pointsDelta).toBe(0);
    expect((await recordEarn(db, ctx(atOutlet, outlet), { cardId, amountCents: 100 })).balance.points).toBe(51);
  });

  it.each([0, -100, 1.5, maxPurchaseCents + 1, Number.NaN])("refuses %s cents with invalid_amount", async (cents) => {
    const cardId = await newCard();
    await expect(recordEarn(db, ctx(atHub, hub), { cardId, amountCents: cents })).rejects.toMatchObject({
      code: "invalid_amount",
      status: 422,
    });
    expect(await ledgerOf(cardId)).toHaveLength(1);
  });

  it("refuses an earn on a stamps program and a stamp on a points program", async () => {
    const stampsCard = await newCard(wiza);
    const pointsCard = await newCard(hub);
    await expect(recordEarn(db, ctx(atWiza, wiza), { cardId: stampsCard, amountCents: 1000 })).rejects.toMatchObject({
      code: "program_kind_mismatch",
      status: 409,
    });
    await expect(recordStamp(db, ctx(atHub, hub), { cardId: pointsCard })).rejects.toMatchObject({
      code: "program_kind_mismatch",
    });
  });

  it("finds no card of another merchant, and no card for an id that is not one", async () => {
    const wizaCard = await newCard(wiza);
    for (const cardId of [wizaCard, "not-a-uuid", randomUUID()]) {
      await expect(recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 500 })).rejects.toMatchObject({
        code: "card_not_found",
        status: 404,
      });
    }
  });

  it("refuses a revoked device, a deactivated staff member, and a device or staff member of another store", async () => {
    const cardId = await newCard();
    const revoked = await counterAt(hub, "Revoked");
    await db.update(terminalDevices).set({ revokedAt: new Date() }).where(eq(terminalDevices.id, revoked.deviceId));
    await expect(recordEarn(db, ctx(revoked, hub), { cardId, amountCents: 500 })).rejects.toMatchObject({
      code: "device_revoked",
      status: 401,
    });
    const gone = await counterAt(hub, "Gone");
    await db.update(counterStaff).set({ deactivatedAt: new Date() }).where(eq(counterStaff.id, gone.counterStaffId));
    await expect(recordEarn(db, ctx(gone, hub), { cardId, amountCents: 500 })).rejects.toMatchObject({
      code: "counter_staff_inactive",
    });
    const mixed = { counterStaffId: atWiza.counterStaffId, deviceId: atHub.deviceId };
    await expect(recordEarn(db, ctx(mixed, hub), { cardId, amountCents: 500 })).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
    });
    await expect(recordEarn(db, ctx(atHub, outlet), { cardId, amountCents: 500 })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await ledgerOf(cardId)).toHaveLength(1);
  });

  it("refuses an earn that would take the balance past the card's limit", async () => {
    const cardId = await newCard();
    await db.execute(sql`update loyalty_programs set points_per_euro = 1000 where merchant_id = ${hub.merchantId}`);
    try {
      for (let i = 0; i < 9; i++) await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: maxPurchaseCents });
      await expect(recordEarn(db, ctx(atHub, hub), { cardId, amountCents: maxPurchaseCents })).rejects.toMatchObject({
        code: "invalid_amount",
      });
      expect((await cardRow(cardId)).pointsBalance).toBe(900_000_050);
    } finally {
      await db.execute(sql`update loyalty_programs set points_per_euro = 1 where merchant_id = ${hub.merchantId}`);
    }
  });

  it("refuses a blocked card", async () => {
    const cardId = await newCard();
    await db.update(loyaltyCards).set({ status: "blocked" }).where(eq(loyaltyCards.id, cardId));
    await expect(recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 500 })).rejects.toMatchObject({
      code: "card_inactive",
    });
  });
});

describe("recordStamp", () => {
  it("adds the program's stamps per purchase", async () => {
    const cardId = await newCard(wiza);
    expect((await recordStamp(db, ctx(atWiza, wiza), { cardId, amountCents: 2_500 })).balance.stamps).toBe(2);
    const [program] = await db
      .update(loyaltyPrograms)
      .set({ stampsPerPurchase: 2 })
      .where(eq(loyaltyPrograms.merchantId, wiza.merchantId))
      .returning();
    try {
      const result = await recordStamp(db, ctx(atWiza, wiza), { cardId });
      expect(result).toMatchObject({ stampsDelta: 2, balance: { stamps: 4, points: 0 } });
    } finally {
      await db
        .update(loyaltyPrograms)
        .set({ stampsPerPurchase: 1 })
        .where(eq(loyaltyPrograms.id, program?.id ?? ""));
    }
  });
});

describe("redeemReward", () => {
  it("takes the reward's cost and records the reward", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    const result = await redeemReward(db, ctx(atHub, hub), { cardId, rewardId: voucher10 });
    expect(result).toMatchObject({ type: "redeem", pointsDelta: -200, balance: { points: 0 } });
    expect((await ledgerOf(cardId)).at(-1)?.rewardId).toBe(voucher10);
  });

  it("refuses what the balance does not cover with insufficient_balance, and changes nothing", async () => {
    const cardId = await newCard();
    await expect(redeemReward(db, ctx(atHub, hub), { cardId, rewardId: voucher10 })).rejects.toMatchObject({
      code: "insufficient_balance",
      status: 409,
    });
    expect((await cardRow(cardId)).pointsBalance).toBe(50);
    expect(await ledgerOf(cardId)).toHaveLength(1);
  });

  it("refuses a retired reward and another program's reward", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 100_000 });
    const [retired] = await db
      .insert(loyaltyRewards)
      .values({ programId: (await cardRow(cardId)).programId, name: "Old mug", cost: 10, active: false })
      .returning();
    for (const rewardId of [retired?.id ?? "", wizaReward, "nonsense"]) {
      await expect(redeemReward(db, ctx(atHub, hub), { cardId, rewardId })).rejects.toMatchObject({
        code: "reward_unavailable",
      });
    }
  });

  it("redeems stamps on a stamps program", async () => {
    const cardId = await newCard(wiza);
    for (let i = 0; i < 9; i++) await recordStamp(db, ctx(atWiza, wiza), { cardId });
    const result = await redeemReward(db, ctx(atWiza, wiza), { cardId, rewardId: wizaReward });
    expect(result).toMatchObject({ stampsDelta: -10, balance: { stamps: 0 } });
  });
});

describe("enrollAtCounter", () => {
  const shopper = (email: string) => ({ firstName: " Paul ", lastName: "Schmit", email, locale: "de" as const });

  it("enrolls with the storefront's rules: card, welcome bonus, its welcome email, and who enrolled", async () => {
    const result = await enrollAtCounter(db, ctx(atHub, hub), shopper("counter@example.com"));
    expect(result).toMatchObject({ status: "enrolled", type: "enroll", balance: { points: 50 }, replayed: false });
    expect(result.cardNumber).toMatch(/^\d+$/);
    const ledger = await ledgerOf(result.cardId);
    expect(ledger.map((row) => row.type)).toEqual(["welcome_bonus", "enroll"]);
    expect(ledger[1]).toMatchObject({ actingCounterStaffId: atHub.counterStaffId, actingDeviceId: atHub.deviceId });
    const logs = await db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId));
    expect(logs.map((log) => `${log.templateKey}:${log.locale}`)).toEqual(["loyalty_enrollment_with_bonus:de"]);
  });

  it("gives an email that has a card its existing card and a card-link email, no second bonus", async () => {
    const first = await enrollAtCounter(db, ctx(atHub, hub), shopper("twice@example.com"));
    const again = await enrollAtCounter(db, ctx(atHub, hub), shopper("TWICE@example.com"));
    expect(again).toMatchObject({ status: "existing", cardId: first.cardId, cardNumber: first.cardNumber });
    expect((await cardRow(first.cardId)).pointsBalance).toBe(50);
    expect(await emailsOf(first.cardId, "loyalty_card_link")).toHaveLength(1);
  });

  it("replays a key: the original result, no second email", async () => {
    const key = randomUUID();
    const first = await enrollAtCounter(db, ctx(atHub, hub, key), shopper("replay-enroll@example.com"));
    const again = await enrollAtCounter(db, ctx(atHub, hub, key), shopper("replay-enroll@example.com"));
    expect(again).toEqual({ ...first, replayed: true });
    const logs = await db.select().from(emailLogs).where(eq(emailLogs.cardId, first.cardId));
    expect(logs.map((log) => log.templateKey)).toEqual(["loyalty_enrollment_with_bonus"]);
  });
});

describe("adjustBalance", () => {
  it("lets a manager or the owner correct a balance with a reason, kept on the row", async () => {
    const cardId = await newCard();
    expect(
      (await adjustBalance(db, ctx(manager, hub), { cardId, delta: 25, reason: " Till was down " })).balance,
    ).toEqual({ points: 75, stamps: 0 });
    expect(
      (await adjustBalance(db, ctx(owner, hub), { cardId, delta: -75, reason: "Duplicate card" })).balance.points,
    ).toBe(0);
    const rows = (await ledgerOf(cardId)).filter((row) => row.type === "adjust");
    expect(rows.map((row) => [row.reason, row.actingUserId])).toEqual([
      ["Till was down", manager.userId],
      ["Duplicate card", owner.userId],
    ]);
  });

  it("requires a reason, a whole non-zero amount, and never goes below zero", async () => {
    const cardId = await newCard();
    await expect(adjustBalance(db, ctx(manager, hub), { cardId, delta: 5, reason: "  " })).rejects.toMatchObject({
      code: "reason_required",
      status: 422,
    });
    for (const delta of [0, 1.5]) {
      await expect(adjustBalance(db, ctx(manager, hub), { cardId, delta, reason: "x" })).rejects.toMatchObject({
        code: "invalid_adjustment",
      });
    }
    await expect(adjustBalance(db, ctx(manager, hub), { cardId, delta: -51, reason: "x" })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
    expect((await cardRow(cardId)).pointsBalance).toBe(50);
  });

  it("is for managers of the store's merchant only", async () => {
    const cardId = await newCard();
    for (const actor of [clerk, otherManager, { userId: randomUUID() }]) {
      await expect(adjustBalance(db, ctx(actor, hub), { cardId, delta: 5, reason: "x" })).rejects.toMatchObject({
        code: "forbidden",
        status: 403,
      });
    }
    const asCounter = ctx(atHub, hub) as unknown as LedgerContext<PortalActor>;
    await expect(adjustBalance(db, asCounter, { cardId, delta: 5, reason: "x" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("voidTransaction", () => {
  it("reverses an earn once, never twice", async () => {
    const cardId = await newCard();
    const earn = await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 3_000 });
    const voided = await voidTransaction(db, ctx(manager, hub), {
      transactionId: earn.transactionId,
      reason: "Wrong card",
    });
    expect(voided).toMatchObject({ type: "void", pointsDelta: -30, balance: { points: 50 } });
    expect((await ledgerOf(cardId)).at(-1)).toMatchObject({
      voidedTransactionId: earn.transactionId,
      reason: "Wrong card",
    });
    const history = await cardHistory(db, cardId, 10);
    expect(history.map((entry) => [entry.type, entry.staffName, entry.deviceName, entry.reason])).toEqual([
      ["void", "store_manager", null, "Wrong card"],
      ["earn", "Léa", "Léa's till", null],
      ["welcome_bonus", null, null, null],
    ]);
    await expect(
      voidTransaction(db, ctx(manager, hub), { transactionId: earn.transactionId, reason: "Again" }),
    ).rejects.toMatchObject({ code: "already_voided", status: 409 });
  });

  it("gives a redeem's cost back", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    const redeem = await redeemReward(db, ctx(atHub, hub), { cardId, rewardId: voucher10 });
    const voided = await voidTransaction(db, ctx(owner, hub), {
      transactionId: redeem.transactionId,
      reason: "Not handed out",
    });
    expect(voided).toMatchObject({ pointsDelta: 200, balance: { points: 200 } });
  });

  it("refuses a void that would take the balance below zero (the points were spent)", async () => {
    const cardId = await newCard();
    const earn = await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    await redeemReward(db, ctx(atHub, hub), { cardId, rewardId: voucher10 });
    await expect(
      voidTransaction(db, ctx(manager, hub), { transactionId: earn.transactionId, reason: "Refund" }),
    ).rejects.toMatchObject({ code: "insufficient_balance" });
    expect((await cardRow(cardId)).pointsBalance).toBe(0);
  });

  it("refuses to void a void, and does not find another merchant's transaction", async () => {
    const cardId = await newCard();
    const earn = await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 1_000 });
    const voided = await voidTransaction(db, ctx(manager, hub), { transactionId: earn.transactionId, reason: "x" });
    await expect(
      voidTransaction(db, ctx(manager, hub), { transactionId: voided.transactionId, reason: "x" }),
    ).rejects.toMatchObject({ code: "not_voidable" });
    const wizaCard = await newCard(wiza);
    const [bonus] = await ledgerOf(wizaCard);
    await expect(
      voidTransaction(db, ctx(owner, hub), { transactionId: bonus?.id ?? 0, reason: "x" }),
    ).rejects.toMatchObject({ code: "transaction_not_found", status: 404 });
  });

  it("makes two parallel voids of one transaction one reversal (and the database refuses a second)", async () => {
    const cardId = await newCard();
    const earn = await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 1_000 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        voidTransaction(db, ctx(manager, hub), { transactionId: earn.transactionId, reason: "x" }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const [voidRow] = (await ledgerOf(cardId)).filter((row) => row.type === "void");
    await expect(
      db.insert(loyaltyTransactions).values({
        cardId,
        storeId: hub.id,
        type: "void",
        voidedTransactionId: earn.transactionId,
        reason: "bypassing the service",
      }),
    ).rejects.toMatchObject({ cause: { constraint_name: "loyalty_transactions_one_void_per_transaction" } });
    expect(voidRow?.pointsDelta).toBe(-10);
  });
});

describe("idempotency keys", () => {
  it("replays: the original result, nothing changed", async () => {
    const cardId = await newCard();
    const key = randomUUID();
    const first = await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 2_000 });
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 1_000 });
    const again = await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 2_000 });
    expect(again).toEqual({ ...first, replayed: true });
    expect((await cardRow(cardId)).pointsBalance).toBe(80);
    expect(await ledgerOf(cardId)).toHaveLength(3);
  });

  it("refuses the same key with another payload, operation, card or store with idempotency_conflict", async () => {
    const cardId = await newCard();
    const otherCard = await newCard();
    const key = randomUUID();
    await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 2_000 });
    const atOutlet = await counterAt(outlet, "Outlet clerk");
    const attempts = [
      () => recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 2_001 }),
      () => recordEarn(db, ctx(atHub, hub, key), { cardId: otherCard, amountCents: 2_000 }),
      () => redeemReward(db, ctx(atHub, hub, key), { cardId, rewardId: voucher10 }),
      () => recordEarn(db, ctx(atOutlet, outlet, key), { cardId, amountCents: 2_000 }),
      () => recordEarn(db, ctx(atWiza, wiza, key), { cardId, amountCents: 2_000 }),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: "idempotency_conflict", status: 409 });
    }
    expect((await cardRow(cardId)).pointsBalance).toBe(70);
  });

  it("turns twenty parallel calls with one key into one row, and gives all the same result", async () => {
    const cardId = await newCard();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 5_000 })),
    );
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    const original = results.find((result) => !result.replayed);
    for (const result of results) expect({ ...result, replayed: false }).toEqual(original);
    expect((await ledgerOf(cardId)).filter((row) => row.type === "earn")).toHaveLength(1);
    expect((await cardRow(cardId)).pointsBalance).toBe(100);
  });

  it("refuses an empty or oversized key", async () => {
    const cardId = await newCard();
    for (const key of ["", "x".repeat(129), "has space"]) {
      await expect(recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 100 })).rejects.toMatchObject({
        code: "invalid_idempotency_key",
      });
    }
  });
});

describe("reward ready", () => {
  it("announces a stamps reward on the stamp that reaches its cost, in the program's unit", async () => {
    const cardId = await newCard(wiza);
    for (let n = 0; n < 8; n++) await recordStamp(db, ctx(atWiza, wiza), { cardId });
    expect(await cardRow(cardId)).toMatchObject({ stampsBalance: 9 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(0);
    await recordStamp(db, ctx(atWiza, wiza), { cardId });
    const ready = await emailsOf(cardId, "loyalty_reward_ready");
    expect(ready.map((log) => log.params)).toEqual([{ rewardId: wizaReward }]);
  });

  it("announces a reward the welcome bonus reaches, in the enrollment's transaction", async () => {
    const rolledBack = new Error("rolled back: the reward keeps its cost");
    await expect(
      db.transaction(async (tx) => {
        await tx.update(loyaltyRewards).set({ cost: 50 }).where(eq(loyaltyRewards.id, voucher10));
        const enrolled = await enrollInTransaction(tx, hub, newShopper("de"));
        const ready = (await tx.select().from(emailLogs).where(eq(emailLogs.cardId, enrolled.cardId))).filter(
          (log) => log.templateKey === "loyalty_reward_ready",
        );
        expect(ready.map((log) => [log.params, log.locale])).toEqual([[{ rewardId: voucher10 }, "de"]]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
  });

  it("is queued once when the balance crosses a reward's cost, not again while it stays above", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 14_900 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(0);
    const key = randomUUID();
    await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 100 });
    const ready = await emailsOf(cardId, "loyalty_reward_ready");
    expect(ready.map((log) => log.params)).toEqual([{ rewardId: voucher10 }]);
    expect(ready[0]).toMatchObject({ storeId: hub.id, locale: "fr", status: "queued" });
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 1_000 });
    await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 100 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(1);
  });

  it("announces every reward one rise crosses", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 60_000 });
    const ready = await emailsOf(cardId, "loyalty_reward_ready");
    expect(ready.map((log) => (log.params as { rewardId: string }).rewardId).sort()).toEqual(
      [voucher10, voucher30].sort(),
    );
  });

  it("is queued again after the reward is redeemed and the balance crosses its cost again", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 20_000 });
    await redeemReward(db, ctx(atHub, hub), { cardId, rewardId: voucher10 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(1);
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(2);
  });

  it("is queued again when the balance drops below the cost another way and crosses again", async () => {
    const cardId = await newCard();
    const earn = await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    await voidTransaction(db, ctx(manager, hub), { transactionId: earn.transactionId, reason: "Wrong card" });
    await adjustBalance(db, ctx(manager, hub), { cardId, delta: 150, reason: "Goodwill" });
    await adjustBalance(db, ctx(manager, hub), { cardId, delta: -1, reason: "Typo" });
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 100 });
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(3);
  });
});

describe("appendLedgerEntry, one statement for the balance, the row and the rewards crossed", () => {
  it("returns the row exactly as the ledger reads it back", async () => {
    const cardId = await newCard();
    const clientTime = new Date("2026-12-01T08:15:30.123Z");
    const key = `ledger-row:${randomUUID()}`;
    const { transaction, balance } = await db.transaction((tx) =>
      appendLedgerEntry(tx, {
        cardId,
        storeId: outlet.id,
        type: "earn",
        pointsDelta: 7,
        amountCents: 750,
        actingCounterStaffId: atHub.counterStaffId,
        actingDeviceId: atHub.deviceId,
        idempotencyKey: key,
        requestFingerprint: "f".repeat(64),
        clientTime,
      }),
    );
    const [stored] = await db.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.id, transaction.id));
    expect(transaction).toEqual(stored);
    expect(transaction).toMatchObject({ pointsBalanceAfter: 57, stampsBalanceAfter: 0, rewardId: null, clientTime });
    expect(transaction.createdAt).toBeInstanceOf(Date);
    expect(balance).toEqual({ pointsBalance: 57, stampsBalance: 0 });
    expect(await cardRow(cardId)).toMatchObject({ pointsBalance: 57 });
  });

  it("writes nothing when the CHECK refuses the balance: no row, no balance change, no email", async () => {
    const cardId = await newCard();
    const before = await cardRow(cardId);
    const rows = (await ledgerOf(cardId)).length;
    const key = `overdraw:${randomUUID()}`;
    await expect(
      db.transaction((tx) =>
        appendLedgerEntry(tx, { cardId, storeId: hub.id, type: "adjust", pointsDelta: -51, idempotencyKey: key }),
      ),
    ).rejects.toMatchObject({ cause: { constraint_name: "loyalty_cards_points_not_negative" } });
    expect(await cardRow(cardId)).toMatchObject({ pointsBalance: before.pointsBalance, updatedAt: before.updatedAt });
    expect(await ledgerOf(cardId)).toHaveLength(rows);
    expect(await db.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.idempotencyKey, key))).toEqual([]);
  });

  it("refuses an unknown card and writes no row", async () => {
    const key = `unknown-card:${randomUUID()}`;
    await expect(
      db.transaction((tx) =>
        appendLedgerEntry(tx, {
          cardId: randomUUID(),
          storeId: hub.id,
          type: "earn",
          pointsDelta: 5,
          idempotencyKey: key,
        }),
      ),
    ).rejects.toThrow(/unknown card/);
    expect(await db.select().from(loyaltyTransactions).where(eq(loyaltyTransactions.idempotencyKey, key))).toEqual([]);
  });
});

describe("concurrency", () => {
  const parallel = createDatabase(url, { max: 50 });
  afterAll(() => closeDatabase(parallel));

  it("lets exactly one of 100 parallel redeems of a balance worth one reward through", async () => {
    const cardId = await newCard();
    await recordEarn(db, ctx(atHub, hub), { cardId, amountCents: 15_000 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => redeemReward(parallel, ctx(atHub, hub), { cardId, rewardId: voucher10 })),
    );
    const applied = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(99);
    for (const reason of refused) expect(reason).toMatchObject({ code: "insufficient_balance", status: 409 });
    expect((await cardRow(cardId)).pointsBalance).toBe(0);
    expect((await ledgerOf(cardId)).filter((row) => row.type === "redeem")).toHaveLength(1);
  });

  it("applies 50 parallel earns on one card exactly once each", async () => {
    const cardId = await newCard();
    await Promise.all(
      Array.from({ length: 50 }, () => recordEarn(parallel, ctx(atHub, hub), { cardId, amountCents: 100 })),
    );
    expect((await cardRow(cardId)).pointsBalance).toBe(100);
    const after = (await ledgerOf(cardId)).map((row) => row.pointsBalanceAfter);
    expect(after).toEqual(Array.from({ length: 51 }, (_, i) => 50 + i));
  });
});

describe("recordQueuedOperations (a counter's offline queue)", () => {
  const queued = (actor: CounterActor, operation: CounterOperationInput, idempotencyKey: string = randomUUID()) =>
    ({ ...operation, actor, idempotencyKey, clientTime: new Date("2026-12-01T09:30:00Z") }) as QueuedCounterOperation;
  const codes = (outcomes: QueuedOperationOutcome[]) =>
    outcomes.map((outcome) =>
      "refused" in outcome ? outcome.refused : outcome.result.replayed ? "duplicate" : "applied",
    );
  const resultAt = (outcomes: QueuedOperationOutcome[], index: number) => {
    const outcome = outcomes[index];
    if (!outcome || "refused" in outcome) throw new Error(`item ${index} was refused`);
    return outcome.result;
  };

  it("gives each operation its own outcome in client order; a refusal in the middle changes nothing else", async () => {
    const cardId = await newCard();
    const other = await newCard();
    const wizaCard = await newCard(wiza);
    const outcomes = await recordQueuedOperations(db, hub, [
      queued(atHub, { type: "earn", cardId, amountCents: 15_000 }),
      queued(atHub, { type: "redeem", cardId, rewardId: voucher10 }),
      queued(atHub, { type: "redeem", cardId, rewardId: voucher10 }),
      queued(atHub, { type: "stamp", cardId }),
      queued(atHub, { type: "earn", cardId: wizaCard, amountCents: 1_000 }),
      queued(atHub, { type: "earn", cardId, amountCents: 0 }),
      queued(atHub, { type: "earn", cardId, amountCents: 100 }, "has space"),
      queued(atHub, { type: "redeem", cardId: other, rewardId: wizaReward }),
      queued(atHub, { type: "earn", cardId: other, amountCents: 2_550 }),
      queued(atHub, { type: "earn", cardId, amountCents: 1_000 }),
    ]);
    expect(codes(outcomes)).toEqual([
      "applied",
      "applied",
      "insufficient_balance",
      "program_kind_mismatch",
      "card_not_found",
      "invalid_amount",
      "invalid_idempotency_key",
      "reward_unavailable",
      "applied",
      "applied",
    ]);
    expect(resultAt(outcomes, 1)).toMatchObject({ type: "redeem", pointsDelta: -200, balance: { points: 0 } });
    expect(resultAt(outcomes, 9)).toMatchObject({ type: "earn", pointsDelta: 10, balance: { points: 10 } });
    expect((await cardRow(cardId)).pointsBalance).toBe(10);
    expect((await cardRow(other)).pointsBalance).toBe(75);
    expect((await cardRow(wizaCard)).stampsBalance).toBe(1);
    const rows = (await ledgerOf(cardId)).filter((row) => row.type !== "welcome_bonus");
    expect(rows.map((row) => [row.type, row.pointsDelta, row.pointsBalanceAfter])).toEqual([
      ["earn", 150, 200],
      ["redeem", -200, 0],
      ["earn", 10, 10],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        storeId: hub.id,
        actingCounterStaffId: atHub.counterStaffId,
        actingDeviceId: atHub.deviceId,
        actingUserId: null,
        clientTime: new Date("2026-12-01T09:30:00Z"),
      });
      expect(row.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    }
  });

  it("answers a key repeated in the queue as a duplicate of its first use, or a conflict for another operation", async () => {
    const cardId = await newCard();
    const key = randomUUID();
    const refusedKey = randomUUID();
    const outcomes = await recordQueuedOperations(db, hub, [
      queued(atHub, { type: "redeem", cardId, rewardId: voucher10 }, refusedKey),
      queued(atHub, { type: "earn", cardId, amountCents: 5_000 }, key),
      queued(atHub, { type: "earn", cardId, amountCents: 5_000 }, key),
      queued(atHub, { type: "earn", cardId, amountCents: 7_000 }, key),
      queued(atHub, { type: "earn", cardId, amountCents: 15_000 }, refusedKey),
      queued(atHub, { type: "earn", cardId, amountCents: 5_000 }, key),
    ]);
    expect(codes(outcomes)).toEqual([
      "insufficient_balance",
      "applied",
      "duplicate",
      "idempotency_conflict",
      "applied",
      "duplicate",
    ]);
    expect(resultAt(outcomes, 2)).toEqual({ ...resultAt(outcomes, 1), replayed: true });
    expect(resultAt(outcomes, 5)).toEqual({ ...resultAt(outcomes, 1), replayed: true });
    expect(resultAt(outcomes, 4).balance.points).toBe(250);
    expect((await cardRow(cardId)).pointsBalance).toBe(250);
    expect(await ledgerOf(cardId)).toHaveLength(3);
    // The single operation finds the queue's row: a replay, not a second earn.
    const single = await recordEarn(db, ctx(atHub, hub, key), { cardId, amountCents: 5_000 });
    expect(single).toEqual({ ...resultAt(outcomes, 1), replayed: true });
  });

  it("changes nothing when the whole queue is replayed, and answers each item as before", async () => {
    const cardId = await newCard();
    const other = await newCard();
    const queue = [
      queued(atHub, { type: "earn", cardId, amountCents: 15_000 }),
      queued(atHub, { type: "redeem", cardId, rewardId: voucher10 }),
      // Refused, and still refused on the replay: a refusal wrote nothing, so its item is tried again.
      queued(atHub, { type: "redeem", cardId: other, rewardId: voucher30 }),
      queued(atHub, { type: "earn", cardId: other, amountCents: 15_000 }),
    ];
    const first = await recordQueuedOperations(db, hub, queue);
    const rows = await db.select().from(loyaltyTransactions);
    const emails = await db.select().from(emailLogs);
    const cards = [await cardRow(cardId), await cardRow(other)];
    const replay = await recordQueuedOperations(db, hub, queue);
    expect(codes(first)).toEqual(["applied", "applied", "insufficient_balance", "applied"]);
    expect(codes(replay)).toEqual(["duplicate", "duplicate", "insufficient_balance", "duplicate"]);
    for (const index of [0, 1, 3]) {
      expect(resultAt(replay, index)).toEqual({ ...resultAt(first, index), replayed: true });
    }
    expect(await db.select().from(loyaltyTransactions)).toHaveLength(rows.length);
    expect(await db.select().from(emailLogs)).toHaveLength(emails.length);
    expect([await cardRow(cardId), await cardRow(other)]).toEqual(cards);
  });

  it("queues reward ready once per crossing, in the queue's transaction, and none on a replay", async () => {
    const cardId = await newCard();
    const queue = [
      queued(atHub, { type: "earn", cardId, amountCents: 10_000 }),
      queued(atHub, { type: "earn", cardId, amountCents: 10_000 }),
      queued(atHub, { type: "earn", cardId, amountCents: 10_000 }),
      queued(atHub, { type: "redeem", cardId, rewardId: voucher10 }),
      queued(atHub, { type: "earn", cardId, amountCents: 30_000 }),
    ];
    await recordQueuedOperations(db, hub, queue);
    // 50 → 150 → 250 (crosses 200) → 350 → 150 → 450 (crosses 200 again); 500 is never reached.
    const ready = await emailsOf(cardId, "loyalty_reward_ready");
    expect(ready.map((log) => log.params)).toEqual([{ rewardId: voucher10 }, { rewardId: voucher10 }]);
    expect(ready.every((log) => log.status === "queued" && log.storeId === hub.id)).toBe(true);
    const jobs = await db.execute<{ count: number }>(sql`
      select count(*)::int as count from graphile_worker._private_jobs
      where payload->>'emailLogId' in (select json_array_elements_text(${JSON.stringify(ready.map((log) => log.id))}::json))`);
    expect(jobs[0]?.count).toBe(2);
    await recordQueuedOperations(db, hub, queue);
    expect(await emailsOf(cardId, "loyalty_reward_ready")).toHaveLength(2);
  });

  it("checks the device and the staff member in the transaction: revoked and deactivated are refused", async () => {
    const cardId = await newCard();
    const revoked = await counterAt(hub, "Revoked");
    await db.update(terminalDevices).set({ revokedAt: new Date() }).where(eq(terminalDevices.id, revoked.deviceId));
    const retired = await counterAt(hub, "Retired");
    await db.update(counterStaff).set({ deactivatedAt: new Date() }).where(eq(counterStaff.id, retired.counterStaffId));
    const outcomes = await recordQueuedOperations(db, hub, [
      queued(revoked, { type: "earn", cardId, amountCents: 1_000 }),
      queued(retired, { type: "earn", cardId, amountCents: 1_000 }),
      queued(atWiza, { type: "earn", cardId, amountCents: 1_000 }),
      queued(atHub, { type: "earn", cardId, amountCents: 1_000 }),
    ]);
    expect(codes(outcomes)).toEqual(["device_revoked", "counter_staff_inactive", "forbidden", "applied"]);
    expect((await cardRow(cardId)).pointsBalance).toBe(60);
  });

  it("records a queue uploaded twice at once exactly once, beside parallel redeems on its card", async () => {
    const parallel = createDatabase(url, { max: 20 });
    try {
      const cardId = await newCard();
      const queue = Array.from({ length: 40 }, () => queued(atHub, { type: "earn", cardId, amountCents: 1_000 }));
      const [first, second, ...redeems] = await Promise.all([
        recordQueuedOperations(parallel, hub, queue),
        recordQueuedOperations(parallel, hub, queue),
        ...Array.from({ length: 6 }, () =>
          redeemReward(parallel, ctx(atHub, hub), { cardId, rewardId: voucher10 }).then(
            () => "applied",
            (error: DomainError) => error.code,
          ),
        ),
      ]);
      const pairs = codes(first as QueuedOperationOutcome[]).map((code, index) =>
        [code, codes(second as QueuedOperationOutcome[])[index]].sort().join("+"),
      );
      expect(new Set(pairs)).toEqual(new Set(["applied+duplicate"]));
      // 50 + 40 × 10 = 450 points: two redeems of 200 at most, whenever they ran.
      const applied = (redeems as string[]).filter((code) => code === "applied").length;
      expect(applied).toBeLessThanOrEqual(2);
      expect(redeems.every((code) => code === "applied" || code === "insufficient_balance")).toBe(true);
      expect((await cardRow(cardId)).pointsBalance).toBe(450 - 200 * applied);
      expect((await ledgerOf(cardId)).filter((row) => row.type === "earn")).toHaveLength(40);
    } finally {
      await closeDatabase(parallel);
    }
  });

  it("gives the outcomes the single operations give one after the other (a seeded random queue)", async () => {
    // The same random queue through both paths, on twin cards with their own keys.
    let seed = 20261201;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const twins = await Promise.all(Array.from({ length: 3 }, async () => [await newCard(), await newCard()]));
    const stampTwins = [await newCard(wiza), await newCard(wiza)];
    const keys = Array.from({ length: 30 }, () => randomUUID());
    const plan = Array.from({ length: 120 }, () => {
      const pick = random();
      const card = Math.floor(random() * 4);
      const amountCents = [1, 99, 2_500, 15_000, 0, 60_000][Math.floor(random() * 6)] as number;
      const reward = random() < 0.5 ? voucher10 : voucher30;
      const key = keys[Math.floor(random() * keys.length)] as string;
      return { pick, card, amountCents, reward, key };
    });
    const operationFor = (step: (typeof plan)[number], twin: 0 | 1) => {
      const cardId = step.card === 3 ? (stampTwins[twin] as string) : (twins[step.card]?.[twin] as string);
      const key = `${step.key}-${twin}`;
      if (step.pick < 0.45) return queued(atHub, { type: "earn", cardId, amountCents: step.amountCents }, key);
      if (step.pick < 0.6) return queued(atHub, { type: "stamp", cardId, amountCents: null }, key);
      return queued(atHub, { type: "redeem", cardId, rewardId: step.reward }, key);
    };
    const viaQueue = await recordQueuedOperations(
      db,
      hub,
      plan.map((step) => operationFor(step, 0)),
    );
    const viaSingles: QueuedOperationOutcome[] = [];
    for (const step of plan) {
      const { actor, idempotencyKey, clientTime, ...input } = operationFor(step, 1);
      const context = { actor, store: hub, idempotencyKey, clientTime };
      const call =
        input.type === "earn"
          ? recordEarn(db, context, input)
          : input.type === "stamp"
            ? recordStamp(db, context, input)
            : redeemReward(db, context, input);
      viaSingles.push(
        await call.then(
          (result: LedgerResult) => ({ result }),
          (error: unknown) => ({ refused: (error as DomainError).code }),
        ),
      );
    }
    const comparable = (outcome: QueuedOperationOutcome) => {
      if ("refused" in outcome) return outcome.refused;
      const { type, pointsDelta, stampsDelta, balance, replayed } = outcome.result;
      return { type, pointsDelta, stampsDelta, balance, replayed };
    };
    expect(viaQueue.map(comparable)).toEqual(viaSingles.map(comparable));
    expect(new Set(codes(viaQueue)).size).toBeGreaterThanOrEqual(4);
    for (const [queueCard, singleCard] of [...twins, stampTwins] as [string, string][]) {
      const [a, b] = [await cardRow(queueCard), await cardRow(singleCard)];
      expect([a.pointsBalance, a.stampsBalance]).toEqual([b.pointsBalance, b.stampsBalance]);
      expect((await emailsOf(queueCard, "loyalty_reward_ready")).length).toBe(
        (await emailsOf(singleCard, "loyalty_reward_ready")).length,
      );
    }
  });
});

describe("the ledger and the cached balances", () => {
  it("agree for every card: the sum of the deltas and the last row's balance after", async () => {
    const mismatches = await db.execute(sql`
      select c.id from loyalty_cards c
      left join lateral (
        select coalesce(sum(points_delta), 0) as points, coalesce(sum(stamps_delta), 0) as stamps
        from loyalty_transactions where card_id = c.id) sums on true
      left join lateral (
        select points_balance_after, stamps_balance_after from loyalty_transactions
        where card_id = c.id order by id desc limit 1) last on true
      where c.points_balance <> sums.points or c.stamps_balance <> sums.stamps
        or c.points_balance <> coalesce(last.points_balance_after, 0)
        or c.stamps_balance <> coalesce(last.stamps_balance_after, 0)`);
    expect(mismatches).toHaveLength(0);
    const [count] = await db.execute<{ cards: number }>(sql`select count(*)::int as cards from loyalty_cards`);
    expect(count?.cards).toBeGreaterThanOrEqual(40);
  });
});
