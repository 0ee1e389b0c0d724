import { eq, sql } from "drizzle-orm";
import { decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { adminSettings } from "~/modules/settings/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { saveUrlPrefix } from "~/modules/wallet/passes.server";
import { createTestDatabase } from "~/test/database";
import { type FakeGoogleWallet, startFakeGoogleWallet } from "~/test/google-wallet-fake";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

const { db } = await createTestDatabase();
let server: TestServer;
let fake: FakeGoogleWallet;
let store: Store;
let adminCookie: string;
let ownerCookie: string;
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };
const issuerId = "3388000000012345678";

async function signIn(email: string) {
  const login = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
  return String(login.headers["set-cookie"]).split(";")[0] ?? "";
}

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  await createUser(db, { email: "admin@wallet.example", name: "Admin", password, role: "platform_admin" });
  await createUser(db, {
    email: "owner@wallet.example",
    name: "Owner",
    password,
    role: "merchant_owner",
    merchantId: store.merchantId,
  });
  fake = await startFakeGoogleWallet();
  // Nothing about Wallet in the environment but where Google's API is: the admin configures the rest.
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000", GOOGLE_WALLET_API_URL: fake.apiUrl });
  adminCookie = await signIn("admin@wallet.example");
  ownerCookie = await signIn("owner@wallet.example");
});
afterAll(() => fake.close());
beforeEach(async () => {
  await db.delete(adminSettings).where(eq(adminSettings.category, "wallet"));
});

const get = (path: string, cookie = adminCookie, host = platform) =>
  server.request(host, path, { headers: { cookie } });
const post = (path: string, form: Record<string, string>, cookie = adminCookie) =>
  server.request(platform, path, { form, headers: { ...sameOrigin, cookie } });

