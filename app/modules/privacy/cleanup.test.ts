import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/modules/audit/schema";
import { customers, loyaltyCards, loyaltyTransactions } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { createTestDatabase } from "~/test/database";
import { applyCleanup, CleanupRefused, planCleanup } from "./cleanup.server";
import { enrollTestShopper } from "./test-shoppers";

const { db } = await createTestDatabase();

const counts = async () => {
  const [row] = await db.execute<{ customers: number; cards: number; ledger: number; logs: number }>(sql`
    select (select count(*)::int from customers) as customers, (select count(*)::int from loyalty_cards) as cards,
           (select count(*)::int from loyalty_transactions) as ledger, (select count(*)::int from email_logs) as logs`);
  if (!row) throw new Error("no counts");
  return row;
};

const appendOnly = { cause: { message: expect.stringMatching(/append-only/) } };

beforeAll(async () => {
  await seedDemoData(db);
  await enrollTestShopper(db, "FASHIONHUB", "hub-one@example.com");
  await enrollTestShopper(db, "FASHIONHUB", "hub-two@test.example");
  await enrollTestShopper(db, "WIZATECH", "tech@example.com");
  await enrollTestShopper(db, "WIZATECH", "real.person@post.lu");
  await db
    .update(loyaltyCards)
    .set({ googleWalletObjectId: "issuer.wallet-object" })
    .where(eq(loyaltyCards.enrolledStoreId, sql`(select id from stores where code = 'FASHIONHUB')`));
});

describe("the go-live cleanup", () => {
  it("plans by store without deleting anything (the dry run)", async () => {
    const before = await counts();
    const plan = await planCleanup(db, { store: "fashionhub" });
    expect(plan.customers.map((customer) => customer.email)).toEqual(["hub-one@example.com", "hub-two@test.example"]);
    expect(plan.counts).toMatchObject({ customers: 2, cards: 2, walletObjects: 2 });
    // A welcome bonus (FashionHub's program has one) and a purchase per card; an enrollment email each.
    expect(plan.counts.ledgerRows).toBeGreaterThanOrEqual(4);
    expect(plan.counts.emailLogs).toBeGreaterThanOrEqual(2);
    expect(await counts()).toEqual(before);
  });

  it("refuses an unknown store and an email pattern that would match everyone", async () => {
    await expect(planCleanup(db, { store: "NOPE" })).rejects.toThrow(CleanupRefused);
    for (const pattern of ["%", "%@%", "%@_%", "no-at-sign", "a@b@c"]) {
      await expect(planCleanup(db, { emailPattern: pattern }), pattern).rejects.toThrow(CleanupRefused);
    }
  });

  it("deletes the matching customers with their cards, ledger rows and emails, audited, and nothing else", async () => {
    const before = await counts();
    const plan = await applyCleanup(db, { emailPattern: "%@example.com" });
    expect(plan.customers.map((customer) => customer.email)).toEqual(["hub-one@example.com", "tech@example.com"]);
    const after = await counts();
    expect(after.customers).toBe(before.customers - 2);
    expect(after.cards).toBe(before.cards - plan.counts.cards);
    expect(after.ledger).toBe(before.ledger - plan.counts.ledgerRows);
    expect(after.logs).toBe(before.logs - plan.counts.emailLogs);
    const left = await db.select({ email: customers.email }).from(customers).orderBy(customers.email);
    expect(left.map((row) => row.email)).toEqual(["hub-two@test.example", "real.person@post.lu"]);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "cleanup.test_customers_deleted"));
    expect(audit?.details).toMatchObject({ criteria: { emailPattern: "%@example.com" }, counts: plan.counts });
    expect(await db.select().from(emailLogs).where(eq(emailLogs.recipient, "tech@example.com"))).toEqual([]);
  });

  it("leaves the ledger append-only outside the cleanup's own transaction", async () => {
    await expect(db.delete(loyaltyTransactions)).rejects.toMatchObject(appendOnly);
    await expect(db.update(loyaltyTransactions).set({ reason: "edited" })).rejects.toMatchObject(appendOnly);
    // The purge switch allows DELETE only, and only for the transaction that sets it.
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('rewardflow.ledger_purge', 'on', true)`);
        await tx.update(loyaltyTransactions).set({ reason: "edited" });
      }),
    ).rejects.toMatchObject(appendOnly);
  });
});
