import path from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { ServerBuild } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "~/db/seed.server";
import { locales } from "~/i18n/locales";
import { createUser } from "~/modules/auth/users.server";
import { loyaltyPrograms } from "~/modules/loyalty/schema";
import { enrollTestShopper } from "~/modules/privacy/test-shoppers";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { createTestDatabase } from "~/test/database";
import { startTestServer, type TestServer } from "~/test/http";

/**
 * Posts random and hostile bodies to every form action of the route table, as the user each
 * surface expects, and checks: never a 5xx, a refusal writes nothing, every page is localized.
 * Seeded: a failure prints the seed and path that reproduce it (FUZZ_SEED=… to replay).
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
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "100000", ENROLL_RATE_LIMIT: "100000" });
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
          // The preview frame is an email document, not a page: checked for raw keys, not for <html lang>.
          const page = !target.path.endsWith("/preview");
          if (String(response.headers["content-type"]).startsWith("text/html")) {
            const main = /<main[\s\S]*<\/main>/.exec(response.body)?.[0] ?? response.body;
            // A raw i18n key (tenancy.errors.required, errors.badRequest.title) never reaches a page.
            expect(main, where).not.toMatch(/\b[a-z]+\.errors\.[a-z]\w*|\berrors\.[a-z]\w*\.(?:title|body)\b/i);
            // "{{" is not checked: a refused form echoes the fuzzed value back, and it may hold one.
            if (page) {
              const lang =
                /<html[^>]* lang="([^"]+)"/.exec(response.body)?.[1] ?? `none: ${response.body.slice(0, 200)}`;
              expect(lang, where).toMatch(/^(en|fr|de|lb)$/);
            }
          }
        },
      ),
      { seed, numRuns: Number(process.env.FUZZ_RUNS ?? 400), endOnFailure: true },
    );
  }, 180_000);
});
