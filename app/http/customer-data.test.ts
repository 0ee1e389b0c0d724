import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { auditLog } from "~/modules/audit/schema";
import { createUser } from "~/modules/auth/users.server";
import { customers } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { enrollTestShopper } from "~/modules/privacy/test-shoppers";
import { stores } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

/** A shopper's data request from the admin console and the merchant portal, over HTTP. */

const { db } = await createTestDatabase();
let server: TestServer;
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };
const card: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData(db);
  const hub = await enrollTestShopper(db, "FASHIONHUB", "anna.weber@example.com");
  const wiza = await enrollTestShopper(db, "WIZATECH", "tom.wiza@example.com");
  const erasable = await enrollTestShopper(db, "FASHIONHUB", "to.erase@example.com");
  card.hub = hub.cardId;
  card.wiza = wiza.cardId;
  card.erasable = erasable.cardId;
  const fashion = hub.store.merchantId;
  const [hubStore] = await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"));
  await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  await createUser(db, {
    email: "owner@fashion.example",
    name: "Owner",
    password,
    role: "merchant_owner",
    merchantId: fashion,
    preferredLanguage: "fr",
  });
  await createUser(db, {
    email: "manager@hub.example",
    name: "Manager",
    password,
    role: "store_manager",
    merchantId: fashion,
    storeId: hubStore?.id ?? null,
  });
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000" });
});

async function signIn(email: string): Promise<string> {
  const response = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
  expect(response.status).toBe(302);
  return String(response.headers["set-cookie"]).split(";")[0] ?? "";
}

const get = (cookie: string, path: string) => server.request(platform, path, { headers: { cookie } });

describe("the customer data page", () => {
  it("is linked from the admin card page and from the owner's, not the store manager's", async () => {
    const admin = await signIn("admin@test.example");
    const owner = await signIn("owner@fashion.example");
    const manager = await signIn("manager@hub.example");
    const link = `/cards/${card.hub}/customer-data`;
    expect((await get(admin, `/admin/cards/${card.hub}`)).body).toContain(`/admin${link}`);
    const ownerPage = await get(owner, `/merchant/cards/${card.hub}`);
    expect(ownerPage.body).toContain(`/merchant${link}`);
    expect(ownerPage.body).toContain(inHtml(serverI18n("fr").t("console:customerData.link")));
    const managerPage = await get(manager, `/merchant/cards/${card.hub}`);
    expect(managerPage.status).toBe(200);
    expect(managerPage.body).not.toContain(`/merchant${link}`);
    expect((await get(manager, `/merchant${link}`)).status).toBe(403);
    expect((await get(manager, `/merchant${link}/json`)).status).toBe(403);
  });

  it("shows the owner what is held, in their language, and is a 404 for another merchant's card", async () => {
    const owner = await signIn("owner@fashion.example");
    const page = await get(owner, `/merchant/cards/${card.hub}/customer-data`);
    expect(page.status).toBe(200);
    expect(htmlLang(page.body)).toBe("fr");
    expect(page.body).toContain("anna.weber@example.com");
    expect(page.body).toContain(inHtml(serverI18n("fr").t("console:customerData.downloadJson")));
    expect((await get(owner, `/merchant/cards/${card.wiza}/customer-data`)).status).toBe(404);
    expect((await get(owner, `/merchant/cards/${card.wiza}/customer-data/json`)).status).toBe(404);
    expect((await get(owner, `/merchant/cards/not-a-uuid/customer-data`)).status).toBe(404);
  });

  it("downloads everything as JSON and as readable text, each download audited", async () => {
    const admin = await signIn("admin@test.example");
    const json = await get(admin, `/admin/cards/${card.hub}/customer-data/json`);
    expect(json.status).toBe(200);
    expect(json.headers["content-type"]).toContain("application/json");
    expect(json.headers["content-disposition"]).toMatch(/^attachment; filename="customer-[\w-]+\.json"$/);
    const data = JSON.parse(json.body);
    expect(data.customer.email).toBe("anna.weber@example.com");
    expect(data.consents.termsAcceptedAt).toBeTruthy();
    expect(data.cards[0].ledger.length).toBeGreaterThan(0);
    expect(data.emails[0].recipient).toBe("anna.weber@example.com");
    const owner = await signIn("owner@fashion.example");
    const text = await get(owner, `/merchant/cards/${card.hub}/customer-data/txt`);
    expect(text.status).toBe(200);
    expect(text.headers["content-type"]).toContain("text/plain");
    const fr = serverI18n("fr").t;
    expect(text.body).toContain(fr("console:card.birthday"));
    expect(text.body).toContain("+352621123456");
    expect(text.body).toContain(fr("common:transactionTypes.earn"));
    expect(text.body).not.toMatch(/console:|common:|\{\{/);
    expect((await get(owner, `/merchant/cards/${card.hub}/customer-data/pdf`)).status).toBe(404);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "customer.exported"));
    expect(audits.length).toBe(2);
  });

  it("erases after a confirmation step, with a plain form post", async () => {
    const owner = await signIn("owner@fashion.example");
    const path = `/merchant/cards/${card.erasable}/customer-data`;
    const confirm = await get(owner, `${path}?erase=confirm`);
    expect(confirm.body).toContain(inHtml(serverI18n("fr").t("console:customerData.eraseConfirm")));
    expect(confirm.body).toMatch(/<form [^>]*method="post"[^>]*>/);
    const wrongIntent = await server.request(platform, path, {
      form: { intent: "something" },
      headers: { ...sameOrigin, cookie: owner },
    });
    expect(wrongIntent.status).toBe(400);
    const manager = await signIn("manager@hub.example");
    const byManager = await server.request(platform, path, {
      form: { intent: "erase" },
      headers: { ...sameOrigin, cookie: manager },
    });
    expect(byManager.status).toBe(403);
    const [before] = await db.select().from(customers).where(eq(customers.email, "to.erase@example.com"));
    expect(before).toBeDefined();
    const erased = await server.request(platform, path, {
      form: { intent: "erase" },
      headers: { ...sameOrigin, cookie: owner },
    });
    expect(erased.status).toBe(302);
    expect(erased.headers.location).toBe(path);
    const [after] = await db
      .select()
      .from(customers)
      .where(eq(customers.id, before?.id ?? ""));
    expect(after?.email).toMatch(/@erased\.invalid$/);
    const page = await get(owner, path);
    expect(page.body).toContain(inHtml(serverI18n("fr").t("console:customerData.erased")));
    expect(page.body).not.toContain("to.erase@example.com");
  });
});
