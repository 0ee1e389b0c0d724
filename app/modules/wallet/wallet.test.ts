import { and, eq, sql } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Config, loadConfig } from "~/config.server";
import { parseServiceAccountKey } from "~/google-service-account.server";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { appendLedgerEntry } from "~/modules/loyalty/ledger.server";
import { loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { effectiveEmailConfig } from "~/modules/messaging/email-config.server";
import { renderEmail } from "~/modules/messaging/render.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import type { Actor } from "~/modules/scope/scope";
import { adminSettings } from "~/modules/settings/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { findCounterCard } from "~/modules/terminal/counter.server";
import { createTestDatabase } from "~/test/database";
import { type FakeGoogleWallet, startFakeGoogleWallet } from "~/test/google-wallet-fake";
import { walletAccessToken } from "./google-api.server";
import {
  loadPassRecords,
  loyaltyClassId,
  loyaltyClassPayload,
  loyaltyObjectId,
  loyaltyObjectPayload,
  maxSaveJwtLength,
  saveUrlPrefix,
  walletSaveUrl,
} from "./passes.server";
import { syncWalletPass } from "./sync.server";
import {
  effectiveWalletConfig,
  isWalletReady,
  type ReadyWalletConfig,
  saveWalletSettings,
  walletSettingsView,
} from "./wallet-config.server";

const { db } = await createTestDatabase();
const issuerId = "3388000000012345678";
let fake: FakeGoogleWallet;
let key: ReturnType<FakeGoogleWallet["newKeyFile"]>;
let config: Config;
let wallet: ReadyWalletConfig;
let hub: Store;
let wiza: Store;
let admin: Awaited<ReturnType<typeof createUser>>;
let shopperCount = 0;

const byCode = async (code: string) => {
  const [store] = await db.select().from(stores).where(eq(stores.code, code));
  if (!store) throw new Error(code);
  return store;
};

async function enroll(store: Store, names: { firstName?: string; lastName?: string } = {}) {
  shopperCount += 1;
  const result = await enrollCustomer(db, store, {
    firstName: names.firstName ?? "Léa",
    lastName: names.lastName ?? "Muller",
    email: `wallet-${shopperCount}@example.com`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  if (result.status !== "enrolled") throw new Error("not enrolled");
  return result;
}

const card = async (id: string) => {
  const [row] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, id));
  if (!row) throw new Error(id);
  return row;
};

const syncJobs = (cardId: string) =>
  db.execute<{ key: string | null; attempts: number }>(
    sql`select jobs.key, jobs.attempts from graphile_worker.jobs as jobs
      join graphile_worker._private_jobs as private on private.id = jobs.id
      where jobs.task_identifier = 'wallet_sync_card' and private.payload ->> 'cardId' = ${cardId}`,
  );

beforeAll(async () => {
  await seedDemoData(db);
  hub = await byCode("FASHIONHUB");
  wiza = await byCode("WIZATECH");
  fake = await startFakeGoogleWallet();
  key = fake.newKeyFile();
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const dir = mkdtempSync("/tmp/rewardflow-wallet-");
  writeFileSync(`${dir}/key.json`, key.json);
  config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dir,
    APP_SECRET: "w".repeat(32),
    GOOGLE_WALLET_ISSUER_ID: issuerId,
    GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: `${dir}/key.json`,
    GOOGLE_WALLET_ORIGINS: "https://fashionhub.example.com, https://wizatech.example.com",
    GOOGLE_WALLET_API_URL: fake.apiUrl,
    GOOGLE_WALLET_LOGO_URL: "https://cdn.example.com/rewardflow-logo.png",
  });
  const effective = await effectiveWalletConfig(db, config);
  if (!isWalletReady(effective)) throw new Error("wallet not ready");
  wallet = effective;
  admin = await createUser(db, {
    email: "wallet-admin@test.example",
    name: "Wallet Admin",
    password: "correct horse battery",
    role: "platform_admin",
    preferredLanguage: "en",
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("configuration", () => {
  it("reads the key file at boot and names the variable when it is not a service-account key", async () => {
    expect(config.googleWalletKey?.clientEmail).toBe(key.clientEmail);
    expect(config.googleWalletKey?.tokenUri).toBe(fake.tokenUri);
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const dir = mkdtempSync("/tmp/rewardflow-wallet-bad-");
    writeFileSync(`${dir}/key.json`, JSON.stringify({ type: "authorized_user" }));
    const env = { NODE_ENV: "test", DATA_DIR: dir, APP_SECRET: "w".repeat(32) };
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: `${dir}/key.json` })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_SERVICE_ACCOUNT_FILE is not a service-account key/,
    );
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: `${dir}/missing.json` })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_SERVICE_ACCOUNT_FILE cannot be read/,
    );
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_ISSUER_ID: "issuer-1" })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_ISSUER_ID /,
    );
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_ORIGINS: "https://a.example.com, ftp://b" })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_ORIGINS /,
    );
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_API_URL: "http://wallet.example.com/v1" })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_API_URL /,
    );
    expect(() => loadConfig({ ...env, GOOGLE_WALLET_LOGO_URL: "http://cdn.example.com/logo.png" })).toThrow(
      /^Invalid configuration: GOOGLE_WALLET_LOGO_URL /,
    );
    expect(loadConfig(env).GOOGLE_WALLET_API_URL).toBe("https://walletobjects.googleapis.com/walletobjects/v1");
  });

  it("is not ready without an issuer id or a key, and says which is missing", async () => {
    const bare = loadConfig({ NODE_ENV: "test", DATA_DIR: config.dataDir, APP_SECRET: "w".repeat(32) });
    const effective = await effectiveWalletConfig(db, bare);
    expect(isWalletReady(effective)).toBe(false);
    expect(effective.missing).toEqual(["issuerId", "serviceAccountKey"]);
  });

  it("refuses key files that are not RSA service-account keys", () => {
    expect(parseServiceAccountKey("{not json")).toEqual({ problem: "notJson" });
    const good = JSON.parse(key.json);
    expect(parseServiceAccountKey(JSON.stringify({ ...good, private_key: "nope" }))).toEqual({
      problem: "unreadablePrivateKey",
    });
    expect(parseServiceAccountKey(JSON.stringify({ ...good, token_uri: "http://evil.example.com/token" }))).toEqual({
      problem: "badTokenUri",
    });
    expect("key" in parseServiceAccountKey(key.json)).toBe(true);
  });

  it("seals a saved key, overrides the environment value by value and never shows the private key", async () => {
    const other = fake.newKeyFile({ clientEmail: "saved@rewardflow-test.iam.gserviceaccount.com" });
    await saveWalletSettings(db, adminActor(), config, {
      issuerId: "3388000000099999999",
      serviceAccountKey: other.json,
      clearKey: false,
      origins: null,
      logoUrl: null,
    });
    const rows = await db.select().from(adminSettings).where(eq(adminSettings.category, "wallet"));
    const sealed = rows.find((row) => row.key === "serviceAccountKey");
    expect(sealed?.encrypted).toBe(true);
    expect(sealed?.value).not.toContain("PRIVATE KEY");
    expect(sealed?.value).not.toContain("saved@");
    const effective = await effectiveWalletConfig(db, config);
    expect(effective.issuerId).toBe("3388000000099999999");
    expect(effective.sources).toEqual({
      issuerId: "database",
      serviceAccountKey: "database",
      origins: "environment",
      logoUrl: "environment",
    });
    expect(effective.key?.clientEmail).toBe(other.clientEmail);
    const view = JSON.stringify(await walletSettingsView(db, config));
    expect(view).toContain(other.clientEmail);
    expect(view).not.toContain("PRIVATE KEY");
    expect(view).not.toContain(JSON.parse(other.json).private_key.slice(40, 80));
    await saveWalletSettings(db, adminActor(), config, {
      issuerId: null,
      serviceAccountKey: null,
      clearKey: true,
      origins: null,
      logoUrl: null,
    });
    expect((await effectiveWalletConfig(db, config)).key?.clientEmail).toBe(key.clientEmail);
    expect(await db.select().from(adminSettings).where(eq(adminSettings.category, "wallet"))).toEqual([]);
  });
});