async function enroll() {
  const result = await enrollCustomer(db, store, {
    firstName: "Léa",
    lastName: "Muller",
    email: `shopper-${Math.random().toString(36).slice(2)}@example.com`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  if (result.status !== "enrolled") throw new Error("not enrolled");
  return result;
}

describe("/admin/wallet", () => {
  it("is for platform admins only", async () => {
    expect((await get("/admin/wallet", ownerCookie)).status).toBe(403);
    const anonymous = await server.request(platform, "/admin/wallet");
    expect(anonymous.status).toBe(302);
    expect((await post("/admin/wallet", { issuerId }, ownerCookie)).status).toBe(403);
    expect(await db.select().from(adminSettings).where(eq(adminSettings.category, "wallet"))).toEqual([]);
  });

  it("says why Wallet is off, here and on the dashboard", async () => {
    const page = await get("/admin/wallet?lang=fr");
    const fr = serverI18n("fr").t;
    expect(page.status).toBe(200);
    const missing = [fr("console:wallet.missing.issuerId"), fr("console:wallet.missing.serviceAccountKey")].join(", ");
    expect(page.body).toContain(inHtml(fr("console:wallet.notConfigured", { missing })));
    const dashboard = await get("/admin?lang=fr");
    expect(dashboard.body).toContain(inHtml(fr("console:wallet.dashboard.notConfigured", { missing })));
  });

  it("refuses bad values with localized field errors and a 400, saving nothing", async () => {
    const de = serverI18n("de").t;
    const response = await post("/admin/wallet?lang=de", {
      issuerId: "issuer-12",
      origins: "http://shop.example.com",
      logoUrl: "ftp://cdn.example.com/logo.png",
    });
    expect(response.status).toBe(400);
    for (const key of ["issuerIdInvalid", "originsInvalid", "logoUrlInvalid"] as const) {
      expect(response.body).toContain(inHtml(de(`console:wallet.errors.${key}`)));
    }
    expect(await db.select().from(adminSettings).where(eq(adminSettings.category, "wallet"))).toEqual([]);
  });

  it("refuses a key that is not a service-account key (4xx), and never sends a pasted key back", async () => {
    const en = serverI18n("en").t;
    const notJson = await post("/admin/wallet?lang=en", { issuerId, serviceAccountKey: "{ not json" });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toContain(inHtml(en("console:wallet.errors.key.notJson")));
    const key = JSON.parse(fake.newKeyFile().json);
    const broken = JSON.stringify({
      ...key,
      private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    });
    const refused = await post("/admin/wallet?lang=en", { issuerId, serviceAccountKey: broken });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(inHtml(en("console:wallet.errors.key.unreadablePrivateKey")));
    expect(refused.body).not.toContain(key.client_email);
    expect(await db.select().from(adminSettings).where(eq(adminSettings.category, "wallet"))).toEqual([]);
  });

  it("saves the settings with the key sealed, shows where each value comes from, never the private key", async () => {
    const key = fake.newKeyFile();
    const saved = await post("/admin/wallet", {
      issuerId,
      serviceAccountKey: key.json,
      origins: "https://fashionhub.example.com",
      logoUrl: "https://cdn.example.com/logo.png",
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe("/admin/wallet?saved=1");
    const page = await get("/admin/wallet?saved=1&lang=en");
    const en = serverI18n("en").t;
    expect(page.body).toContain(inHtml(en("console:wallet.ready")));
    expect(page.body).toContain(key.clientEmail);
    expect(page.body).toContain(fake.tokenUri);
    expect(page.body).not.toContain("PRIVATE KEY");
    const privateKey = JSON.parse(key.json).private_key as string;
    expect(page.body).not.toContain(privateKey.split("\n")[1]);
    const [sealed] = await db.select().from(adminSettings).where(eq(adminSettings.key, "serviceAccountKey"));
    expect(sealed?.encrypted).toBe(true);
    expect(sealed?.value).not.toContain("PRIVATE KEY");
    expect((await get("/admin?lang=en")).body).toContain(inHtml(en("console:wallet.dashboard.ready")));
  });

  it("checks the configuration line by line, a failing token endpoint with its fix", async () => {
    const key = fake.newKeyFile();
    await post("/admin/wallet", { issuerId, serviceAccountKey: key.json, origins: "https://fashionhub.example.com" });
    const en = serverI18n("en").t;
    const passed = await post("/admin/wallet?lang=en", { intent: "check" });
    expect(passed.status).toBe(200);
    for (const check of ["keySigns", "issuerId", "token", "api", "origins"]) {
      expect(passed.body).toContain(`data-check="${check}" data-outcome="passed"`);
    }
    // No default logo set: a failed line that says how to fix it.
    expect(passed.body).toContain('data-check="logo" data-outcome="failed"');
    expect(passed.body).toContain(inHtml(en("console:wallet.checks.logo.fix")));

    fake.failNext("token", 500);
    const failing = await post("/admin/wallet?lang=en", { intent: "check" });
    expect(failing.body).toContain('data-check="token" data-outcome="failed"');
    expect(failing.body).toContain(inHtml(en("console:wallet.checks.token.fix", { tokenUri: fake.tokenUri })));
    expect(failing.body).toContain('data-check="api" data-outcome="skipped"');
  });
});

describe("Add to Google Wallet on the storefront", () => {
  it("is absent while Wallet is not configured, and its link is a 404", async () => {
    const card = await enroll();
    const success = await get(`/loyalty/join/success?card=${card.publicToken}`, "", "fashionhub.localhost");
    expect(success.status).toBe(200);
    expect(success.body).toContain(card.cardNumber.slice(0, 4));
    expect(success.body).not.toContain('data-testid="google-wallet-button"');
    const page = await get(`/loyalty/card/${card.publicToken}`, "", "fashionhub.localhost");
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('data-testid="google-wallet-button"');
    expect((await get(`/loyalty/card/${card.publicToken}/google-wallet`, "", "fashionhub.localhost")).status).toBe(404);
  });

  it("links to a save URL whose JWT verifies and names the card's object, once configured", async () => {
    const key = fake.newKeyFile();
    await post("/admin/wallet", { issuerId, serviceAccountKey: key.json, origins: "https://fashionhub.example.com" });
    const card = await enroll();
    const success = await get(`/loyalty/join/success?card=${card.publicToken}&lang=de`, "", "fashionhub.localhost");
    const href = `/loyalty/card/${card.publicToken}/google-wallet`;
    expect(success.body).toContain(`href="${href}"`);
    expect(success.body).toContain(inHtml(serverI18n("de").t("storefront:wallet.button")));
    expect((await get(`/loyalty/card/${card.publicToken}`, "", "fashionhub.localhost")).body).toContain(
      `href="${href}"`,
    );
    const saved = await get(href, "", "fashionhub.localhost");
    expect(saved.status).toBe(303);
    const location = String(saved.headers.location);
    expect(location.startsWith(saveUrlPrefix)).toBe(true);
    const { payload } = await jwtVerify(location.slice(saveUrlPrefix.length), key.publicKey, {
      issuer: key.clientEmail,
      audience: "google",
    });
    const objectId = `${issuerId}.card-${card.cardId}`;
    expect((payload.payload as { loyaltyObjects: { id: string }[] }).loyaltyObjects[0]?.id).toBe(objectId);
    const [row] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, card.cardId));
    expect(row?.googleWalletObjectId).toBe(objectId);
    expect(decodeJwt(location.slice(saveUrlPrefix.length)).typ).toBe("savetowallet");
  });

  it("sends the shopper back to the card with a notice when Google cannot be reached", async () => {
    const key = fake.newKeyFile();
    await post("/admin/wallet", { issuerId, serviceAccountKey: key.json });
    const card = await enroll();
    fake.failNext("api", 503);
    const saved = await get(`/loyalty/card/${card.publicToken}/google-wallet`, "", "fashionhub.localhost");
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/loyalty/card/${card.publicToken}?wallet=unavailable`);
    const page = await get(`/loyalty/card/${card.publicToken}?wallet=unavailable&lang=fr`, "", "fashionhub.localhost");
    expect(page.body).toContain(inHtml(serverI18n("fr").t("storefront:wallet.unavailable")));
  });
});

describe("Google Wallet on the staff card pages", () => {
  it("says 'not saved', then the last update's outcome and time, on the admin and merchant pages, in each language", async () => {
    const card = await enroll();
    for (const locale of ["en", "fr", "de", "lb"] as const) {
      const { t } = serverI18n(locale);
      const page = await get(`/admin/cards/${card.cardId}?lang=${locale}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(inHtml(t("console:cardWallet.notSaved")));
    }
    const syncedAt = new Date("2026-11-30T09:15:00Z");
    await db
      .update(loyaltyCards)
      .set({
        googleWalletObjectId: `${issuerId}.card-${card.cardId}`,
        googleWalletSyncStatus: "retrying",
        googleWalletSyncedAt: syncedAt,
      })
      .where(eq(loyaltyCards.id, card.cardId));
    for (const locale of ["en", "fr", "de", "lb"] as const) {
      const { t } = serverI18n(locale);
      for (const [path, cookie] of [
        [`/admin/cards/${card.cardId}`, adminCookie],
        [`/merchant/cards/${card.cardId}`, ownerCookie],
      ] as const) {
        const page = await get(`${path}?lang=${locale}`, cookie);
        expect(page.status).toBe(200);
        const status = /data-testid="card-wallet">([^<]*)</.exec(page.body)?.[1] ?? "";
        const [before, after] = t("console:cardWallet.retrying", { date: "@" }).split("@");
        expect(status.startsWith(inHtml(before ?? "")), `${locale} ${path}: ${status}`).toBe(true);
        expect(status.endsWith(inHtml(after ?? "")), `${locale} ${path}: ${status}`).toBe(true);
        // Shown in the store's time zone (Luxembourg: UTC+1 in November).
        expect(status).toContain("10:15");
      }
    }
    await db
      .update(loyaltyCards)
      .set({ googleWalletSyncStatus: null, googleWalletSyncedAt: null })
      .where(eq(loyaltyCards.id, card.cardId));
    const pending = await get(`/merchant/cards/${card.cardId}?lang=fr`, ownerCookie);
    expect(pending.body).toContain(inHtml(serverI18n("fr").t("console:cardWallet.pending")));
  });
});

describe("a store's postal address", () => {
  const storeForm = (address: string) => {
    const form = new URLSearchParams({
      code: store.code,
      name: store.name,
      subdomain: store.subdomain,
      defaultLanguage: store.defaultLanguage,
      timezone: store.timezone,
      loyaltyEnabled: "on",
      address,
    });
    for (const locale of store.enabledLanguages) form.append("enabledLanguages", locale);
    return form;
  };
  const edit = (form: URLSearchParams, locale = "en") =>
    server.request(platform, `/admin/stores/${store.id}?lang=${locale}`, {
      form,
      headers: { ...sameOrigin, cookie: adminCookie },
    });
  const saved = async () => (await db.select().from(stores).where(eq(stores.id, store.id)))[0]?.address;

  it("is saved line by line from the store form, blank lines and spaces dropped", async () => {
    const response = await edit(storeForm("  12, Grand-Rue \r\n\r\nL-1660 Luxembourg  "));
    expect(response.status).toBe(302);
    expect(await saved()).toBe("12, Grand-Rue\nL-1660 Luxembourg");
    // The merchant's passes list the address: the class sync is queued with the edit.
    const jobs = await db.execute<{ key: string }>(
      sql`select key from graphile_worker.jobs where task_identifier = 'wallet_sync_class'`,
    );
    const [program] = await db.execute<{ id: string }>(
      sql`select id from loyalty_programs where merchant_id = ${store.merchantId}`,
    );
    expect(jobs.map((job) => job.key)).toEqual([`wallet_sync_class:${program?.id}`]);
    const page = await get(`/admin/stores/${store.id}`);
    expect(page.body).toContain("12, Grand-Rue\nL-1660 Luxembourg</textarea>");
  });

  it.each([
    ["five lines", "a\nb\nc\nd\ne", "tooManyLines"],
    ["a line of 81 characters", "x".repeat(81), "lineTooLong"],
    ["301 characters", `${"y".repeat(70)}\n`.repeat(5).slice(0, 301), "tooLong"],
    ["markup", "<b>12</b>, Grand-Rue", "textInvalid"],
  ])(
    "refuses %s with a localized message next to the field (400), keeping the saved address",
    async (_label, address, key) => {
      const before = await saved();
      for (const locale of ["fr", "lb"] as const) {
        const response = await edit(storeForm(address), locale);
        expect(response.status).toBe(400);
        expect(response.body).toContain(
          inHtml(serverI18n(locale).t(`console:storeAddress.errors.${key}` as "console:storeAddress.errors.tooLong")),
        );
      }
      expect(await saved()).toBe(before);
    },
  );
});
