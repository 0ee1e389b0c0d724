import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { auditLog } from "~/modules/audit/schema";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards, loyaltyTransactions } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

/** The card page's manual adjustment and void, through HTTP as the browser sends them. */

const { db } = await createTestDatabase();
let server: TestServer;
const store: Record<string, Store> = {};
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };
const fr = serverI18n("fr");
const refusal = (code: string) => inHtml(fr.t(`common:errors.${code}.body` as "common:errors.notFound.body"));

beforeAll(async () => {
  await seedDemoData(db);
  for (const row of await db.select().from(stores)) store[row.code] = row;
  const s = (code: string) => store[code] as Store;
  const users = [
    { email: "admin@corr.example", role: "platform_admin" as const },
    { email: "owner@corr.example", role: "merchant_owner" as const, merchantId: s("FASHIONHUB").merchantId },
    { email: "wiza@corr.example", role: "merchant_owner" as const, merchantId: s("WIZATECH").merchantId },
    {
      email: "manager@corr.example",
      role: "store_manager" as const,
      merchantId: s("FASHIONOUTLET").merchantId,
      storeId: s("FASHIONOUTLET").id,
    },
    {
      email: "staff@corr.example",
      role: "store_staff" as const,
      merchantId: s("FASHIONHUB").merchantId,
      storeId: s("FASHIONHUB").id,
    },
  ];
  for (const user of users) {
    await createUser(db, { ...user, name: user.email, password, preferredLanguage: "fr" });
  }
  server = await startTestServer(db, { ENROLL_RATE_LIMIT: "1000", LOGIN_RATE_LIMIT: "1000" });
});

async function signIn(email: string): Promise<string> {
  const response = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
  expect(response.status).toBe(302);
  return String(response.headers["set-cookie"]).split(";")[0] ?? "";
}