function adminActor(): Actor {
  return {
    userId: admin.id,
    email: admin.email,
    name: admin.name,
    role: "platform_admin",
    merchantId: null,
    storeId: null,
    preferredLanguage: "en",
  };
}

describe("passes", () => {
  it("names classes and objects <issuerId>.<suffix> with allowed characters only", async () => {
    const enrolled = await enroll(hub);
    const records = await loadPassRecords(db, enrolled.cardId);
    if (!records) throw new Error("records");
    const classId = loyaltyClassId(issuerId, records.program.id);
    const objectId = loyaltyObjectId(issuerId, enrolled.cardId);
    for (const id of [classId, objectId]) expect(id).toMatch(/^3388000000012345678\.[A-Za-z0-9._-]+$/);
    expect(loyaltyObjectId(issuerId, enrolled.cardId)).toBe(objectId);
    expect(() => loyaltyObjectId("issuer", enrolled.cardId)).toThrow();
    expect(() => loyaltyObjectId(issuerId, "card/1")).toThrow();
  });

  it("describes the program as a class: name, logo, issuer, colour, four languages, stores", async () => {
    const enrolled = await enroll(hub);
    const records = await loadPassRecords(db, enrolled.cardId);
    if (!records) throw new Error("records");
    const loyaltyClass = loyaltyClassPayload(records, wallet);
    expect(loyaltyClass).toMatchObject({
      id: loyaltyClassId(issuerId, records.program.id),
      issuerName: records.merchant.name,
      hexBackgroundColor: records.program.brandColor,
      programLogo: { sourceUri: { uri: records.program.logoUrl ?? "https://cdn.example.com/rewardflow-logo.png" } },
      reviewStatus: "UNDER_REVIEW",
    });
    const languages = [
      loyaltyClass.localizedProgramName.defaultValue.language,
      ...loyaltyClass.localizedProgramName.translatedValues.map((value) => value.language),
    ];
    expect(languages.sort()).toEqual(["de", "en", "fr", "lb"]);
    expect(loyaltyClass.textModulesData[0]?.body).toContain("FashionHub");
    expect(loyaltyClass.textModulesData[0]?.localizedHeader.translatedValues).toContainEqual({
      language: "de",
      value: "Unsere Geschäfte",
    });
  });

  it("describes the card as an object whose QR code the counter accepts, with points or stamps as 7/10", async () => {
    const enrolled = await enroll(hub, { firstName: "Jean", lastName: "Weber" });
    const records = await loadPassRecords(db, enrolled.cardId);
    if (!records) throw new Error("records");
    const object = loyaltyObjectPayload(records, wallet, config.platformOrigin);
    expect(object).toMatchObject({
      classId: loyaltyClassId(issuerId, records.program.id),
      state: "ACTIVE",
      accountName: "Jean Weber",
      barcode: { type: "QR_CODE", value: records.card.cardNumber },
      loyaltyPoints: { label: "Points", balance: { int: records.card.pointsBalance } },
    });
    const scanned = await findCounterCard(db, hub, object.barcode.value);
    expect(scanned.id).toBe(enrolled.cardId);

    const stamps = await enroll(wiza);
    const stampsDelta = 7 - (await card(stamps.cardId)).stampsBalance;
    await db.transaction((tx) =>
      appendLedgerEntry(tx, { cardId: stamps.cardId, storeId: wiza.id, type: "stamp", stampsDelta }),
    );
    const stampRecords = await loadPassRecords(db, stamps.cardId);
    if (!stampRecords) throw new Error("records");
    const [program] = await db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.id, stampRecords.program.id));
    const stampObject = loyaltyObjectPayload(stampRecords, wallet, config.platformOrigin);
    expect(stampObject.loyaltyPoints.balance).toEqual({ string: `7/${program?.stampsPerCard}` });
    await db.update(loyaltyCards).set({ status: "blocked" }).where(eq(loyaltyCards.id, stamps.cardId));
    const blocked = await loadPassRecords(db, stamps.cardId);
    if (!blocked) throw new Error("records");
    expect(loyaltyObjectPayload(blocked, wallet, config.platformOrigin).state).toBe("INACTIVE");
  });
});

