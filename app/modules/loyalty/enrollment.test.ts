import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Transaction } from "~/db/client.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { queueEmail } from "~/modules/outbox/queue.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { type EnrollmentInput, enrollCustomer, enrollInTransaction } from "./enrollment.server";
import { customers, loyaltyCards, loyaltyPrograms, loyaltyTransactions } from "./schema";

const { db } = await createTestDatabase();
let fashionHub: Store;
let fashionOutlet: Store;
let wizaTech: Store;
let wizaMart: Store;

beforeAll(async () => {
  await seedDemoData(db);
  const all = await db.select().from(stores);
  const byCode = (code: string) => {
    const store = all.find((s) => s.code === code);
    if (!store) throw new Error(code);
    return store;
  };
  fashionHub = byCode("FASHIONHUB");
  fashionOutlet = byCode("FASHIONOUTLET");
  wizaTech = byCode("WIZATECH");
  wizaMart = byCode("WIZAMART");
});

const shopper = (email: string): EnrollmentInput => ({
  firstName: "Anne",
  lastName: "Muller",
  email,
  phone: "+352621123456",
  birthDate: "1990-07-14",
  marketingConsent: false,
  locale: "fr",
});

const jobsFor = (emailLogId: string) =>
  db.execute(sql`select id from graphile_worker._private_jobs where payload->>'emailLogId' = ${emailLogId}`);

/**
 * Runs `check` with FashionHub's program changed, inside a transaction that is then rolled back, so
 * the other tests keep the seeded program.
 */
async function withFashionHubProgram(
  change: Partial<typeof loyaltyPrograms.$inferInsert>,
  check: (tx: Transaction) => Promise<void>,
) {
  const rolledBack = new Error("rolled back: the program stays as seeded");
  await expect(
    db.transaction(async (tx) => {
      await tx.update(loyaltyPrograms).set(change).where(eq(loyaltyPrograms.merchantId, fashionHub.merchantId));
      await check(tx);
      throw rolledBack;
    }),
  ).rejects.toBe(rolledBack);
}

