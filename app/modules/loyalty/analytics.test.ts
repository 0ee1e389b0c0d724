import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { loyaltyAnalytics } from "./analytics.server";
import { enrollCustomer } from "./enrollment.server";
import { loyaltyCards } from "./schema";

const { db } = await createTestDatabase();
const byCode: Record<string, Store> = {};
const range = { from: "2026-09-01", to: "2026-11-30" };

async function enrollAt(code: string, email: string, at: string) {
  const store = byCode[code] as Store;
  const result = await enrollCustomer(db, store, {
    firstName: "A",
    lastName: "B",
    email,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "en",
  });
  await db
    .update(loyaltyCards)
    .set({ createdAt: new Date(at) })
    .where(eq(loyaltyCards.id, result.cardId));
  await db.execute(sql`alter table loyalty_transactions disable trigger loyalty_transactions_append_only`);
  await db.execute(
    sql`update loyalty_transactions set created_at = ${at}::timestamptz where card_id = ${result.cardId}`,
  );
  await db.execute(sql`alter table loyalty_transactions enable trigger loyalty_transactions_append_only`);
  return { cardId: result.cardId, storeId: store.id };
}

async function ledger(
  card: { cardId: string; storeId: string },
  type: string,
  points: number,
  at: string,
  amountCents: number | null = null,
) {
  await db.execute(sql`insert into loyalty_transactions (card_id, store_id, type, points_delta, amount_cents, created_at)
    values (${card.cardId}, ${card.storeId}, ${type}, ${points}, ${amountCents}, ${at}::timestamptz)`);
  await db.execute(sql`update loyalty_cards set points_balance = points_balance + ${points} where id = ${card.cardId}`);
}

let merchantId = "";
beforeAll(async () => {
  await seedDemoData(db);
  for (const row of await db.select().from(stores)) byCode[row.code] = row;
  merchantId = byCode.FASHIONHUB?.merchantId ?? "";
  const a = await enrollAt("FASHIONHUB", "a@example.com", "2026-09-10T10:00:00Z");
  const b = await enrollAt("FASHIONHUB", "b@example.com", "2026-09-20T10:00:00Z");
  const c = await enrollAt("FASHIONOUTLET", "c@example.com", "2026-10-05T10:00:00Z");
  await enrollAt("WIZATECH", "other-merchant@example.com", "2026-10-05T10:00:00Z");
  await ledger(a, "earn", 150, "2026-10-03T10:00:00Z", 15_000);
  await ledger(a, "redeem", -200, "2026-10-04T10:00:00Z");
  await ledger(b, "earn", 40, "2026-11-02T10:00:00Z", 4_050);
  await ledger(c, "earn", 10, "2026-11-03T10:00:00Z", 1_000);
});

