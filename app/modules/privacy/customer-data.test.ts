import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/modules/audit/schema";
import { customers, loyaltyCards, loyaltyTransactions } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import type { Actor } from "~/modules/scope/scope";
import { createTestDatabase } from "~/test/database";
import { customerOfCard, eraseCustomer, exportCustomerData } from "./customer-data.server";
import { enrollTestShopper } from "./test-shoppers";

const { db } = await createTestDatabase();

const admin: Actor = {
  userId: "00000000-0000-4000-8000-000000000001",
  email: "admin@example.com",
  name: "Admin",
  role: "platform_admin",
  merchantId: null,
  storeId: null,
  preferredLanguage: "en",
};

let shopper: Awaited<ReturnType<typeof enrollTestShopper>>;
let customerId: string;
let other: Awaited<ReturnType<typeof enrollTestShopper>>;

beforeAll(async () => {
  await seedDemoData(db);
  shopper = await enrollTestShopper(db, "FASHIONHUB", "marie.muller@example.com");
  other = await enrollTestShopper(db, "WIZATECH", "someone.else@example.com");
  await db
    .update(loyaltyCards)
    .set({ googleWalletObjectId: "issuer.object-1" })
    .where(eq(loyaltyCards.id, shopper.cardId));
  customerId = (await customerOfCard(db, { kind: "platform" }, shopper.cardId)) ?? "";
});

describe("exportCustomerData", () => {
  it("holds the customer's fields, consents, cards with their ledger, and email log entries", async () => {
    const data = await exportCustomerData(db, { kind: "platform" }, customerId);
    expect(data).not.toBeNull();
    expect(data?.customer).toMatchObject({
      email: "marie.muller@example.com",
      phone: "+352621123456",
      birthDate: "1990-04-12",
      preferredLanguage: "fr",
    });
    expect(data?.consents.termsAcceptedAt).toBeInstanceOf(Date);
    expect(data?.consents.marketingConsentAt).toBeInstanceOf(Date);
    expect(data?.cards).toHaveLength(1);
    expect(data?.cards[0]?.googleWalletObjectId).toBe("issuer.object-1");
    expect(data?.cards[0]?.ledger.map((entry) => entry.type)).toContain("earn");
    expect(data?.cards[0]?.ledger.find((entry) => entry.type === "earn")?.amountCents).toBe(2_500);
    expect(data?.emails.length).toBeGreaterThan(0);
    expect(data?.emails[0]?.recipient).toBe("marie.muller@example.com");
    expect(JSON.stringify(data)).not.toContain("someone.else@example.com");
  });

  it("is null outside the scope: another merchant, or a store where the shopper has no card", async () => {
    const wizatech = other.store;
    expect(await exportCustomerData(db, { kind: "merchant", merchantId: wizatech.merchantId }, customerId)).toBeNull();
    const outlet = await db.execute<{ id: string }>(sql`select id from stores where code = 'FASHIONOUTLET'`);
    const outletScope = { kind: "store" as const, merchantId: shopper.store.merchantId, storeId: outlet[0]?.id ?? "" };
    expect(await exportCustomerData(db, outletScope, customerId)).toBeNull();
    expect(await customerOfCard(db, outletScope, shopper.cardId)).toBeNull();
  });
});

describe("eraseCustomer", () => {
  it("refuses outside the scope and changes nothing", async () => {
    const wizatech = { kind: "merchant" as const, merchantId: other.store.merchantId };
    expect(await eraseCustomer(db, admin, wizatech, customerId)).toBeNull();
    const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
    expect(row?.email).toBe("marie.muller@example.com");
  });

  it("anonymises the person, keeps the ledger's amounts, strips the emails and audits it", async () => {
    const ledgerBefore = await db
      .select()
      .from(loyaltyTransactions)
      .where(eq(loyaltyTransactions.cardId, shopper.cardId));
    const result = await eraseCustomer(
      db,
      admin,
      { kind: "merchant", merchantId: shopper.store.merchantId },
      customerId,
    );
    expect(result?.cards).toBe(1);

    const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
    expect(customer).toMatchObject({
      firstName: "",
      lastName: "",
      phone: null,
      birthDate: null,
      marketingConsentAt: null,
    });
    expect(customer?.email).toBe(`erased-${customerId}@erased.invalid`);
    expect(customer?.remindersOptedOutAt).toBeInstanceOf(Date);

    const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, shopper.cardId));
    expect(card).toMatchObject({ status: "closed", googleWalletObjectId: null });
    expect(card?.publicToken).not.toBe(shopper.status === "enrolled" ? shopper.publicToken : "");

    const ledgerAfter = await db
      .select()
      .from(loyaltyTransactions)
      .where(eq(loyaltyTransactions.cardId, shopper.cardId));
    expect(ledgerAfter).toEqual(ledgerBefore);

    const logs = await db.select().from(emailLogs).where(eq(emailLogs.customerId, customerId));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      expect(log).toMatchObject({ recipient: "", subject: null, html: null, text: null, params: {} });
      expect(["sent", "failed"]).toContain(log.status);
    }

    const exported = JSON.stringify(await exportCustomerData(db, { kind: "platform" }, customerId));
    for (const personal of ["marie.muller", "Shopper marie", "+352621123456", "1990-04-12", "issuer.object-1"]) {
      expect(exported).not.toContain(personal);
    }
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "customer.erased"));
    expect(audit).toMatchObject({ actorUserId: admin.userId, entityId: customerId });

    // The other shopper is untouched.
    const [untouched] = await db.select().from(customers).where(eq(customers.email, "someone.else@example.com"));
    expect(untouched?.phone).toBe("+352621123456");
  });
});
