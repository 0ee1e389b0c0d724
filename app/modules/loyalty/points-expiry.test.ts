import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { FieldError } from "~/errors";
import { users } from "~/modules/auth/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { enrollCustomer } from "./enrollment.server";
import { pointsExpiryOf } from "./points-expiry";
import { expirePoints, settleCardExpiry } from "./points-expiry.server";
import { programForEdit, updateProgram } from "./program-admin.server";
import {
  customers,
  loyaltyCards,
  loyaltyPrograms,
  loyaltyTransactions,
  pointsExpiryNotices,
  type TransactionType,
} from "./schema";

const { db } = await createTestDatabase();
let bookWorld: Store;
let luxWeb: Store;
const day = 86_400_000;

const byCode = async (code: string) => {
  const [store] = await db.select().from(stores).where(eq(stores.code, code));
  if (!store) throw new Error(code);
  return store;
};

async function setRule(store: Store, rule: "none" | "after_earning" | "after_inactivity", months: number | null) {
  await db
    .update(loyaltyPrograms)
    .set({ pointsExpiryRule: rule, pointsExpiryMonths: months })
    .where(eq(loyaltyPrograms.merchantId, store.merchantId));
}

beforeAll(async () => {
  await seedDemoData(db);
  bookWorld = await byCode("BOOKWORLD");
  luxWeb = await byCode("LUXWEB");
  await setRule(bookWorld, "after_earning", 12);
  await setRule(luxWeb, "after_inactivity", 6);
});

/** A new card (BookWorld: 20 welcome points now; LuxWeb: 25). */
async function newCard(store: Store) {
  const result = await enrollCustomer(db, store, {
    firstName: "Claire",
    lastName: "Hoffmann",
    email: `${randomUUID()}@example.com`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "lb",
  });
  return result.cardId;
}

/** A ledger row written at a past time (with the card's balance), as history left it. */
async function pastEntry(
  cardId: string,
  store: Store,
  at: Date,
  type: TransactionType,
  pointsDelta: number,
  voidedTransactionId?: number,
) {
  return db.transaction(async (tx) => {
    const [card] = await tx
      .update(loyaltyCards)
      .set({ pointsBalance: sql`${loyaltyCards.pointsBalance} + ${pointsDelta}` })
      .where(eq(loyaltyCards.id, cardId))
      .returning();
    const [row] = await tx
      .insert(loyaltyTransactions)
      .values({
        cardId,
        storeId: store.id,
        type,
        pointsDelta,
        pointsBalanceAfter: card?.pointsBalance,
        stampsBalanceAfter: card?.stampsBalance,
        createdAt: at,
        voidedTransactionId: voidedTransactionId ?? null,
        reason: type === "void" ? "Wrong card" : null,
      })
      .returning();
    if (!row) throw new Error("fixture");
    return row;
  });
}

const settle = (cardId: string, now: Date) => db.transaction((tx) => settleCardExpiry(tx, cardId, now));

async function balance(cardId: string) {
  const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
  return card?.pointsBalance;
}

const expiries = (cardId: string) =>
  db
    .select()
    .from(loyaltyTransactions)
    .where(sql`${loyaltyTransactions.cardId} = ${cardId} and ${loyaltyTransactions.type} = 'expire'`);

const reminders = async (cardId: string) =>
  (await db.select().from(emailLogs).where(eq(emailLogs.cardId, cardId))).filter(
    (log) => log.templateKey === "loyalty_points_expiring",
  );

/** The first instant of the month `months` after the one `at` falls in (UTC). */
const monthStart = (at: Date, months: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));