let shoppers = 0;
/** A fresh FashionHub (or other store) card: 50 points of welcome bonus at Fashion Group. */
async function newCard(code = "FASHIONHUB"): Promise<string> {
  shoppers += 1;
  const result = await enrollCustomer(db, store[code] as Store, {
    firstName: "Camille",
    lastName: `Weber ${shoppers}`,
    email: `camille.${shoppers}@corr.example`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  return result.cardId;
}

const page = (cookie: string, path: string) => server.request(platform, path, { headers: { cookie } });
const post = (cookie: string, path: string, form: Record<string, string>) =>
  server.request(platform, path, { form, headers: { ...sameOrigin, cookie } });

/** The operation key the card page minted for its forms. */
function operationKey(body: string): string {
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(body)?.[1];
  if (!key) throw new Error("the card page offers no correction form");
  return key;
}

async function balanceOf(cardId: string) {
  const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
  return card?.pointsBalance;
}

const rowsOf = (cardId: string) =>
  db
    .select()
    .from(loyaltyTransactions)
    .where(eq(loyaltyTransactions.cardId, cardId))
    .orderBy(asc(loyaltyTransactions.id));

describe("manual adjustment", () => {
  it("records the owner's adjustment with its reason, audited, and shows it in the history", async () => {
    const owner = await signIn("owner@corr.example");
    const cardId = await newCard();
    const path = `/merchant/cards/${cardId}`;
    const before = await page(owner, path);
    expect(before.status).toBe(200);
    expect(before.body).toContain(inHtml(fr.t("console:card.corrections.adjustTitle")));
    const response = await post(owner, path, {
      intent: "adjust",
      idempotencyKey: operationKey(before.body),
      delta: "25",
      reason: "Geste commercial",
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${path}?done=adjusted`);
    expect(await balanceOf(cardId)).toBe(75);
    const after = await page(owner, `${path}?done=adjusted`);
    expect(after.body).toContain(inHtml(fr.t("console:card.corrections.adjusted")));
    expect(after.body).toContain("Geste commercial");
    const [, adjust] = await rowsOf(cardId);
    expect(adjust).toMatchObject({ type: "adjust", pointsDelta: 25, reason: "Geste commercial" });
    expect(adjust?.actingUserId).toBeTruthy();
    expect(adjust?.storeId).toBe(store.FASHIONHUB?.id);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "card.adjust"), eq(auditLog.entityId, cardId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ transactionId: adjust?.id, pointsDelta: 25 });
  });

  it("records a double submit, or a reloaded POST, once", async () => {
    const owner = await signIn("owner@corr.example");
    const cardId = await newCard();
    const path = `/merchant/cards/${cardId}`;
    const form = {
      intent: "adjust",
      idempotencyKey: operationKey((await page(owner, path)).body),
      delta: "-20",
      reason: "Erreur de caisse",
    };
    const [first, second] = await Promise.all([post(owner, path, form), post(owner, path, form)]);
    const third = await post(owner, path, form);
    for (const response of [first, second, third]) expect(response.status).toBe(302);
    expect(await balanceOf(cardId)).toBe(30);
    expect((await rowsOf(cardId)).filter((row) => row.type === "adjust")).toHaveLength(1);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "card.adjust"), eq(auditLog.entityId, cardId)));
    expect(audit).toHaveLength(1);
    // The same key for another change is a conflict, told in French, not a silent replay.
    const conflict = await post(owner, path, { ...form, delta: "-5" });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toContain(refusal("idempotency_conflict"));
    expect(await balanceOf(cardId)).toBe(30);
  });

  it.each([
    ["a balance that would go negative", { delta: "-51" }, 409, "insufficient_balance"],
    ["no reason", { reason: "   " }, 400, "reason_required"],
    ["zero", { delta: "0" }, 400, "invalid_adjustment"],
    ["a decimal number", { delta: "2.5" }, 400, "invalid_adjustment"],
    ["text", { delta: "beaucoup" }, 400, "invalid_adjustment"],
    ["a huge number", { delta: "99999999" }, 400, "invalid_adjustment"],
  ])("refuses %s next to the field, in French, recording nothing", async (_label, change, status, code) => {
    const owner = await signIn("owner@corr.example");
    const cardId = await newCard();
    const path = `/merchant/cards/${cardId}`;
    const response = await post(owner, path, {
      intent: "adjust",
      idempotencyKey: operationKey((await page(owner, path)).body),
      delta: "10",
      reason: "Test",
      ...change,
    });
    expect(response.status).toBe(status);
    expect(response.body).toContain(refusal(code));
    const field = code === "reason_required" ? "adjust-reason" : "adjust-delta";
    expect(response.body).toMatch(new RegExp(`id="${field}-error"`));
    expect(await balanceOf(cardId)).toBe(50);
    expect(await rowsOf(cardId)).toHaveLength(1);
  });

  it("lets a store manager adjust a card of their store, and nobody outside the card's scope", async () => {
    const outletCard = await newCard("FASHIONOUTLET");
    const hubCard = await newCard("FASHIONHUB");
    const manager = await signIn("manager@corr.example");
    const own = `/merchant/cards/${outletCard}`;
    const ok = await post(manager, own, {
      intent: "adjust",
      idempotencyKey: operationKey((await page(manager, own)).body),
      delta: "5",
      reason: "Bon retrouvé",
    });
    expect(ok.status).toBe(302);
    expect(await balanceOf(outletCard)).toBe(55);
    const form = { intent: "adjust", idempotencyKey: "portal:out-of-scope-1", delta: "5", reason: "Test" };
    expect((await post(manager, `/merchant/cards/${hubCard}`, form)).status).toBe(404);
    const wiza = await signIn("wiza@corr.example");
    expect((await post(wiza, `/merchant/cards/${hubCard}`, form)).status).toBe(404);
    const staff = await signIn("staff@corr.example");
    expect((await post(staff, `/merchant/cards/${hubCard}`, form)).status).toBe(403);
    expect((await page(staff, `/merchant/cards/${hubCard}`)).status).toBe(403);
    expect(await balanceOf(hubCard)).toBe(50);
  });

  it("lets the platform admin adjust from the admin console", async () => {
    const admin = await signIn("admin@corr.example");
    const cardId = await newCard("WIZATECH");
    const path = `/admin/cards/${cardId}`;
    const response = await post(admin, path, {
      intent: "adjust",
      idempotencyKey: operationKey((await page(admin, path)).body),
      delta: "3",
      reason: "Tampons oubliés",
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${path}?done=adjusted`);
    const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
    expect(card?.stampsBalance).toBe(4);
  });
});

describe("void", () => {
  it("asks for confirmation, voids with a reason, links the two rows and offers no second void", async () => {
    const owner = await signIn("owner@corr.example");
    const cardId = await newCard();
    const path = `/merchant/cards/${cardId}`;
    const [bonus] = await rowsOf(cardId);
    const card = await page(owner, path);
    expect(card.body).toContain(`href="/merchant/cards/${cardId}?void=${bonus?.id}#void-confirm"`);
    const confirm = await page(owner, `${path}?void=${bonus?.id}`);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain(inHtml(fr.t("console:card.corrections.confirmTitle")));
    const form = {
      intent: "void",
      idempotencyKey: operationKey(confirm.body),
      transactionId: String(bonus?.id),
      reason: "Inscription en double",
    };
    const missing = await post(owner, `${path}?void=${bonus?.id}`, { ...form, reason: "" });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain(refusal("reason_required"));
    expect(missing.body).toContain('id="void-reason-error"');
    const voided = await post(owner, `${path}?void=${bonus?.id}`, form);
    expect(voided.status).toBe(302);
    expect(voided.headers.location).toBe(`${path}?done=voided`);
    expect(await balanceOf(cardId)).toBe(0);
    expect((await post(owner, `${path}?void=${bonus?.id}`, form)).status).toBe(302);
    const rows = await rowsOf(cardId);
    expect(rows.map((row) => row.type)).toEqual(["welcome_bonus", "void"]);
    expect(rows[1]).toMatchObject({ voidedTransactionId: bonus?.id, reason: "Inscription en double" });
    const after = await page(owner, path);
    expect(after.body).toContain("Inscription en double");
    expect(after.body).toContain(`href="#transaction-${bonus?.id}"`);
    expect(after.body).toContain(`href="#transaction-${rows[1]?.id}"`);
    expect(after.body).not.toContain(`?void=${bonus?.id}`);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "card.void"), eq(auditLog.entityId, cardId)));
    expect(audit).toHaveLength(1);

    const again = await post(owner, `${path}?void=${bonus?.id}`, {
      ...form,
      idempotencyKey: operationKey(after.body),
    });
    expect(again.status).toBe(409);
    expect(again.body).toContain(refusal("already_voided"));
    const voidRow = await post(owner, path, {
      ...form,
      transactionId: String(rows[1]?.id),
      idempotencyKey: "portal:void-of-a-void",
    });
    expect(voidRow.status).toBe(409);
    expect(voidRow.body).toContain(refusal("not_voidable"));
  });

  it("refuses a void whose points were spent, and a row of another card", async () => {
    const owner = await signIn("owner@corr.example");
    const cardId = await newCard();
    const other = await newCard();
    const path = `/merchant/cards/${cardId}`;
    const spend = await post(owner, path, {
      intent: "adjust",
      idempotencyKey: operationKey((await page(owner, path)).body),
      delta: "-40",
      reason: "Bon remis à la main",
    });
    expect(spend.status).toBe(302);
    const [bonus] = await rowsOf(cardId);
    const spent = await post(owner, path, {
      intent: "void",
      idempotencyKey: operationKey((await page(owner, path)).body),
      transactionId: String(bonus?.id),
      reason: "Test",
    });
    expect(spent.status).toBe(409);
    expect(spent.body).toContain(refusal("insufficient_balance"));
    const [otherBonus] = await rowsOf(other);
    const foreign = await post(owner, path, {
      intent: "void",
      idempotencyKey: "portal:foreign-row",
      transactionId: String(otherBonus?.id),
      reason: "Test",
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toContain(refusal("transaction_not_found"));
    expect(await balanceOf(other)).toBe(50);
  });
});