describe("enrollCustomer", () => {
  it("creates the card, the welcome bonus, one welcome email carrying both and its job in one commit", async () => {
    const result = await enrollCustomer(db, fashionHub, shopper("first@example.com"));
    expect(result.status).toBe("enrolled");
    if (result.status !== "enrolled") return;
    expect(result.pointsBalance).toBe(50);
    const logs = await db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId));
    expect(logs.map((log) => log.templateKey)).toEqual(["loyalty_enrollment_with_bonus"]);
    expect(logs.every((log) => log.status === "queued" && log.locale === "fr")).toBe(true);
    for (const log of logs) expect(await jobsFor(log.id)).toHaveLength(1);
  });

  it("sends the card alone when the program gives no welcome bonus", async () => {
    await withFashionHubProgram({ welcomeBonus: 0 }, async (tx) => {
      const result = await enrollInTransaction(tx, fashionHub, shopper("no-bonus@example.com"));
      expect(result).toMatchObject({ status: "enrolled", pointsBalance: 0 });
      const logs = await tx.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId));
      expect(logs.map((log) => log.templateKey)).toEqual(["loyalty_enrollment"]);
    });
  });

  it("leaves neither email row nor job when the transaction rolls back", async () => {
    let emailLogId = "";
    await expect(
      db.transaction(async (tx) => {
        const [card] = await tx.select().from(loyaltyCards).limit(1);
        if (!card) throw new Error("no card to write about");
        emailLogId = await queueEmail(tx, {
          kind: "loyalty_card_link",
          locale: "en",
          recipient: "rollback@example.com",
          merchantId: card.merchantId,
          storeId: card.enrolledStoreId,
          customerId: card.customerId,
          cardId: card.id,
        });
        throw new Error("business change failed");
      }),
    ).rejects.toThrow("business change failed");
    expect(emailLogId).not.toBe("");
    expect(await db.select().from(emailLogs).where(eq(emailLogs.id, emailLogId))).toHaveLength(0);
    expect(await jobsFor(emailLogId)).toHaveLength(0);
  });

  it("gives the same person at the sister store no second card or bonus, only a card-link email", async () => {
    await enrollCustomer(db, fashionHub, shopper("sister@example.com"));
    const again = await enrollCustomer(db, fashionOutlet, { ...shopper("SISTER@Example.com"), locale: "de" });
    expect(again.status).toBe("existing");
    const people = await db.select().from(customers).where(sql`lower(${customers.email}) = 'sister@example.com'`);
    expect(people).toHaveLength(1);
    const cards = await db
      .select()
      .from(loyaltyCards)
      .where(eq(loyaltyCards.customerId, people[0]?.id ?? ""));
    expect(cards).toHaveLength(1);
    const logs = await db
      .select()
      .from(emailLogs)
      .where(eq(emailLogs.cardId, cards[0]?.id ?? ""));
    expect(logs.map((log) => `${log.templateKey}:${log.locale}`).sort()).toEqual([
      "loyalty_card_link:de",
      "loyalty_enrollment_with_bonus:fr",
    ]);
  });

  it("makes a separate card at another merchant", async () => {
    await enrollCustomer(db, fashionHub, shopper("two-merchants@example.com"));
    const other = await enrollCustomer(db, wizaTech, shopper("two-merchants@example.com"));
    expect(other.status).toBe("enrolled");
    if (other.status === "enrolled") expect(other.stampsBalance).toBe(1);
    const people = await db.select().from(customers).where(eq(customers.email, "two-merchants@example.com"));
    expect(people).toHaveLength(2);
  });

  it("writes no customer, card or email when the merchant has no active program", async () => {
    await withFashionHubProgram({ active: false }, async (tx) => {
      await expect(enrollInTransaction(tx, fashionHub, shopper("no-program@example.com"))).rejects.toMatchObject({
        code: "loyaltyUnavailable",
      });
      expect(await tx.select().from(customers).where(eq(customers.email, "no-program@example.com"))).toEqual([]);
      expect(await tx.select().from(emailLogs).where(eq(emailLogs.recipient, "no-program@example.com"))).toEqual([]);
    });
  });

  it("refuses a store whose loyalty feature is off", async () => {
    await expect(enrollCustomer(db, wizaMart, shopper("nope@example.com"))).rejects.toMatchObject({
      code: "loyaltyUnavailable",
      status: 404,
    });
    expect(await db.select().from(customers).where(eq(customers.email, "nope@example.com"))).toHaveLength(0);
  });

  it("turns twenty concurrent enrollments of one email into one customer, one card and one bonus", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        enrollCustomer(db, i % 2 ? fashionHub : fashionOutlet, shopper("rush@example.com")),
      ),
    );
    expect(results.filter((r) => r.status === "enrolled")).toHaveLength(1);
    const people = await db.select().from(customers).where(eq(customers.email, "rush@example.com"));
    expect(people).toHaveLength(1);
    const cards = await db
      .select()
      .from(loyaltyCards)
      .where(eq(loyaltyCards.customerId, people[0]?.id ?? ""));
    expect(cards).toHaveLength(1);
    const bonuses = await db
      .select()
      .from(loyaltyTransactions)
      .where(sql`${loyaltyTransactions.cardId} = ${cards[0]?.id} and ${loyaltyTransactions.type} = 'welcome_bonus'`);
    expect(bonuses).toHaveLength(1);
    expect(cards[0]?.pointsBalance).toBe(50);
  });

  it("keeps every cached balance equal to the sum of its ledger", async () => {
    const mismatches = await db.execute(sql`
      select c.id from loyalty_cards c
      left join loyalty_transactions t on t.card_id = c.id
      group by c.id, c.points_balance, c.stamps_balance
      having c.points_balance <> coalesce(sum(t.points_delta), 0) or c.stamps_balance <> coalesce(sum(t.stamps_delta), 0)`);
    expect(mismatches).toHaveLength(0);
  });

  it("refuses to edit or delete ledger rows", async () => {
    await expect(db.execute(sql`update loyalty_transactions set points_delta = 1000`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only/) },
    });
    await expect(db.execute(sql`delete from loyalty_transactions`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only/) },
    });
  });

  it("refuses a negative balance", async () => {
    await expect(db.execute(sql`update loyalty_cards set points_balance = -1`)).rejects.toMatchObject({
      cause: { constraint_name: "loyalty_cards_points_not_negative" },
    });
  });
});

describe("timestamps", () => {
  it("are taken when each row is written, not once at import", async () => {
    await enrollCustomer(db, fashionHub, shopper("early@example.com"));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await enrollCustomer(db, fashionHub, shopper("late@example.com"));
    const rows = await db
      .select({ email: customers.email, createdAt: customers.createdAt })
      .from(customers)
      .where(sql`${customers.email} in ('early@example.com', 'late@example.com')`);
    const early = rows.find((r) => r.email === "early@example.com")?.createdAt.getTime() ?? 0;
    const late = rows.find((r) => r.email === "late@example.com")?.createdAt.getTime() ?? 0;
    expect(late - early).toBeGreaterThanOrEqual(1000);
  });

  it("moves updated_at on update", async () => {
    const [before] = await db.select().from(stores).where(eq(stores.code, "BOOKWORLD"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [after] = await db.update(stores).set({ name: "BookWorld" }).where(eq(stores.code, "BOOKWORLD")).returning();
    expect(after?.updatedAt.getTime()).toBeGreaterThan(before?.updatedAt.getTime() ?? Number.POSITIVE_INFINITY);
  });
});
