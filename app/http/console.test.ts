import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { auditLog } from "~/modules/audit/schema";
import { users } from "~/modules/auth/schema";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { openInExcel } from "~/test/excel-csv";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

const { db } = await createTestDatabase();
let server: TestServer;
const store: Record<string, Store> = {};
const card: Record<string, string> = {};
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };

beforeAll(async () => {
  await seedDemoData(db);
  for (const row of await db.select().from(stores)) store[row.code] = row;
  const s = (code: string) => store[code] as Store;
  await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  await createUser(db, {
    email: "owner@fashion.example",
    name: "Fashion Owner",
    password,
    role: "merchant_owner",
    merchantId: s("FASHIONHUB").merchantId,
    preferredLanguage: "fr",
  });
  await createUser(db, {
    email: "owner@wiza.example",
    name: "Wiza Owner",
    password,
    role: "merchant_owner",
    merchantId: s("WIZATECH").merchantId,
  });
  await createUser(db, {
    email: "manager@outlet.example",
    name: "Outlet Manager",
    password,
    role: "store_manager",
    merchantId: s("FASHIONOUTLET").merchantId,
    storeId: s("FASHIONOUTLET").id,
  });
  await createUser(db, {
    email: "staff@hub.example",
    name: "Hub Staff",
    password,
    role: "store_staff",
    merchantId: s("FASHIONHUB").merchantId,
    storeId: s("FASHIONHUB").id,
  });
  const enroll = async (code: string, email: string) => {
    const result = await enrollCustomer(db, s(code), {
      firstName: "Lena",
      lastName: "Hansen",
      email,
      phone: "+352621123456",
      birthDate: "1988-03-09",
      marketingConsent: true,
      locale: "de",
    });
    return result.cardId;
  };
  card.hub = await enroll("FASHIONHUB", "lena.hub@example.com");
  card.outlet = await enroll("FASHIONOUTLET", "lena.outlet@example.com");
  card.wiza = await enroll("WIZATECH", "lena.wiza@example.com");
  server = await startTestServer(db, { ENROLL_RATE_LIMIT: "1000", LOGIN_RATE_LIMIT: "1000" });
});

