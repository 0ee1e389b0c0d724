import { randomUUID } from "node:crypto";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import type { ServerBuild } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { locales } from "~/i18n/locales";
import { users } from "~/modules/auth/schema";
import { createUser } from "~/modules/auth/users.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { enrollTestShopper } from "~/modules/privacy/test-shoppers";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import { createCounterStaff } from "~/modules/terminal/counter-staff.server";
import { createPairingCode, pairDevice, revokeDevice } from "~/modules/terminal/devices.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { createTestDatabase } from "~/test/database";
import { startTestServer, type TestServer } from "~/test/http";
import { errorResponse, operations, terminalApiPrefix } from "./terminal-api/contract";

/**
 * Posts random and hostile bodies to every form action of the route table, as the user each
 * surface expects, and checks: never a 5xx, a refusal writes nothing, every page is localized.
 * Then the same for every terminal API endpoint: random and hostile JSON, paths and tokens, always
 * a documented answer (`{error: {code, message}}` for a refusal), never a half-written ledger.
 * Seeded: a failure prints the seed and path that reproduce it (FUZZ_SEED=… to replay, FUZZ_RUNS=…).
 */

const { db } = await createTestDatabase();
let server: TestServer;
const password = "correct horse battery";
const origin = { origin: "http://localhost:3000" };
const params: Record<string, string> = {};
let targets: { path: string; host: string; who: "admin" | "owner" | "none" }[] = [];
const cookies: Record<string, string> = {};

const fieldNames = [
  "email",
  "password",
  "name",
  "firstName",
  "lastName",
  "phone",
  "birthday.day",
  "birthday.month",
  "birthday.year",
  "terms",
  "marketing",
  "intent",
  "slug",
  "code",
  "subdomain",
  "defaultLanguage",
  "enabledLanguages",
  "privacyUrl",
  "websiteUrl",
  "contactEmail",
  "timezone",
  "storeId",
  "enabled",
  "name.en",
  "name.fr",
  "kind",
  "role",
  "merchantId",
  "lang",
  "returnTo",
  "redirectTo",
  "token",
  "subject",
  "body",
  "host",
  "port",
  "security",
  "to",
  "amount",
  "reason",
  "List-Unsubscribe",
  "displayName",
  "pin",
  "pinConfirm",
];

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom("\u0000", "\u0007", "\r", "\n", "\u202e", "\ud800", "%", "<", "'", "\\"),
    maxLength: 50,
  }),
  fc.constantFrom("", " ", "on", "erase", "-1", "1e309", "99999999999999999999", "NaN", "../../etc/passwd", "%E0%A4%A"),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);

const formBody = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 20 })), hostile), { maxLength: 12 })
  .map((pairs) => ({ type: "form" as const, body: new URLSearchParams(pairs).toString() }));

const rawBody = fc.oneof(
  fc.record({ type: fc.constant("raw" as const), contentType: fc.constant("application/json"), body: fc.json() }),
  fc.record({
    type: fc.constant("raw" as const),
    contentType: fc.constant("application/x-www-form-urlencoded"),
    body: fc.constantFrom("a=%", "%%%", "email=%E0%A4%A", "x=1&x=2&x=3", "=&=&", "a=%00b", "terms=on&terms=off"),
  }),
  fc.record({
    type: fc.constant("raw" as const),
    contentType: fc.constantFrom(
      "multipart/form-data; boundary=x",
      "multipart/form-data",
      "text/plain",
      "application/xml",
    ),
    body: fc.string({ maxLength: 300 }),
  }),
);

const tracked = [
  "customers",
  "loyalty_cards",
  "loyalty_transactions",
  "email_logs",
  "merchants",
  "stores",
  "loyalty_programs",
  "users",
  "email_templates",
  "counter_staff",
  "terminal_devices",
];

async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await db.execute<Record<string, number>>(
    sql.raw(`select ${tracked.map((table) => `(select count(*)::int from ${table}) as ${table}`).join(", ")}`),
  );
  return row ?? {};
}