describe("points expiring N months after earning (at the end of that month)", () => {
  it("expires what is past its month, oldest points spent first, once per day", async () => {
    const cardId = await newCard(bookWorld);
    const now = new Date();
    await pastEntry(cardId, bookWorld, new Date(now.getTime() - 430 * day), "earn", 100);
    await pastEntry(cardId, bookWorld, new Date(now.getTime() - 60 * day), "earn", 50);
    await pastEntry(cardId, bookWorld, new Date(now.getTime() - day), "redeem", -30);
    expect(await balance(cardId)).toBe(140);
    expect(await settle(cardId, now)).toMatchObject({ expired: 70 });
    expect(await balance(cardId)).toBe(70);
    const [row] = await expiries(cardId);
    expect(row).toMatchObject({
      pointsDelta: -70,
      idempotencyKey: `expire:${cardId}:${now.toISOString().slice(0, 10)}`,
    });
    expect(await settle(cardId, now)).toMatchObject({ expired: 0 });
    expect(await settle(cardId, new Date(now.getTime() + day))).toMatchObject({ expired: 0 });
    expect(await expiries(cardId)).toHaveLength(1);
  });

  it("keeps at its limit: points expire when the month after the Nth month begins, not a day before", async () => {
    const cardId = await newCard(bookWorld);
    const earned = new Date(Date.UTC(2025, 0, 31, 23, 0));
    await pastEntry(cardId, bookWorld, earned, "earn", 40);
    const expiry = monthStart(earned, 13);
    expect(expiry.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(await settle(cardId, new Date(expiry.getTime() - 1))).toMatchObject({ expired: 0 });
    expect(await settle(cardId, expiry)).toMatchObject({ expired: 40 });
  });

  it("leaves a voided earning and its void out of the reckoning", async () => {
    const cardId = await newCard(bookWorld);
    const now = new Date();
    await pastEntry(cardId, bookWorld, new Date(now.getTime() - 430 * day), "earn", 100);
    const recent = await pastEntry(cardId, bookWorld, new Date(now.getTime() - 2 * day), "earn", 50);
    await pastEntry(cardId, bookWorld, new Date(now.getTime() - day), "void", -50, recent.id);
    expect(await settle(cardId, now)).toMatchObject({ expired: 100 });
    expect(await balance(cardId)).toBe(20);
  });

  it("reminds 30 days ahead, once per expiry date, with the amount and the date", async () => {
    const cardId = await newCard(bookWorld);
    const expiry = monthStart(new Date(), 13);
    expect(await settle(cardId, new Date(expiry.getTime() - 31 * day))).toEqual({ expired: 0, noticed: false });
    expect(await settle(cardId, new Date(expiry.getTime() - 29 * day))).toEqual({ expired: 0, noticed: true });
    expect(await settle(cardId, new Date(expiry.getTime() - 5 * day))).toEqual({ expired: 0, noticed: false });
    const sent = await reminders(cardId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      locale: "lb",
      status: "queued",
      params: { expiringPoints: 20, expiresOn: expiry.toISOString().slice(0, 10) },
    });
    expect(await settle(cardId, expiry)).toEqual({ expired: 20, noticed: false });
  });

  it("records the notice but sends nothing to a shopper who turned reminders off", async () => {
    const cardId = await newCard(bookWorld);
    const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
    await db
      .update(customers)
      .set({ remindersOptedOutAt: new Date() })
      .where(eq(customers.id, card?.customerId ?? ""));
    const expiry = monthStart(new Date(), 13);
    expect(await settle(cardId, new Date(expiry.getTime() - 10 * day))).toMatchObject({ noticed: true });
    expect(await reminders(cardId)).toHaveLength(0);
    const [notice] = await db.select().from(pointsExpiryNotices).where(eq(pointsExpiryNotices.cardId, cardId));
    expect(notice).toMatchObject({ expiringPoints: 20, emailLogId: null });
  });
});

describe("points expiring after N months without activity", () => {
  it("reminds 30 days before the balance lapses, then expires all of it", async () => {
    const cardId = await newCard(luxWeb);
    const start = new Date();
    const lapse = new Date(start);
    lapse.setUTCMonth(lapse.getUTCMonth() + 6);
    expect(await settle(cardId, new Date(lapse.getTime() - 40 * day))).toEqual({ expired: 0, noticed: false });
    expect(await settle(cardId, new Date(lapse.getTime() - 20 * day))).toEqual({ expired: 0, noticed: true });
    expect((await reminders(cardId))[0]?.params).toMatchObject({ expiringPoints: 25 });
    expect(await settle(cardId, new Date(lapse.getTime() + day))).toEqual({ expired: 25, noticed: false });
    expect(await balance(cardId)).toBe(0);
  });

  it("counts a purchase as activity: the clock starts again", async () => {
    const cardId = await newCard(luxWeb);
    const now = new Date();
    await pastEntry(cardId, luxWeb, new Date(now.getTime() + 150 * day), "earn", 10);
    expect(await settle(cardId, new Date(now.getTime() + 200 * day))).toEqual({ expired: 0, noticed: false });
  });
});