describe("loyaltyAnalytics", () => {
  it("counts enrollments per day and store for short ranges", async () => {
    const result = await loyaltyAnalytics(
      db,
      { kind: "merchant", merchantId },
      { from: "2026-09-01", to: "2026-10-31" },
    );
    expect(result.bucket).toBe("day");
    expect(result.periods).toHaveLength(61);
    expect(result.periods[0]).toBe("2026-09-01");
    expect(result.periods.at(-1)).toBe("2026-10-31");
    expect(result.enrollments).toEqual([
      { day: "2026-09-10", store: "FashionHub", count: 1 },
      { day: "2026-09-20", store: "FashionHub", count: 1 },
      { day: "2026-10-05", store: "FashionOutlet", count: 1 },
    ]);
  });

  it("groups by week (from Monday) over three months; counts points issued and redeemed and revenue, for the merchant only", async () => {
    const result = await loyaltyAnalytics(db, { kind: "merchant", merchantId }, range);
    expect(result.bucket).toBe("week");
    expect(result.periods[0]).toBe("2026-08-31");
    expect(result.periods.every((day) => new Date(`${day}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(result.enrollments).toEqual([
      { day: "2026-09-07", store: "FashionHub", count: 1 },
      { day: "2026-09-14", store: "FashionHub", count: 1 },
      { day: "2026-10-05", store: "FashionOutlet", count: 1 },
    ]);
    const total = (key: "issued" | "redeemed" | "revenue_cents") =>
      result.movements.reduce((sum, row) => sum + row[key], 0);
    expect(total("issued")).toBe(3 * 50 + 150 + 40 + 10);
    expect(total("redeemed")).toBe(200);
    expect(total("revenue_cents")).toBe(15_000 + 4_050 + 1_000);
    expect(result.summary).toMatchObject({ cards: 3, redeemers: 1 });
  });

  it("builds monthly cohorts: share of each enrollment month's cards active in later months", async () => {
    const result = await loyaltyAnalytics(db, { kind: "merchant", merchantId }, range);
    const september = result.cohorts.find((row) => row.cohort === "2026-09");
    expect(september?.size).toBe(2);
    expect(september?.months.slice(0, 3).map((m) => m.share)).toEqual([0.5, 0.5, null]);
    const october = result.cohorts.find((row) => row.cohort === "2026-10");
    expect(october).toMatchObject({ size: 1 });
    expect(october?.months.slice(0, 2).map((m) => m.share)).toEqual([1, null]);
  });

  it("limits a store manager to their store", async () => {
    const outlet = byCode.FASHIONOUTLET as Store;
    const result = await loyaltyAnalytics(db, { kind: "store", merchantId, storeId: outlet.id }, range);
    expect(result.enrollments.map((row) => row.store)).toEqual(["FashionOutlet"]);
    expect(result.movements.reduce((sum, row) => sum + row.revenue_cents, 0)).toBe(1_000);
  });

  it("counts each enrollment and purchase on the day it was where it happened (the store's time zone)", async () => {
    const wiza = byCode.WIZATECH as Store;
    await db.update(stores).set({ timezone: "America/New_York" }).where(eq(stores.id, wiza.id));
    try {
      // 02:00 UTC on 1 October is still 30 September in New York.
      const card = await enrollAt("WIZATECH", "late-evening@example.com", "2026-10-01T02:00:00Z");
      await ledger(card, "earn", 5, "2026-10-01T03:30:00Z", 500);
      const result = await loyaltyAnalytics(
        db,
        { kind: "merchant", merchantId: wiza.merchantId },
        { from: "2026-09-01", to: "2026-10-31" },
      );
      expect(result.enrollments).toContainEqual({ day: "2026-09-30", store: wiza.name, count: 1 });
      expect(result.movements.find((row) => row.day === "2026-09-30")).toMatchObject({ revenue_cents: 500 });
      const september = await loyaltyAnalytics(
        db,
        { kind: "merchant", merchantId: wiza.merchantId },
        { from: "2026-09-30", to: "2026-09-30" },
      );
      expect(september.enrollments).toEqual([{ day: "2026-09-30", store: wiza.name, count: 1 }]);
    } finally {
      await db.update(stores).set({ timezone: wiza.timezone }).where(eq(stores.id, wiza.id));
    }
  });

  it("counts in a store's cards a card enrolled at a sister store with a ledger row here; its enrollment stays where it happened", async () => {
    const outlet = byCode.FASHIONOUTLET as Store;
    const hub = byCode.FASHIONHUB as Store;
    const outletScope = { kind: "store", merchantId, storeId: outlet.id } as const;
    const before = await loyaltyAnalytics(db, outletScope, range);
    expect(before.summary.cards).toBe(1);
    const visitor = await enrollAt("FASHIONHUB", "visitor@example.com", "2026-11-10T10:00:00Z");
    await ledger({ cardId: visitor.cardId, storeId: outlet.id }, "earn", 30, "2026-11-12T10:00:00Z", 3_000);
    const after = await loyaltyAnalytics(db, outletScope, range);
    expect(after.summary.cards).toBe(2);
    expect(after.enrollments).toEqual(before.enrollments);
    expect(after.movements.reduce((sum, row) => sum + row.revenue_cents, 0)).toBe(1_000 + 3_000);
    const atHub = await loyaltyAnalytics(db, { kind: "store", merchantId, storeId: hub.id }, range);
    expect(atHub.summary.cards).toBe(3);
    expect(atHub.movements.reduce((sum, row) => sum + row.revenue_cents, 0)).toBe(15_000 + 4_050);
  });

  it("leaves voided rows and their voids out, and counts no staff correction or expiry as activity or revenue", async () => {
    const bookworld = byCode.BOOKWORLD as Store;
    const card = await enrollAt("BOOKWORLD", "voids@example.com", "2026-10-01T10:00:00Z");
    const row = async (type: string, points: number, at: string, amountCents: number | null = null, voids?: number) => {
      const [inserted] = await db.execute<{ id: number }>(sql`
        insert into loyalty_transactions (card_id, store_id, type, points_delta, amount_cents, reason, voided_transaction_id, created_at)
        values (${card.cardId}, ${card.storeId}, ${type}, ${points}, ${amountCents},
          ${type === "void" || type === "adjust" ? "test" : null}, ${voids ?? null}, ${at}::timestamptz)
        returning id`);
      await db.execute(
        sql`update loyalty_cards set points_balance = points_balance + ${points} where id = ${card.cardId}`,
      );
      return Number(inserted?.id);
    };
    await row("enroll", 0, "2026-10-01T10:00:00Z");
    await row("earn", 100, "2026-10-02T10:00:00Z", 5_000);
    const voidedEarn = await row("earn", 60, "2026-10-03T10:00:00Z", 3_000);
    await row("void", -60, "2026-10-03T10:05:00Z", null, voidedEarn);
    const voidedRedeem = await row("redeem", -100, "2026-10-04T10:00:00Z");
    await row("void", 100, "2026-10-05T10:00:00Z", null, voidedRedeem);
    // November: only a staff adjustment, an expiry and a voided purchase: no shopper activity.
    await row("adjust", 30, "2026-11-06T10:00:00Z");
    await row("expire", -10, "2026-11-07T10:00:00Z");
    const lateEarn = await row("earn", 5, "2026-11-08T10:00:00Z", 500);
    await row("void", -5, "2026-11-08T10:05:00Z", null, lateEarn);
    const result = await loyaltyAnalytics(db, { kind: "merchant", merchantId: bookworld.merchantId }, range);
    const total = (key: "issued" | "redeemed" | "revenue_cents") =>
      result.movements.reduce((sum, entry) => sum + entry[key], 0);
    expect(total("issued")).toBe(20 + 100 + 30);
    expect(total("redeemed")).toBe(0);
    expect(total("revenue_cents")).toBe(5_000);
    expect(result.summary.redeemers).toBe(0);
    const october = result.cohorts.find((entry) => entry.cohort === "2026-10");
    expect(october?.months[0]?.share).toBe(0);
  });
});