async function signIn(email: string): Promise<string> {
  const response = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
  expect(response.status).toBe(302);
  const cookie = String(response.headers["set-cookie"]);
  expect(cookie).toMatch(/^rf_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
  return cookie.split(";")[0] ?? "";
}

const get = (cookie: string, path: string) => server.request(platform, path, { headers: { cookie } });

describe("signing in", () => {
  it("sends a signed-out visitor to the sign-in page and back afterwards", async () => {
    const response = await server.request(platform, "/admin/cards?q=lena");
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/login?redirectTo=${encodeURIComponent("/admin/cards?q=lena")}`);
    const login = await server.request(platform, "/login", {
      form: { email: "admin@test.example", password, redirectTo: "/admin/cards?q=lena" },
      headers: sameOrigin,
    });
    expect(login.headers.location).toBe("/admin/cards?q=lena");
  });

  it("never redirects to another site after signing in", async () => {
    const login = await server.request(platform, "/login", {
      form: { email: "admin@test.example", password, redirectTo: "//evil.example/phish" },
      headers: sameOrigin,
    });
    expect(login.headers.location).toBe("/admin");
  });

  it("sends each role to its home: store staff to the counter terminal, never to a portal that refuses them", async () => {
    const landing = async (email: string) =>
      (await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin })).headers.location;
    expect(await landing("admin@test.example")).toBe("/admin");
    expect(await landing("owner@fashion.example")).toBe("/merchant");
    expect(await landing("manager@outlet.example")).toBe("/merchant");
    expect(await landing("staff@hub.example")).toBe("/terminal");
    const staff = await signIn("staff@hub.example");
    const terminal = await get(staff, "/terminal");
    expect(terminal.status).toBe(200);
    // Only the terminal's page may compile WebAssembly (its camera QR reader).
    expect(terminal.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
    expect((await get(staff, "/login")).headers["content-security-policy"]).not.toContain("wasm-unsafe-eval");
  });

  it("gives the same localized answer for a wrong password and an unknown account", async () => {
    const wrong = await server.request(platform, "/login?lang=de", {
      form: { email: "admin@test.example", password: "nope" },
      headers: sameOrigin,
    });
    const unknown = await server.request(platform, "/login?lang=de", {
      form: { email: "ghost@test.example", password: "nope" },
      headers: sameOrigin,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = inHtml(serverI18n("de").t("console:login.failed"));
    expect(wrong.body).toContain(message);
    expect(unknown.body).toContain(message);
  });

  it("rotates the session at sign-in and ends it at sign-out", async () => {
    const first = await signIn("admin@test.example");
    const again = await server.request(platform, "/login", {
      form: { email: "admin@test.example", password },
      headers: { ...sameOrigin, cookie: first },
    });
    const second = String(again.headers["set-cookie"]).split(";")[0] ?? "";
    expect(second).not.toBe(first);
    expect((await get(first, "/admin")).status).toBe(302);
    expect((await get(second, "/admin")).status).toBe(200);
    const out = await server.request(platform, "/logout", {
      method: "POST",
      headers: { ...sameOrigin, cookie: second },
    });
    expect(out.headers.location).toBe("/login?signedOut=1");
    expect(String(out.headers["set-cookie"])).toContain("Max-Age=0");
    expect((await get(second, "/admin")).status).toBe(302);
  });

  it("renders the console in the user's saved language and saves a new choice", async () => {
    const cookie = await signIn("owner@fashion.example");
    expect(/<html[^>]* lang="fr"/.test((await get(cookie, "/merchant/cards")).body)).toBe(true);
    // A ?lang= link shows that page only; the explicit choice (the console's language form) is saved.
    expect(/<html[^>]* lang="lb"/.test((await get(cookie, "/merchant/cards?lang=lb")).body)).toBe(true);
    expect(/<html[^>]* lang="fr"/.test((await get(cookie, "/merchant/cards")).body)).toBe(true);
    const chosen = await server.request(platform, "/account/language", {
      form: { lang: "lb", returnTo: "/merchant/cards" },
      headers: { ...sameOrigin, cookie },
    });
    expect(chosen.headers.location).toBe("/merchant/cards");
    expect(/<html[^>]* lang="lb"/.test((await get(cookie, "/merchant/cards")).body)).toBe(true);
    await server.request(platform, "/account/language", {
      form: { lang: "fr", returnTo: "/merchant/cards" },
      headers: { ...sameOrigin, cookie },
    });
  });

  it("serves no staff page on a storefront host", async () => {
    expect((await server.request("fashionhub.localhost", "/login")).status).toBe(404);
    expect((await server.request("fashionhub.localhost", "/admin")).status).toBe(404);
  });
});

it("rate-limits sign-in attempts per client address with a localized 429", async () => {
  const limited = await startTestServer(db, { LOGIN_RATE_LIMIT: "3", TRUST_PROXY: "loopback" });
  const headers = { ...sameOrigin, "x-forwarded-for": "203.0.113.50" };
  for (let i = 0; i < 3; i++) {
    const attempt = await limited.request(platform, "/login", {
      form: { email: "ghost@test.example", password: "x" },
      headers,
    });
    expect(attempt.status).toBe(401);
  }
  const refused = await limited.request(platform, "/login?lang=fr", {
    form: { email: "admin@test.example", password },
    headers,
  });
  expect(refused.status).toBe(429);
  expect(refused.body).toContain(inHtml(serverI18n("fr").t("console:login.rateLimited")));
  expect(String(refused.headers["set-cookie"] ?? "")).not.toContain("rf_session");
});

describe("tenant scope", () => {
  const adminPaths = [
    "/admin",
    "/admin/stores",
    "/admin/loyalty/programs",
    "/admin/loyalty/programs/new",
    "/admin/cards",
  ];

  it("keeps every admin page from merchant users (403) and store staff out of the portal", async () => {
    const owner = await signIn("owner@fashion.example");
    for (const path of adminPaths) {
      const response = await get(owner, path);
      expect(response.status, path).toBe(403);
      const lang = (htmlLang(response.body) ?? "en") as "fr";
      expect(response.body, path).toContain(inHtml(serverI18n(lang).t("common:errors.accessDenied.title")));
      expect(response.body).not.toContain("lena.");
    }
    const staff = await signIn("staff@hub.example");
    expect((await get(staff, "/merchant/cards")).status).toBe(403);
    const denied = await server.request(platform, "/admin/stores", {
      form: { storeId: store.WIZAMART?.id ?? "", enabled: "on" },
      headers: { ...sameOrigin, cookie: owner },
    });
    expect(denied.status).toBe(403);
  });

  it("shows a merchant owner only their merchant's cards", async () => {
    const fashion = await signIn("owner@fashion.example");
    const list = await get(fashion, "/merchant/cards");
    expect(list.body).toContain("lena.hub@example.com");
    expect(list.body).toContain("lena.outlet@example.com");
    expect(list.body).not.toContain("lena.wiza@example.com");
    const detail = await get(fashion, `/merchant/cards/${card.hub}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toContain("+352621123456");
    const other = await get(fashion, `/merchant/cards/${card.wiza}`);
    expect(other.status).toBe(404);
    expect(other.body).not.toContain("lena.wiza@example.com");
    const wiza = await signIn("owner@wiza.example");
    expect((await get(wiza, `/merchant/cards/${card.hub}`)).status).toBe(404);
    expect((await get(wiza, "/merchant/cards?q=lena")).body).not.toContain("lena.hub@example.com");
  });

  it("lists the merchant's stores and staff to its owner, and one store's to its manager", async () => {
    const owner = await signIn("owner@fashion.example");
    const all = await get(owner, "/merchant/stores");
    expect(all.status).toBe(200);
    for (const text of ["FashionHub", "FashionOutlet", "manager@outlet.example", "staff@hub.example"])
      expect(all.body).toContain(text);
    expect(all.body).not.toContain("owner@wiza.example");
    const manager = await signIn("manager@outlet.example");
    const one = await get(manager, "/merchant/stores");
    expect(one.body).toContain("FashionOutlet");
    expect(one.body).not.toContain("fashionhub.localhost");
    expect(one.body).not.toContain("staff@hub.example");
  });

  it("lets an owner invite a manager for one of their stores, like the admin's invitation, and no one else", async () => {
    const owner = await signIn("owner@fashion.example");
    const headers = { ...sameOrigin, cookie: owner };
    const fr = serverI18n("fr").t;
    const page = await get(owner, "/merchant/stores?lang=fr");
    expect(page.body).toContain(`<h2 id="invite-heading">${inHtml(fr("console:storeManagers.heading"))}</h2>`);
    const invite = (fields: Record<string, string>) =>
      server.request(platform, "/merchant/stores?lang=fr", {
        form: { email: "new.manager@fashion.example", name: "Nadia Kremer", preferredLanguage: "de", ...fields },
        headers,
      });
    // Another merchant's store is no choice the form offers: refused as any action on another tenant.
    const foreign = await invite({ storeId: store.WIZATECH?.id ?? "" });
    expect(foreign.status).toBe(403);
    expect(await db.select().from(users).where(eq(users.email, "new.manager@fashion.example"))).toHaveLength(0);
    const missing = await invite({ storeId: "" });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain(inHtml(fr("console:users.errors.storeRequired")));
    const sent = await invite({ storeId: store.FASHIONOUTLET?.id ?? "" });
    expect(sent.status).toBe(302);
    expect(sent.headers.location).toBe("/merchant/stores?invited=new.manager%40fashion.example#invite-heading");
    const [user] = await db.execute<{ id: string; role: string; store_id: string; merchant_id: string }>(
      sql`select id, role, store_id, merchant_id from users where email = 'new.manager@fashion.example'`,
    );
    expect(user).toMatchObject({
      role: "store_manager",
      store_id: store.FASHIONOUTLET?.id,
      merchant_id: store.FASHIONOUTLET?.merchantId,
    });
    const [email] = await db.execute<{ template_key: string; locale: string }>(
      sql`select template_key, locale from email_logs where user_id = ${user?.id ?? ""}`,
    );
    expect(email).toEqual({ template_key: "staff_invitation", locale: "de" });
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, user?.id ?? ""));
    expect(audit.map((entry) => entry.action)).toEqual(["user.invite"]);
    const again = await invite({ storeId: store.FASHIONOUTLET?.id ?? "" });
    expect(again.status).toBe(400);
    expect(again.body).toContain(inHtml(fr("console:users.errors.emailTaken")));
    // Managers see the stores page but cannot invite.
    const manager = await signIn("manager@outlet.example");
    expect((await get(manager, "/merchant/stores?lang=fr")).body).not.toContain('id="invite-heading"');
    const refused = await server.request(platform, "/merchant/stores", {
      form: { email: "x@fashion.example", name: "X", preferredLanguage: "fr", storeId: store.FASHIONOUTLET?.id ?? "" },
      headers: { ...sameOrigin, cookie: manager },
    });
    expect(refused.status).toBe(403);
  });

  it("shows a store manager only the cards of their store", async () => {
    const manager = await signIn("manager@outlet.example");
    expect((await get(manager, `/merchant/cards/${card.outlet}`)).status).toBe(200);
    const sister = await get(manager, `/merchant/cards/${card.hub}`);
    expect(sister.status).toBe(404);
    expect(sister.body).not.toContain("lena.hub@example.com");
    expect((await get(manager, "/merchant/cards")).body).not.toContain("lena.hub@example.com");
  });

  it("shows the admin every card with phone, birthday and enrollment store", async () => {
    const admin = await signIn("admin@test.example");
    const detail = await get(admin, `/admin/cards/${card.wiza}?lang=en`);
    expect(detail.status).toBe(200);
    expect(detail.body).toContain("+352621123456");
    expect(detail.body).toContain("9 Mar 1988");
    expect(detail.body).toContain("WizaTech");
    expect((await get(admin, "/admin/cards/not-a-uuid")).status).toBe(404);
  });
});