describe("the daily run", () => {
  it("settles every card of a program with a rule, and a second run the same day changes nothing", async () => {
    const cardId = await newCard(bookWorld);
    await pastEntry(cardId, bookWorld, new Date(Date.now() - 500 * day), "earn", 15);
    const first = await expirePoints(db);
    expect(first.expiredCards).toBeGreaterThanOrEqual(1);
    expect(await balance(cardId)).toBe(20);
    const ledgerSize = async () =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from loyalty_transactions`))[0]?.n;
    const before = await ledgerSize();
    expect((await expirePoints(db)).expiredPoints).toBe(0);
    expect(await ledgerSize()).toBe(before);
  });

  it("leaves programs without a rule alone", async () => {
    await setRule(bookWorld, "none", null);
    try {
      const cardId = await newCard(bookWorld);
      await pastEntry(cardId, bookWorld, new Date(Date.now() - 900 * day), "earn", 15);
      await expirePoints(db);
      expect(await balance(cardId)).toBe(35);
    } finally {
      await setRule(bookWorld, "after_earning", 12);
    }
  });
});

describe("the program's rule", () => {
  it("is one of three kinds with its months, on points programs only (CHECK)", async () => {
    for (const [rule, months] of [
      ["none", 6],
      ["after_earning", null],
      ["after_earning", 0],
      ["forever", 6],
    ] as const) {
      await expect(
        db.execute(sql`update loyalty_programs set points_expiry_rule = ${rule}, points_expiry_months = ${months}
          where merchant_id = ${luxWeb.merchantId}`),
      ).rejects.toMatchObject({ cause: { constraint_name: "loyalty_programs_points_expiry" } });
    }
    await expect(
      db.execute(sql`update loyalty_programs set points_expiry_rule = 'after_earning', points_expiry_months = 6
        where kind = 'stamps'`),
    ).rejects.toMatchObject({ cause: { constraint_name: "loyalty_programs_points_expiry" } });
  });

  it("reads as shown to shoppers: none, or the rule and its months; nothing on a stamps program", () => {
    expect(pointsExpiryOf({ kind: "points", pointsExpiryRule: "none", pointsExpiryMonths: null })).toEqual({
      rule: "none",
    });
    expect(pointsExpiryOf({ kind: "points", pointsExpiryRule: "after_inactivity", pointsExpiryMonths: 6 })).toEqual({
      rule: "after_inactivity",
      months: 6,
    });
    expect(pointsExpiryOf({ kind: "stamps", pointsExpiryRule: "none", pointsExpiryMonths: null })).toBeNull();
  });

  it("is saved by the program admin, which refuses a rule without months or on a stamps program", async () => {
    const [program] = await db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.merchantId, luxWeb.merchantId));
    if (!program) throw new Error("program");
    const found = await programForEdit(db, { kind: "platform" }, program.id);
    const [admin] = await db
      .insert(users)
      .values({ email: "admin-expiry@example.com", name: "Admin", role: "platform_admin" })
      .returning();
    const actor = { userId: admin?.id ?? "" } as Actor;
    const fields = {
      name: { en: program.name },
      kind: program.kind,
      pointsPerEuro: program.pointsPerEuro,
      stampsPerCard: program.stampsPerCard,
      welcomeBonus: program.welcomeBonus,
      brandColor: program.brandColor,
      active: true,
      rewards: (found?.rewards ?? []).map((reward) => ({
        id: reward.id,
        name: { en: reward.name },
        cost: reward.cost,
      })),
    };
    await expect(
      updateProgram(db, actor, program.id, { ...fields, pointsExpiryRule: "after_inactivity" }),
    ).rejects.toBeInstanceOf(FieldError);
    const [stamps] = await db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.kind, "stamps")).limit(1);
    await expect(
      updateProgram(db, actor, stamps?.id ?? "", {
        ...fields,
        rewards: [],
        kind: "stamps",
        pointsExpiryRule: "after_earning",
        pointsExpiryMonths: 3,
      }),
    ).rejects.toMatchObject({ field: "pointsExpiryMonths", messageKey: "programs.errors.expiryPointsOnly" });
    // The form before the rule existed sent only months: they meant "after earning".
    await updateProgram(db, actor, program.id, { ...fields, pointsExpiryMonths: 18 });
    const [saved] = await db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.id, program.id));
    expect(saved).toMatchObject({ pointsExpiryRule: "after_earning", pointsExpiryMonths: 18 });
    await updateProgram(db, actor, program.id, {
      ...fields,
      pointsExpiryRule: "after_inactivity",
      pointsExpiryMonths: 6,
    });
  });
});