beforeAll(async () => {
  await seedDemoData(db);
  const shopper = await enrollTestShopper(db, "FASHIONHUB", "fuzz.shopper@example.com");
  const [program] = await db.select().from(loyaltyPrograms);
  const admin = await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  await createUser(db, {
    email: "owner@fashion.example",
    name: "Owner",
    password,
    role: "merchant_owner",
    merchantId: shopper.store.merchantId,
  });
  Object.assign(params, {
    cardId: shopper.cardId,
    storeId: shopper.store.id,
    merchantId: shopper.store.merchantId,
    programId: program?.id ?? "",
    userId: admin.id,
    key: "loyalty_enrollment",
    locale: "fr",
    emailLogId: "00000000-0000-4000-8000-000000000000",
    token: shopper.status === "enrolled" ? shopper.publicToken : "x",
    format: "json",
    ...(await counterRecords(shopper.store)),
  });
  const build = (await import(path.resolve(import.meta.dirname, "../../build/server/index.js"))) as ServerBuild;
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    if (!route) return "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}`.replace(/\/+/g, "/") : parent;
  };
  targets = Object.keys(build.routes)
    .filter((id) => build.routes[id]?.module.action)
    .map((id) => (fullPath(id) || "/").replace(/:(\w+)/g, (_, name: string) => params[name] ?? "missing"))
    .map((pathname) => ({
      path: pathname,
      host: pathname.startsWith("/loyalty") ? "fashionhub.localhost" : "localhost",
      // Signing out would end the session the other cases use.
      who: pathname.startsWith("/admin") ? "admin" : pathname.startsWith("/merchant") ? "owner" : "none",
    }));
  server = await startTestServer(db, {
    LOGIN_RATE_LIMIT: "100000",
    ENROLL_RATE_LIMIT: "100000",
    TERMINAL_RATE_LIMIT: "100000",
  });
  for (const [who, email] of [
    ["admin", "admin@test.example"],
    ["owner", "owner@fashion.example"],
  ] as const) {
    const response = await server.request("localhost", "/login", { form: { email, password }, headers: origin });
    cookies[who] = String(response.headers["set-cookie"]).split(";")[0] ?? "";
  }
});

/** A counter staff member and a paired device of the store, for the portal's counter pages. */
async function counterRecords(store: { id: string; merchantId: string }) {
  const [member] = await db
    .insert(counterStaff)
    .values({ merchantId: store.merchantId, storeId: store.id, displayName: "Fuzz" })
    .returning();
  const [device] = await db
    .insert(terminalDevices)
    .values({ merchantId: store.merchantId, storeId: store.id, name: "Fuzz till", pairedAt: new Date() })
    .returning();
  return { staffId: member?.id ?? "", deviceId: device?.id ?? "" };
}

describe("every form action under random and hostile input", () => {
  it("never answers 5xx, writes nothing when it refuses, and answers in the page's language", async () => {
    expect(targets.length).toBeGreaterThan(10);
    const seed = Number(process.env.FUZZ_SEED ?? 20261201);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: targets.length - 1 }),
        fc.oneof({ arbitrary: formBody, weight: 4 }, { arbitrary: rawBody, weight: 1 }),
        fc.constantFrom(...locales),
        async (index, input, lang) => {
          const target = targets[index];
          if (!target) return;
          const before = await rowCounts();
          const headers: Record<string, string> = { ...origin };
          if (target.who !== "none") headers.cookie = cookies[target.who] ?? "";
          if (input.type === "raw") headers["content-type"] = input.contentType;
          const response = await server.request(target.host, `${target.path}?lang=${lang}`, {
            method: "POST",
            headers,
            body: input.body,
            ...(input.type === "raw"
              ? {}
              : { headers: { ...headers, "content-type": "application/x-www-form-urlencoded" } }),
          });
          const where = `${response.status} ${target.path} (seed ${seed})`;
          expect(response.status, where).toBeLessThan(500);
          if (response.status >= 400) expect(await rowCounts(), where).toEqual(before);
          if (String(response.headers["content-type"]).startsWith("text/html")) {
            const main = /<main[\s\S]*<\/main>/.exec(response.body)?.[0] ?? response.body;
            // A raw i18n key (tenancy.errors.required, errors.badRequest.title) never reaches a page.
            expect(main, where).not.toMatch(/\b[a-z]+\.errors\.[a-z]\w*|\berrors\.[a-z]\w*\.(?:title|body)\b/i);
            // "{{" is not checked: a refused form echoes the fuzzed value back, and it may hold one.
            // Pages, previews and their error documents alike.
            const lang = /<html[^>]* lang="([^"]+)"/.exec(response.body)?.[1] ?? `none: ${response.body.slice(0, 200)}`;
            expect(lang, where).toMatch(/^(en|fr|de|lb)$/);
          }
        },
      ),
      { seed, numRuns: Number(process.env.FUZZ_RUNS ?? 400), endOnFailure: true },
    );
  }, 180_000);
});