describe("merchant analytics and export", () => {
  it("shows the charts and cohorts in the owner's language, and refuses nothing on a bad range", async () => {
    const owner = await signIn("owner@fashion.example");
    const page = await get(owner, "/merchant/analytics?lang=fr");
    expect(page.status).toBe(200);
    expect(page.body).toContain(inHtml(serverI18n("fr").t("console:analytics.enrollments")));
    expect(page.body).toContain("FashionHub");
    expect(page.body).toContain('class="chart-svg chart-svg-wide"');
    expect(page.body).toContain('class="chart-svg chart-svg-narrow"');
    const bad = await get(owner, "/merchant/analytics?from=2026-13-40&to=yesterday");
    expect(bad.status).toBe(200);
    expect(bad.body).toContain(inHtml(serverI18n("fr").t("console:analytics.rangeInvalid")));
  });

  it("exports the cards in scope as CSV, and nothing of other merchants", async () => {
    const owner = await signIn("owner@fashion.example");
    const csv = await get(owner, "/merchant/cards.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toMatch(
      /^attachment; filename="rewardflow-cards-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.body).toContain("lena.hub@example.com");
    expect(csv.body).toContain("'+352621123456");
    expect(csv.body).not.toContain("lena.wiza@example.com");
    const manager = await signIn("manager@outlet.example");
    const outlet = await get(manager, "/merchant/cards.csv");
    expect(outlet.body).toContain("lena.outlet@example.com");
    expect(outlet.body).not.toContain("lena.hub@example.com");
    expect((await server.request(platform, "/merchant/cards.csv")).status).toBe(302);
  });
});

describe("card export in Excel", () => {
  it("opens in the reader's Excel: UTF-8, its list separator, card numbers as text, words not codes", async () => {
    const owner = await signIn("owner@fashion.example");
    const [hub] = await db
      .select({ cardNumber: loyaltyCards.cardNumber, createdAt: loyaltyCards.createdAt })
      .from(loyaltyCards)
      .where(eq(loyaltyCards.id, card.hub ?? ""));
    if (!hub) throw new Error("the FashionHub card is missing");
    // FashionHub's clock (Europe/Luxembourg), written the way every spreadsheet reads as a date.
    const enrolledOn = hub.createdAt.toLocaleString("sv-SE", { timeZone: "Europe/Luxembourg" }).slice(0, 16);
    for (const locale of ["fr", "de", "en"] as const) {
      const { t } = serverI18n(locale);
      const csv = await get(owner, `/merchant/cards.csv?lang=${locale}`);
      expect(csv.status).toBe(200);
      const sheet = openInExcel(Buffer.from(csv.body, "utf8"), locale);
      const header = sheet[0]?.map((cell) => cell.shown) ?? [];
      expect(header, locale).toContain(t("console:cards.cardNumber"));
      const column = (key: string) => header.indexOf(t(key as never));
      const row = sheet.find((cells) => cells[column("console:card.email")]?.shown === "lena.hub@example.com");
      if (!row) throw new Error(`${locale}: no row for lena.hub@example.com in ${csv.body}`);
      expect(row, locale).toHaveLength(header.length);
      const cardNumber = row[column("console:cards.cardNumber")];
      expect(cardNumber?.kind, `${locale}: card number`).toBe("text");
      expect(cardNumber?.shown.replace(/\s/g, ""), locale).toBe(hub.cardNumber);
      expect(row[column("console:card.customer")]?.shown).toBe("Lena Hansen");
      expect(row[column("console:card.phone")], "formula guard").toEqual({ kind: "text", shown: "'+352621123456" });
      expect(row[column("console:card.language")]?.shown).toBe(t("common:languageNames.de"));
      expect(row[column("console:card.marketing")]?.shown).toBe(t("console:cardExport.yes"));
      expect(row[column("console:card.status")]?.shown).toBe(t("console:card.statuses.active"));
      expect(row[column("console:cards.enrolledOn")]).toEqual({ kind: "date", shown: enrolledOn });
      expect(row[column("console:card.birthday")]).toEqual({ kind: "date", shown: "1988-03-09" });
      expect(row[column("console:cards.balance")]?.kind).toBe("number");
    }
  });
});

describe("admin: programs and stores", () => {
  const wizaMartProgram = (overrides: Record<string, string> = {}) => ({
    merchantId: store.WIZAMART?.merchantId ?? "",
    "name.en": "WizaMart Rewards",
    "name.fr": "Récompenses WizaMart",
    kind: "points",
    pointsPerEuro: "2",
    stampsPerCard: "10",
    welcomeBonus: "20",
    brandColor: "#0a7d32",
    active: "on",
    "rewards[0].name.en": "Free coffee",
    "rewards[0].cost": "100",
    ...overrides,
  });

  it.each([
    ["an invalid colour", { brandColor: "green" }, "brandColor", "colorInvalid"],
    ["a negative cost", { "rewards[0].cost": "-5" }, "reward-0-cost", "costPositive"],
    ["a 10,000-character name", { "name.en": "n".repeat(10_000) }, "program-name-en", "nameTooLong"],
    ["markup in a name", { "name.fr": "<b>x</b>" }, "program-name-fr", "textInvalid"],
    ["no merchant", { merchantId: "" }, "program-merchantId", "merchantRequired"],
    ["a reward without a cost", { "rewards[0].cost": "" }, "reward-0-cost", "rewardCostRequired"],
    ["an http terms URL", { termsUrl: "http://insecure.example/terms" }, "termsUrl", "urlInvalid"],
  ])("refuses %s with a localized message next to the field", async (_label, change, _field, key) => {
    const admin = await signIn("admin@test.example");
    const form = wizaMartProgram(change);
    const response = await server.request(platform, "/admin/loyalty/programs/new?lang=fr", {
      form,
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      inHtml(serverI18n("fr").t(`console:programs.errors.${key}` as "console:login.failed")),
    );
    const created = await db
      .select()
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.merchantId, store.WIZAMART?.merchantId ?? ""));
    expect(created).toHaveLength(0);
  });

  it("adds and removes reward rows without JavaScript, keeping what was typed", async () => {
    const admin = await signIn("admin@test.example");
    const headers = { ...sameOrigin, cookie: admin };
    const en = serverI18n("en").t;
    /** The intent a form button submits (Conform's add/remove buttons), found by its label. */
    const intentOf = (html: string, label: string) => {
      const button = [...html.matchAll(/<button([^>]*)>([^<]*)<\/button>/g)].find((match) => match[2] === label);
      const value = button?.[1]?.match(/value="([^"]*)"/)?.[1];
      if (!value || !button?.[1]?.includes('name="__intent__"')) throw new Error(`no intent button "${label}"`);
      return value.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    };
    const page = await get(admin, "/admin/loyalty/programs/new?lang=en");
    expect(page.body).toContain('name="rewards[0].cost"');
    expect(page.body).not.toContain('name="rewards[1].cost"');
    const added = await server.request(platform, "/admin/loyalty/programs/new?lang=en", {
      form: { ...wizaMartProgram(), __intent__: intentOf(page.body, en("console:programRewards.add")) },
      headers,
    });
    expect(added.status).toBe(200);
    expect(added.body).toContain('name="rewards[1].cost"');
    expect(added.body).toContain('value="Free coffee"');
    expect(added.body).toContain('value="WizaMart Rewards"');
    const removed = await server.request(platform, "/admin/loyalty/programs/new?lang=en", {
      form: {
        ...wizaMartProgram({ "rewards[1].name.en": "Tote bag", "rewards[1].cost": "300" }),
        __intent__: intentOf(added.body, en("console:programRewards.remove", { number: 1 })),
      },
      headers,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).not.toContain('value="Free coffee"');
    expect(removed.body).toContain('value="Tote bag"');
    expect(removed.body).not.toContain('name="rewards[1].cost"');
    const created = await db
      .select()
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.merchantId, store.WIZAMART?.merchantId ?? ""));
    expect(created).toHaveLength(0);
  });

  it("opens WizaMart's join page: program created, loyalty switched on (journey 6)", async () => {
    const admin = await signIn("admin@test.example");
    const headers = { ...sameOrigin, cookie: admin };
    const wizaMart = store.WIZAMART as Store;
    expect((await server.request("wizamart.localhost", "/loyalty/join")).status).toBe(404);
    const early = await server.request(platform, "/admin/stores", {
      form: { storeId: wizaMart.id, enabled: "on" },
      headers,
    });
    expect(early.status).toBe(409);
    const created = await server.request(platform, "/admin/loyalty/programs/new", { form: wizaMartProgram(), headers });
    expect(created.status).toBe(302);
    expect(created.headers.location).toMatch(/^\/admin\/loyalty\/programs\/[0-9a-f-]{36}\?created=1$/);
    const duplicate = await server.request(platform, "/admin/loyalty/programs/new?lang=en", {
      form: wizaMartProgram(),
      headers,
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toContain(inHtml(serverI18n("en").t("console:programs.errors.merchantHasProgram")));
    const enabled = await server.request(platform, "/admin/stores", {
      form: { storeId: wizaMart.id, enabled: "on" },
      headers,
    });
    expect(enabled.status).toBe(200);
    const join = await server.request("wizamart.localhost", "/loyalty/join");
    expect(join.status).toBe(200);
    expect(join.body).toContain("<form");
    const home = await server.request("wizamart.localhost", "/");
    expect(home.body).toContain("Récompenses WizaMart");
    const audit = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} in ('program.create', 'store.loyalty_on')`);
    expect(audit.map((row) => row.action).sort()).toEqual(["program.create", "store.loyalty_on"]);
  });

  it("edits a program and retires a removed reward", async () => {
    const admin = await signIn("admin@test.example");
    const [program] = await db
      .select()
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.merchantId, store.BOOKWORLD?.merchantId ?? ""));
    const page = await get(admin, `/admin/loyalty/programs/${program?.id}`);
    expect(page.status).toBe(200);
    const saved = await server.request(platform, `/admin/loyalty/programs/${program?.id}`, {
      form: {
        "name.en": "Readers' Club",
        kind: "points",
        pointsPerEuro: "3",
        stampsPerCard: "10",
        welcomeBonus: "20",
        brandColor: "#8a4b08",
        active: "on",
        "rewards[0].name.en": "Tote bag",
        "rewards[0].cost": "150",
      },
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(saved.status).toBe(302);
    const rewards = await db.execute<{ name: string; active: boolean }>(
      sql`select name, active from loyalty_rewards where program_id = ${program?.id} order by name`,
    );
    expect(rewards.filter((r) => r.active).map((r) => r.name)).toEqual(["Tote bag"]);
    expect(rewards.filter((r) => !r.active)).toHaveLength(2);
  });
});

describe("admin: points expiry and stamps per purchase", () => {
  const bookWorldForm = (overrides: Record<string, string> = {}) => ({
    "name.en": "Readers' Club",
    kind: "points",
    pointsPerEuro: "2",
    stampsPerCard: "10",
    stampsPerPurchase: "1",
    welcomeBonus: "20",
    brandColor: "#8a4b08",
    active: "on",
    "rewards[0].name.en": "A collector's bookmark",
    "rewards[0].cost": "100",
    ...overrides,
  });
  const programOf = async (code: string) => {
    const [program] = await db
      .select()
      .from(loyaltyPrograms)
      .where(eq(loyaltyPrograms.merchantId, store[code]?.merchantId ?? ""));
    if (!program) throw new Error(`no program for ${code}`);
    return program;
  };

  it("saves a points expiry rule and shows it back on the form and to shoppers", async () => {
    const admin = await signIn("admin@test.example");
    const program = await programOf("BOOKWORLD");
    const path = `/admin/loyalty/programs/${program.id}`;
    const form = await get(admin, `${path}?lang=de`);
    expect(form.body).toContain(inHtml(serverI18n("de").t("console:programs.form.expiryRules.after_inactivity")));
    const saved = await server.request(platform, path, {
      form: bookWorldForm({ pointsExpiryRule: "after_inactivity", pointsExpiryMonths: "18" }),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(saved.status).toBe(302);
    expect(await programOf("BOOKWORLD")).toMatchObject({
      pointsExpiryRule: "after_inactivity",
      pointsExpiryMonths: 18,
    });
    const back = await get(admin, path);
    expect(back.body).toMatch(/<input[^>]*id="program-pointsExpiryRule-after_inactivity"[^>]*checked=""/);
    expect(back.body).toMatch(/<input[^>]*name="pointsExpiryMonths"[^>]*value="18"/);
    const none = await server.request(platform, path, {
      form: bookWorldForm({ pointsExpiryRule: "none", pointsExpiryMonths: "" }),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(none.status).toBe(302);
    expect(await programOf("BOOKWORLD")).toMatchObject({ pointsExpiryRule: "none", pointsExpiryMonths: null });
  });

  it.each([
    ["a rule without months", "BOOKWORLD", { pointsExpiryRule: "after_earning" }, "expiryMonthsRequired"],
    ["an unknown rule", "BOOKWORLD", { pointsExpiryRule: "someday", pointsExpiryMonths: "3" }, "expiryRuleInvalid"],
    ["121 months", "BOOKWORLD", { pointsExpiryRule: "after_earning", pointsExpiryMonths: "121" }, "numberTooLarge"],
    [
      "a rule on a stamps program",
      "WIZATECH",
      { kind: "stamps", pointsExpiryRule: "after_earning", pointsExpiryMonths: "6" },
      "expiryPointsOnly",
    ],
    ["0 stamps per purchase", "WIZATECH", { kind: "stamps", stampsPerPurchase: "0" }, "stampsPerPurchasePositive"],
  ])("refuses %s with a localized message next to the field", async (_label, code, change, key) => {
    const admin = await signIn("admin@test.example");
    const program = await programOf(code);
    const response = await server.request(platform, `/admin/loyalty/programs/${program.id}?lang=lb`, {
      form: bookWorldForm(change),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      inHtml(serverI18n("lb").t(`console:programs.errors.${key}` as "console:login.failed")),
    );
    expect(await programOf(code)).toMatchObject({
      pointsExpiryRule: program.pointsExpiryRule,
      stampsPerPurchase: program.stampsPerPurchase,
    });
  });

  it("saves the stamps one purchase earns on a stamps program", async () => {
    const admin = await signIn("admin@test.example");
    const program = await programOf("WIZATECH");
    const path = `/admin/loyalty/programs/${program.id}`;
    const saved = await server.request(platform, path, {
      form: bookWorldForm({
        "name.en": "WizaTech Card",
        kind: "stamps",
        stampsPerPurchase: "2",
        "rewards[0].name.en": "A free accessory (up to €25)",
        "rewards[0].cost": "10",
      }),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(saved.status).toBe(302);
    expect((await programOf("WIZATECH")).stampsPerPurchase).toBe(2);
    expect((await get(admin, path)).body).toMatch(/<input[^>]*name="stampsPerPurchase"[^>]*value="2"/);
  });
});

describe("admin: merchants and stores", () => {
  const newStore = (overrides: Record<string, string | string[]> = {}) => {
    const form = new URLSearchParams();
    const values: Record<string, string | string[]> = {
      merchantId: store.BOOKWORLD?.merchantId ?? "",
      code: "BOOKWORLD2",
      name: "BookWorld Kirchberg",
      subdomain: "bookworld-kirchberg",
      defaultLanguage: "fr",
      enabledLanguages: ["fr", "en"],
      timezone: "Europe/Luxembourg",
      "description.fr": "Librairie au Kirchberg.",
      "description.en": "Bookshop in Kirchberg.",
      ...overrides,
    };
    for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) form.append(key, v);
    return form;
  };

  it.each([
    ["a taken subdomain", { subdomain: "fashionhub" }, "subdomainTaken"],
    ["a reserved subdomain", { subdomain: "admin" }, "subdomainReserved"],
    ["an invalid subdomain", { subdomain: "Book World!" }, "subdomainInvalid"],
    ["a custom domain under the platform", { customDomain: "shop.localhost" }, "domainIsPlatform"],
    ["an invalid custom domain", { customDomain: "not a domain" }, "domainInvalid"],
    ["a default language that is not enabled", { defaultLanguage: "de" }, "defaultNotEnabled"],
    ["a 10,000-character name", { name: "b".repeat(10_000) }, "tooLong"],
    ["a taken code", { code: "FASHIONHUB" }, "codeTaken"],
    ["no language", { enabledLanguages: [] }, "languagesRequired"],
    ["an unknown time zone", { timezone: "Mars/Olympus" }, "timezoneInvalid"],
    ["a contact address that is not an email", { contactEmail: "books at example.lu" }, "contactEmailInvalid"],
  ])("refuses a store with %s, with the message next to the field", async (_label, change, key) => {
    const admin = await signIn("admin@test.example");
    const response = await server.request(platform, "/admin/stores/new?lang=lb", {
      form: newStore(change),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      inHtml(serverI18n("lb").t(`console:tenancy.errors.${key}` as "console:login.failed")),
    );
    expect(await db.select().from(stores).where(eq(stores.code, "BOOKWORLD2"))).toHaveLength(0);
  });

  it("creates a store that answers on its subdomain and its custom domain", async () => {
    const admin = await signIn("admin@test.example");
    const created = await server.request(platform, "/admin/stores/new", {
      form: newStore({
        customDomain: "Books.Example.LU",
        contactEmail: " Hello@Books.Example.LU ",
        loyaltyEnabled: "on",
      }),
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(created.status).toBe(302);
    const [saved] = await db.select().from(stores).where(eq(stores.code, "BOOKWORLD2"));
    expect(saved?.contactEmail).toBe("hello@books.example.lu");
    for (const host of ["bookworld-kirchberg.localhost", "books.example.lu"]) {
      const home = await server.request(host, "/?lang=en");
      expect(home.status).toBe(200);
      expect(home.body).toContain("Bookshop in Kirchberg.");
    }
  });

  it("creates and renames a merchant; a taken short name is refused", async () => {
    const admin = await signIn("admin@test.example");
    const headers = { ...sameOrigin, cookie: admin };
    const created = await server.request(platform, "/admin/merchants/new", {
      form: { name: "Café Mousel", slug: "cafe-mousel", defaultLanguage: "lb" },
      headers,
    });
    expect(created.status).toBe(302);
    const taken = await server.request(platform, "/admin/merchants/new?lang=en", {
      form: { name: "Other", slug: "cafe-mousel", defaultLanguage: "fr" },
      headers,
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toContain(inHtml(serverI18n("en").t("console:tenancy.errors.slugTaken")));
    const list = await get(admin, "/admin/merchants");
    expect(list.body).toContain("Café Mousel");
  });
});

describe("robustness", () => {
  it("answers an action on a record that does not exist with 404, not 500", async () => {
    const admin = await signIn("admin@test.example");
    const response = await server.request(platform, "/admin/stores", {
      form: { storeId: "00000000-0000-4000-8000-000000000000", enabled: "on" },
      headers: { ...sameOrigin, cookie: admin },
    });
    expect(response.status).toBe(404);
  });

  it("treats a mangled cookie as no cookie", async () => {
    const response = await server.request("fashionhub.localhost", "/", {
      headers: { cookie: "rf_lang=%E0%A4%A; rf_session=%" },
    });
    expect(response.status).toBe(200);
  });

  it("falls back to the default range for an impossible year", async () => {
    const owner = await signIn("owner@fashion.example");
    const response = await get(owner, "/merchant/analytics?from=0000-01-01&to=0000-12-31");
    expect(response.status).toBe(200);
  });
});

describe("pagination", () => {
  it("pages the merchants list on the server", async () => {
    for (let i = 0; i < 30; i++) {
      await db.execute(
        sql`insert into merchants (name, slug) values (${`Zz Paging ${String(i).padStart(2, "0")}`}, ${`zz-paging-${i}`})`,
      );
    }
    const admin = await signIn("admin@test.example");
    const first = await get(admin, "/admin/merchants?lang=en");
    const second = await get(admin, "/admin/merchants?page=2&lang=en");
    const names = (body: string) => body.match(/Zz Paging \d\d/g) ?? [];
    expect(first.body).toContain("Page 1 of 2");
    expect(second.body).toContain("Page 2 of 2");
    expect(new Set([...names(first.body), ...names(second.body)]).size).toBe(30);
    expect((await get(admin, "/admin/merchants?page=abc")).status).toBe(200);
  });
});