describe("save links", () => {
  it("sign a savetowallet JWT with the service-account key: iss, aud, typ, origins and the object", async () => {
    const enrolled = await enroll(hub);
    const link = await walletSaveUrl(db, wallet, config.platformOrigin, enrolled.cardId);
    if (!link) throw new Error("no link");
    expect(link.url.startsWith(saveUrlPrefix)).toBe(true);
    const jwt = link.url.slice(saveUrlPrefix.length);
    const { payload, protectedHeader } = await jwtVerify(jwt, key.publicKey, {
      issuer: key.clientEmail,
      audience: "google",
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.typ).toBe("savetowallet");
    expect(payload.origins).toEqual(["https://fashionhub.example.com", "https://wizatech.example.com"]);
    const objectId = loyaltyObjectId(issuerId, enrolled.cardId);
    const objects = (payload.payload as { loyaltyObjects: { id: string }[] }).loyaltyObjects;
    expect(objects.map((object) => object.id)).toEqual([objectId]);
    expect(jwt.length).toBeLessThanOrEqual(maxSaveJwtLength);
    expect(Object.hasOwn(objects[0] ?? {}, "barcode")).toBe(link.form === "full");
    expect((await card(enrolled.cardId)).googleWalletObjectId).toBe(objectId);
    // The class exists before any object of it can be saved.
    const records = await loadPassRecords(db, enrolled.cardId);
    expect(fake.classes.has(loyaltyClassId(issuerId, records?.program.id ?? ""))).toBe(true);
    // A JWT signed by another key does not verify.
    await expect(jwtVerify(jwt, fake.newKeyFile().publicKey)).rejects.toThrow();
  });

  it("switch to the skinny form (object id only, object created first) past 1,800 characters", async () => {
    const short = await enroll(hub, { firstName: "Al", lastName: "Bo" });
    const long = await enroll(hub, { firstName: "Maximilienne-Anne-Charlotte".repeat(8), lastName: "W".repeat(200) });
    const shortLink = await walletSaveUrl(db, wallet, config.platformOrigin, short.cardId);
    const longLink = await walletSaveUrl(db, wallet, config.platformOrigin, long.cardId);
    if (!shortLink || !longLink) throw new Error("no link");
    expect(shortLink.form).toBe("full");
    expect(shortLink.url.length - saveUrlPrefix.length).toBeLessThanOrEqual(maxSaveJwtLength);
    const shortObjects = (decodeJwt(shortLink.url.slice(saveUrlPrefix.length)).payload as { loyaltyObjects: object[] })
      .loyaltyObjects;
    expect(shortObjects[0]).toHaveProperty("barcode");
    expect(fake.objects.has(loyaltyObjectId(issuerId, short.cardId))).toBe(false);

    expect(longLink.form).toBe("skinny");
    const jwt = longLink.url.slice(saveUrlPrefix.length);
    expect(jwt.length).toBeLessThanOrEqual(maxSaveJwtLength);
    expect(decodeProtectedHeader(jwt).alg).toBe("RS256");
    const { payload } = await jwtVerify(jwt, key.publicKey, { audience: "google" });
    expect(payload.payload).toEqual({ loyaltyObjects: [{ id: loyaltyObjectId(issuerId, long.cardId) }] });
    expect(fake.objects.get(loyaltyObjectId(issuerId, long.cardId))).toMatchObject({
      accountName: expect.stringContaining("Maximilienne"),
    });
  });

  it("create or update idempotently: a second link inserts nothing twice and patches what exists", async () => {
    const long = await enroll(hub, { firstName: "Z".repeat(300) });
    await walletSaveUrl(db, wallet, config.platformOrigin, long.cardId);
    await walletSaveUrl(db, wallet, config.platformOrigin, long.cardId);
    const calls = fake.requests.map((request) => `${request.method} ${request.path.split("/")[0]}`);
    expect(calls).toEqual([
      "POST loyaltyClass",
      "POST loyaltyObject",
      "POST loyaltyClass",
      "PATCH loyaltyClass",
      "POST loyaltyObject",
      "PATCH loyaltyObject",
    ]);
    expect(fake.classes.size).toBe(1);
    expect(fake.objects.size).toBe(1);
  });
});

describe("live balance", () => {
  async function walletCard() {
    const enrolled = await enroll(hub);
    await walletSaveUrl(db, wallet, config.platformOrigin, enrolled.cardId);
    return enrolled;
  }

  it("queues one sync job per card in the ledger's transaction, coalescing bursts, only for cards with a pass", async () => {
    const without = await enroll(hub);
    await db.transaction((tx) =>
      appendLedgerEntry(tx, { cardId: without.cardId, storeId: hub.id, type: "earn", pointsDelta: 5 }),
    );
    expect(await syncJobs(without.cardId)).toHaveLength(0);

    const enrolled = await walletCard();
    for (const points of [5, 7, 9]) {
      await db.transaction((tx) =>
        appendLedgerEntry(tx, { cardId: enrolled.cardId, storeId: hub.id, type: "earn", pointsDelta: points }),
      );
    }
    const jobs = await syncJobs(enrolled.cardId);
    expect(jobs).toEqual([{ key: `wallet_sync_card:${enrolled.cardId}`, attempts: 0 }]);

    // Rolled back: no job either.
    const other = await walletCard();
    await db
      .transaction(async (tx) => {
        await appendLedgerEntry(tx, { cardId: other.cardId, storeId: hub.id, type: "earn", pointsDelta: 5 });
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await syncJobs(other.cardId)).toHaveLength(0);
  });

  it("patches the object with the new balance and records the sync on the card", async () => {
    const enrolled = await walletCard();
    await db.transaction((tx) =>
      appendLedgerEntry(tx, { cardId: enrolled.cardId, storeId: hub.id, type: "earn", pointsDelta: 40 }),
    );
    const outcome = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 10 });
    expect(outcome.status).toBe("synced");
    const balance = (await card(enrolled.cardId)).pointsBalance;
    expect(fake.objects.get(loyaltyObjectId(issuerId, enrolled.cardId))).toMatchObject({
      loyaltyPoints: { balance: { int: balance } },
    });
    expect(await card(enrolled.cardId)).toMatchObject({
      googleWalletSyncStatus: "synced",
      googleWalletSyncError: null,
    });
    expect((await card(enrolled.cardId)).googleWalletSyncedAt).toBeInstanceOf(Date);
  });

  it("retries transient failures (5xx, 429, token endpoint down), then records the failure on the last attempt", async () => {
    const enrolled = await walletCard();
    fake.failNext("api", 503);
    let outcome = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 3 });
    expect(outcome.status).toBe("retrying");
    expect(await card(enrolled.cardId)).toMatchObject({
      googleWalletSyncStatus: "retrying",
      googleWalletSyncError: expect.stringContaining("503"),
    });
    fake.failNext("api", 429);
    outcome = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 2, maxAttempts: 3 });
    expect(outcome.status).toBe("retrying");
    fake.failNext("api", 500);
    outcome = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 3, maxAttempts: 3 });
    expect(outcome.status).toBe("failed");
    expect((await card(enrolled.cardId)).googleWalletSyncStatus).toBe("failed");
    // The API is back: the next change brings the pass up to date.
    outcome = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 3 });
    expect(outcome.status).toBe("synced");
  });

  it("gives up at once on a permanent refusal and gets a new token when one is refused", async () => {
    const enrolled = await walletCard();
    fake.failNext("api", 403);
    const refused = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 10 });
    expect(refused.status).toBe("failed");
    expect((await card(enrolled.cardId)).googleWalletSyncError).toContain("403");
    const before = fake.tokensIssued;
    fake.failNext("api", 401);
    const renewed = await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 10 });
    expect(renewed.status).toBe("synced");
    expect(fake.tokensIssued).toBe(before + 1);
  });

  it("takes tokens from the key file's token_uri with a signed assertion, and caches them", async () => {
    const fresh = fake.newKeyFile();
    const parsed = parseServiceAccountKey(fresh.json);
    if (!("key" in parsed)) throw new Error("key");
    const before = fake.tokensIssued;
    const token = await walletAccessToken(parsed.key);
    expect(await walletAccessToken(parsed.key)).toBe(token);
    expect(fake.tokensIssued).toBe(before + 1);
    fake.failNext("token", 500);
    await expect(walletAccessToken(parsed.key, { fresh: true })).rejects.toMatchObject({ step: "token", status: 500 });
    // A key the token endpoint does not know is refused there.
    const stranger = JSON.parse(fresh.json);
    stranger.client_email = "stranger@rewardflow-test.iam.gserviceaccount.com";
    const strangerKey = parseServiceAccountKey(JSON.stringify(stranger));
    if (!("key" in strangerKey)) throw new Error("key");
    await expect(walletAccessToken(strangerKey.key)).rejects.toMatchObject({ step: "token", status: 400 });
  });

  it("skips cards without a pass", async () => {
    const enrolled = await enroll(hub);
    expect(await syncWalletPass({ db, config }, enrolled.cardId, { attempt: 1, maxAttempts: 3 })).toEqual({
      status: "skipped",
    });
    expect(fake.requests).toEqual([]);
  });
});

describe("emails", () => {
  it("carry the Add to Google Wallet link in the card's emails only when Wallet is configured", async () => {
    const enrolled = await enroll(hub);
    const [log] = await db
      .select()
      .from(emailLogs)
      .where(and(eq(emailLogs.cardId, enrolled.cardId), eq(emailLogs.templateKey, "loyalty_enrollment_with_bonus")));
    if (!log) throw new Error("no enrollment email");
    const context = {
      platformOrigin: config.platformOrigin,
      appSecret: config.APP_SECRET,
      emailConfig: await effectiveEmailConfig(db, config),
    };
    const link = `/loyalty/card/${enrolled.publicToken}/google-wallet?lang=fr`;
    const withWallet = await renderEmail(db, log, { ...context, walletLinks: true });
    expect(withWallet.html).toContain(link);
    expect(withWallet.html).toContain("Ajouter à Google Wallet");
    const without = await renderEmail(db, log, { ...context, walletLinks: false });
    expect(without.html).not.toContain("/google-wallet");
  });
});