describe("every terminal API endpoint under random and hostile input", () => {
  const api = { token: "", revokedToken: "", staffId: "", cardNumber: "", rewardId: "" };

  beforeAll(async () => {
    const [store] = await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"));
    if (!store) throw new Error("FASHIONHUB");
    const owner: Actor = {
      userId: randomUUID(),
      email: "owner@fashion.example",
      name: "Owner",
      role: "merchant_owner",
      merchantId: store.merchantId,
      storeId: null,
      preferredLanguage: "en",
    };
    const [ownerRow] = await db.select().from(users).where(eq(users.email, owner.email));
    owner.userId = ownerRow?.id ?? owner.userId;
    api.staffId = (await createCounterStaff(db, owner, { storeId: store.id, displayName: "Fuzz", pin: "1234" })).id;
    const pair = async (name: string) =>
      pairDevice(db, { code: (await createPairingCode(db, owner, store.id)).code, name });
    api.token = (await pair("Fuzz till")).deviceToken;
    const revoked = await pair("Lost till");
    await revokeDevice(db, owner, revoked.device.id);
    api.revokedToken = revoked.deviceToken;
    const [card] = await db
      .select()
      .from(loyaltyCards)
      .where(eq(loyaltyCards.id, params.cardId as string));
    api.cardNumber = card?.cardNumber ?? "";
    const [reward] = await db
      .select()
      .from(loyaltyRewards)
      .where(eq(loyaltyRewards.programId, card?.programId ?? ""));
    api.rewardId = reward?.id ?? "";
  });

  it("answers a documented 2xx or a 4xx {error: {code, message}}, never a 5xx, and never half-writes", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261201);
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    const transaction = fc.oneof(
      fc.record({
        type: fc.constant("earn"),
        card: fc.constantFrom(api.cardNumber, `/loyalty/card/${params.token}`, "0000 0000 0000 0000"),
        amountCents: fc.integer({ min: -5, max: 10_000_005 }),
      }),
      fc.record({ type: fc.constant("stamp"), card: fc.constant(api.cardNumber) }),
      fc.record({
        type: fc.constant("redeem"),
        card: fc.constant(api.cardNumber),
        rewardId: fc.oneof(fc.constant(api.rewardId), fc.uuid()),
      }),
      fc.record({
        type: fc.constant("enroll"),
        firstName: fc.string({ maxLength: 40 }),
        lastName: fc.string({ maxLength: 40 }),
        email: fc.oneof(fc.emailAddress(), fc.string()),
        locale: fc.constantFrom(...locales, "xx"),
      }),
    );
    const validItem = fc
      .tuple(transaction, fc.oneof(fc.uuid(), fc.constant("same-key")), fc.date({ noInvalidDate: true }))
      .map(([fields, idempotencyKey, clientTime]) => ({
        idempotencyKey,
        staffId: api.staffId,
        clientTime: clientTime.toISOString(),
        ...fields,
      }));
    // Wrong types, missing and unknown fields: one change to an item that would otherwise be valid.
    const item = fc.oneof(
      { arbitrary: validItem, weight: 3 },
      fc
        .tuple(
          validItem,
          fc.constantFrom("idempotencyKey", "staffId", "clientTime", "type", "card", "amountCents", "extra"),
          fc.jsonValue(),
        )
        .map(([valid, field, value]) => ({ ...valid, [field]: value })),
      fc.tuple(validItem, fc.constantFrom("idempotencyKey", "staffId", "clientTime", "type")).map(([valid, field]) => {
        const { [field as keyof typeof valid]: _dropped, ...rest } = valid;
        return rest;
      }),
      fc.jsonValue(),
    );
    const json = fc.oneof(
      { arbitrary: item, weight: 3 },
      { arbitrary: fc.record({ transactions: fc.array(item, { maxLength: 12 }) }), weight: 3 },
      fc.record({ pin: fc.oneof(fc.constantFrom("1234", "0000", "12345"), printable, fc.jsonValue()) }),
      fc.record({ count: fc.oneof(fc.integer({ min: -3, max: 30 }), fc.jsonValue()), lastAttemptAt: fc.jsonValue() }),
      fc.record({ code: printable, name: fc.string() }),
      fc.record({ transactions: fc.jsonValue() }, { requiredKeys: [] }),
      fc.jsonValue(),
    );
    const body = fc.oneof(
      { arbitrary: json.map((value) => JSON.stringify(value) ?? "null"), weight: 8 },
      // Malformed: a valid document cut short, or with a stray character.
      fc
        .tuple(
          json.map((value) => JSON.stringify(value) ?? ""),
          fc.nat(),
          fc.constantFrom("", "}", ",", "'", "\\u"),
        )
        .map(([text, cut, extra]) => text.slice(0, text.length > 1 ? cut % text.length : 0) + extra),
      fc.constantFrom("", "{", "[1,", '{"transactions":[', "\u0000", "nul", "{}"),
      // Past the 1 MB limit.
      fc.constant(`{"transactions":["${"x".repeat(1_100_000)}"]}`),
    );
    const pathParam = fc.oneof(
      fc.constant(api.staffId),
      fc.constant(api.cardNumber),
      fc.uuid(),
      fc.string({ maxLength: 80 }).map(encodeURIComponent),
      fc.constantFrom("..", ".", "%", "%00", "%E0%A4%A", "%2F", "a%2F..%2Fb", "%20", "x".repeat(2_000)),
    );
    const authorization = fc.oneof(
      { arbitrary: fc.constant(() => `Bearer ${api.token}`), weight: 6 },
      fc.constant(() => `Bearer ${api.revokedToken}`),
      fc.constant(() => ""),
      printable.map((text) => () => `Bearer ${text}`),
      printable.map((text) => () => text),
      fc.constant(() => `Basic ${Buffer.from("admin:admin").toString("base64")}`),
    );
    const request = fc.record({
      operation: fc.integer({ min: 0, max: operations.length - 1 }),
      wrongMethod: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      param: pathParam,
      unknownPath: fc.oneof(
        { arbitrary: fc.constant(null), weight: 9 },
        fc.string({ maxLength: 30 }).map(encodeURIComponent),
      ),
      authorization,
      contentType: fc.oneof(
        { arbitrary: fc.constant("application/json"), weight: 8 },
        fc.constantFrom("text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", ""),
      ),
      body,
      lang: fc.constantFrom(...locales, "xx"),
    });
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const operation = operations[input.operation] as (typeof operations)[number];
        const path =
          input.unknownPath !== null
            ? `${terminalApiPrefix}/${input.unknownPath}`
            : `${terminalApiPrefix}${operation.path.replace(/\{\w+\}/g, input.param)}`;
        const method = input.wrongMethod
          ? operation.method === "get"
            ? "POST"
            : "GET"
          : operation.method.toUpperCase();
        const headers: Record<string, string> = { "accept-language": input.lang };
        const auth = input.authorization();
        if (auth) headers.authorization = auth;
        const sendsBody = method === "POST";
        if (sendsBody && input.contentType) headers["content-type"] = input.contentType;
        const before = await rowCounts();
        const response = await server.request("localhost", path, {
          method,
          headers,
          ...(sendsBody ? { body: input.body } : {}),
        });
        const where = `${method} ${path.slice(0, 120)} → ${response.status} ${response.body.slice(0, 300)} (seed ${seed})`;
        ran++;
        expect(response.status, where).toBeLessThan(500);
        expect(String(response.headers["content-type"]), where).toMatch(/^application\/json/);
        const answer = JSON.parse(response.body);
        if (response.status >= 400) {
          const checked = errorResponse.safeParse(answer);
          expect(checked.success ? [] : checked.error.issues, where).toEqual([]);
          expect(answer.error.message, where).not.toMatch(/^$|errors\.\w+\.body/);
          expect(await rowCounts(), where).toEqual(before);
        }
        // Answered by the operation itself (not "no such endpoint"): a status and body its documentation lists.
        const routed = input.unknownPath === null && !input.wrongMethod && answer?.error?.code !== "endpoint_not_found";
        if (!routed) return;
        const schema = operation.responses[response.status];
        expect(schema, `${where}: status documented`).toBeDefined();
        const checked = schema?.safeParse(answer);
        expect(checked?.success ? [] : checked?.error.issues, where).toEqual([]);
        if (response.status < 300 && operation.path.startsWith("/transactions")) {
          const results: { status: string; result?: { enrollment?: string } }[] =
            operation.path === "/transactions"
              ? [{ status: answer.replayed ? "duplicate" : "applied", result: answer }]
              : answer.results;
          // Each applied item wrote its row (an enrollment also its welcome bonus), nothing else did.
          const rows = results
            .filter((entry) => entry.status === "applied")
            .reduce((sum, entry) => sum + (entry.result?.enrollment === "enrolled" ? 2 : 1), 0);
          expect(((await rowCounts()).loyalty_transactions ?? 0) - (before.loyalty_transactions ?? 0), where).toBe(
            rows,
          );
        }
      }),
      { seed, numRuns: Number(process.env.FUZZ_RUNS ?? 400), endOnFailure: true },
    );
    expect(ran).toBeGreaterThan(0);
    const mismatched = await db.execute(sql`
      select c.id from loyalty_cards c left join loyalty_transactions t on t.card_id = c.id group by c.id
      having c.points_balance <> coalesce(sum(t.points_delta), 0) or c.stamps_balance <> coalesce(sum(t.stamps_delta), 0)`);
    expect(mismatched).toHaveLength(0);
  }, 300_000);
});
