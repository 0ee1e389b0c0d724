import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { maxBodyBytes } from "~/http/app.server";
import { locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { phoneExample } from "~/modules/loyalty/phone.server";
import { customers, loyaltyCards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { createTestDatabase } from "~/test/database";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

const { db } = await createTestDatabase();
let server: TestServer;

beforeAll(async () => {
  await seedDemoData(db);
  server = await startTestServer(db, { ENROLL_RATE_LIMIT: "1000" });
});

const validForm = (email: string): Record<string, string> => ({
  firstName: "Anne",
  lastName: "Muller-Weber",
  email,
  phone: "621 123 456",
  "birthday.day": "14",
  "birthday.month": "7",
  "birthday.year": "1990",
  terms: "on",
});
const sameOrigin = { origin: "http://fashionhub.localhost:3000" };

describe("locale", () => {
  it.each(locales)("renders %s with <html lang> and remembers ?lang= in a cookie", async (locale) => {
    const first = await server.request("fashionhub.localhost", `/loyalty/join?lang=${locale}`);
    expect(first.status).toBe(200);
    expect(htmlLang(first.body)).toBe(locale);
    expect(first.headers["content-language"]).toBe(locale);
    expect(first.body).toContain(inHtml(serverI18n(locale).t("storefront:join.submit")));
    const cookie = String(first.headers["set-cookie"]).split(";")[0] ?? "";
    expect(cookie).toBe(`rf_lang=${locale}`);
    const again = await server.request("fashionhub.localhost", "/", { headers: { cookie } });
    expect(htmlLang(again.body)).toBe(locale);
  });

  it("uses the store default, then Accept-Language among the enabled languages", async () => {
    expect(htmlLang((await server.request("fashionhub.localhost", "/")).body)).toBe("fr");
    expect(htmlLang((await server.request("fashionoutlet.localhost", "/")).body)).toBe("de");
    const english = await server.request("fashionhub.localhost", "/", {
      headers: { "accept-language": "en-GB,en;q=0.9" },
    });
    expect(htmlLang(english.body)).toBe("en");
  });

  it.each(locales)("shows the store description in %s", async (locale) => {
    const [store] = await db.execute<{ t: string }>(
      sql`select description_translations->>${locale} as t from stores where code = 'FASHIONHUB'`,
    );
    const page = await server.request("fashionhub.localhost", `/?lang=${locale}`);
    expect(page.body).toContain(inHtml(store?.t ?? "missing"));
  });

  it.each(locales)("keeps <html lang> on error pages in %s", async (locale) => {
    const page = await server.request("fashionhub.localhost", `/no/such/page?lang=${locale}`);
    expect(page.status).toBe(404);
    expect(htmlLang(page.body)).toBe(locale);
    expect(page.body).toContain(inHtml(serverI18n(locale).t("common:errors.notFound.title")));
  });
});

describe("hosts", () => {
  it("answers an unknown host with a 404 page", async () => {
    const page = await server.request("nosuchstore.localhost", "/");
    expect(page.status).toBe(404);
    expect(page.body).toContain(inHtml(serverI18n("en").t("common:errors.unknownHost.title")));
  });

  it("shows a localized not-available page (404) for a store with loyalty off", async () => {
    for (const path of ["/", "/loyalty/join"]) {
      const page = await server.request("wizamart.localhost", path);
      expect(page.status).toBe(404);
      expect(htmlLang(page.body)).toBe("fr");
      expect(page.body).toContain(inHtml(serverI18n("fr").t("common:errors.loyaltyUnavailable.title")));
      expect(page.body).not.toContain("<form");
    }
  });

  it("serves the platform home on the platform host", async () => {
    const page = await server.request("localhost", "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("fashionhub.localhost");
  });

  it("sends the security headers on every response", async () => {
    for (const [host, path] of [
      ["fashionhub.localhost", "/"],
      ["fashionhub.localhost", "/nope"],
      ["localhost", "/healthz"],
    ] as const) {
      const response = await server.request(host, path);
      expect(response.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    }
  });
});

describe("plain HTML on the storefront (ADR 043)", () => {
  it("sends storefront pages without React's scripts, with the form-sent-once script alone", async () => {
    for (const path of ["/", "/loyalty/join", "/loyalty/card", "/privacy", "/nope"]) {
      const page = await server.request("fashionhub.localhost", path);
      const nonce = /'nonce-([^']+)'/.exec(String(page.headers["content-security-policy"]))?.[1];
      const scripts = [...page.body.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      expect(scripts, path).toEqual([`<script nonce="${nonce}">`]);
      expect(page.body, path).not.toContain("modulepreload");
      expect(page.body, path).not.toContain("__reactRouterContext");
    }
  });

  it("still sends the consoles with React's scripts and their strings", async () => {
    const login = await server.request("localhost", "/login");
    expect(login.status).toBe(200);
    expect(login.body).toContain('rel="modulepreload"');
    expect(login.body).toContain("window.__reactRouterContext");
    expect(login.body).toContain('<script id="rf-i18n" type="application/json">');
  });
});

describe("enrollment form", () => {
  it("enrolls, redirects to the success page and shows the card", async () => {
    const response = await server.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("ok@example.com"),
      headers: sameOrigin,
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/^\/loyalty\/join\/success\?card=[\w-]+$/);
    const success = await server.request("fashionhub.localhost", response.headers.location ?? "");
    expect(success.status).toBe(200);
    expect(success.body).toMatch(/\d{4} \d{4} \d{4} \d{4}/);
    expect(success.body).toContain(inHtml(serverI18n("fr").t("common:units.points", { count: 50 })));
    const [customer] = await db.select().from(customers).where(eq(customers.email, "ok@example.com"));
    expect(customer).toMatchObject({ phone: "+352621123456", birthDate: "1990-07-14", preferredLanguage: "fr" });
  });

  it("tells an existing member so, without showing their card, and queues a card-link email", async () => {
    await server.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("member@example.com"),
      headers: sameOrigin,
    });
    const again = await server.request("fashionoutlet.localhost", "/loyalty/join", {
      form: validForm("Member@Example.com"),
      headers: { origin: "http://fashionoutlet.localhost:3000" },
    });
    expect(again.headers.location).toBe("/loyalty/join/success?existing=1");
    const page = await server.request("fashionoutlet.localhost", "/loyalty/join/success?existing=1");
    expect(page.body).toContain(inHtml(serverI18n("de").t("storefront:success.existingTitle")));
    const links = await db.select().from(emailLogs).where(eq(emailLogs.templateKey, "loyalty_card_link"));
    expect(links.map((l) => l.recipient)).toContain("member@example.com");
  });

  const long = "a".repeat(10_000);
  const badInputs: [string, Record<string, string>, string][] = [
    ["invalid email", { email: "not-an-email" }, "join.errors.emailInvalid"],
    ["31 February", { "birthday.day": "31", "birthday.month": "2" }, "join.errors.birthdayInvalid"],
    [
      "a birthday in the future",
      { "birthday.year": String(new Date().getFullYear() + 1) },
      "join.errors.birthdayFuture",
    ],
    [
      "a birthday 121 years ago",
      { "birthday.year": String(new Date().getFullYear() - 121) },
      "join.errors.birthdayTooOld",
    ],
    ["half a birthday", { "birthday.year": "" }, "join.errors.birthdayIncomplete"],
    ["an invalid phone", { phone: "12" }, "join.errors.phoneInvalid"],
    // The right length for Luxembourg but no number that can exist: only the full numbering plan knows.
    ["a phone number no operator hands out", { phone: "+352 601 234 567" }, "join.errors.phoneInvalid"],
    ["a 10,000-character first name", { firstName: long }, "join.errors.nameTooLong"],
    ["a 10,000-character email", { email: `${long}@example.com` }, "join.errors.emailInvalid"],
    ["control characters in a name", { lastName: "Mul\u0000ler" }, "join.errors.nameInvalid"],
    ["<script> in a name", { firstName: "<script>alert(1)</script>" }, "join.errors.nameInvalid"],
    ["a missing terms box", { terms: "" }, "join.errors.termsRequired"],
    ["a missing first name", { firstName: "" }, "join.errors.firstNameRequired"],
  ];

  it.each(badInputs)(
    "refuses %s with a localized message next to the field and writes nothing",
    async (_label, change, key) => {
      const email = `bad-${Math.random().toString(36).slice(2)}@example.com`;
      const form = { ...validForm(email), ...change };
      for (const [name, value] of Object.entries(form)) if (value === "") delete form[name];
      const response = await server.request("fashionhub.localhost", "/loyalty/join?lang=de", {
        form,
        headers: sameOrigin,
      });
      expect(response.status).toBe(400);
      expect(response.body).toContain(
        // FashionHub's country is Luxembourg: its example phone number fills the message's placeholders.
        `class="field-error"><span>${inHtml(serverI18n("de").t(`storefront:${key}` as "storefront:join.submit", phoneExample("LU")))}`,
      );
      expect(response.body).not.toContain("<script>alert(1)</script>");
      const [count] = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from customers where lower(email) like 'bad-%'`,
      );
      expect(count?.n).toBe(0);
    },
  );

  it("refuses a forged POST from another origin with 403 and writes nothing", async () => {
    const forgeries: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ];
    for (const headers of forgeries) {
      const response = await server.request("fashionhub.localhost", "/loyalty/join", {
        form: validForm("forged@example.com"),
        headers,
      });
      expect(response.status).toBe(403);
      expect(htmlLang(response.body)).toBe("fr");
      expect(response.body).toContain(inHtml(serverI18n("fr").t("common:errors.forbidden.title")));
    }
    expect(await db.select().from(customers).where(eq(customers.email, "forged@example.com"))).toHaveLength(0);
  });

  it("does not show one merchant's card on another merchant's storefront", async () => {
    const response = await server.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("mine@example.com"),
      headers: sameOrigin,
    });
    const token = response.headers.location?.split("card=")[1] ?? "";
    expect((await server.request("fashionhub.localhost", `/loyalty/card/${token}`)).status).toBe(200);
    expect((await server.request("fashionoutlet.localhost", `/loyalty/card/${token}`)).status).toBe(200);
    expect((await server.request("bookworld.localhost", `/loyalty/card/${token}`)).status).toBe(404);
    expect((await server.request("fashionhub.localhost", "/loyalty/card/not-a-token")).status).toBe(404);
  });

  it.each(locales)("shows the program's points expiry rule on the card page in %s", async (locale) => {
    const response = await server.request("bookworld.localhost", "/loyalty/join", {
      form: validForm(`expiry-${locale}@example.com`),
      headers: { origin: "http://bookworld.localhost:3000" },
    });
    const token = response.headers.location?.split("card=")[1] ?? "";
    const t = serverI18n(locale).t;
    const page = async () =>
      (await server.request("bookworld.localhost", `/loyalty/card/${token}?lang=${locale}`)).body;
    await db.execute(sql`update loyalty_programs set points_expiry_rule = 'none', points_expiry_months = null
      where merchant_id = (select merchant_id from stores where code = 'BOOKWORLD')`);
    expect(await page()).toContain(inHtml(t("storefront:card.pointsExpiry.none")));
    await db.execute(sql`update loyalty_programs set points_expiry_rule = 'after_inactivity', points_expiry_months = 18
      where merchant_id = (select merchant_id from stores where code = 'BOOKWORLD')`);
    const body = await page();
    expect(body).toContain(inHtml(t("storefront:card.pointsExpiry.after_inactivity", { count: 18 })));
    expect(body).toContain("18");
  });

  it("answers 'find my card' the same way whether or not the email has a card", async () => {
    await server.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("finder@example.com"),
      headers: sameOrigin,
    });
    const known = await server.request("fashionhub.localhost", "/loyalty/card", {
      form: { email: "FINDER@example.com" },
      headers: sameOrigin,
    });
    const unknown = await server.request("fashionhub.localhost", "/loyalty/card", {
      form: { email: "ghost@example.com" },
      headers: sameOrigin,
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (body: string) => body.replace(/nonce="[^"]+"/g, "").replace(/nonce-[^']+/g, "");
    expect(strip(known.body)).toBe(strip(unknown.body));
    const [card] = await db
      .select()
      .from(loyaltyCards)
      .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
      .where(eq(customers.email, "finder@example.com"));
    const links = await db
      .select()
      .from(emailLogs)
      .where(sql`${emailLogs.cardId} = ${card?.loyalty_cards.id} and ${emailLogs.templateKey} = 'loyalty_card_link'`);
    expect(links).toHaveLength(1);
  });
});

describe("rate limit", () => {
  it("answers the enrollment past the limit with a localized 429", async () => {
    const limited = await startTestServer(db, { ENROLL_RATE_LIMIT: "2", TRUST_PROXY: "loopback" });
    const headers = { ...sameOrigin, "x-forwarded-for": "203.0.113.7" };
    for (let i = 0; i < 2; i++) {
      const ok = await limited.request("fashionhub.localhost", "/loyalty/join", {
        form: validForm(`limit-${i}@example.com`),
        headers,
      });
      expect(ok.status).toBe(302);
    }
    const refused = await limited.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("limit-3@example.com"),
      headers,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.body).toContain(inHtml(serverI18n("fr").t("storefront:join.errors.rateLimited")));
    expect(await db.select().from(customers).where(eq(customers.email, "limit-3@example.com"))).toHaveLength(0);
    const otherClient = await limited.request("fashionhub.localhost", "/loyalty/join", {
      form: validForm("limit-4@example.com"),
      headers: { ...sameOrigin, "x-forwarded-for": "203.0.113.8" },
    });
    expect(otherClient.status).toBe(302);
  });

  it("answers a malformed percent-escape in the path with the localized 400 page, not a 500", async () => {
    for (const path of ["/loyalty/card/%E0%A4%A", "/loyalty/unsubscribe/%E0%A4%A"]) {
      const response = await server.request("fashionhub.localhost", path);
      expect(response.status).toBe(400);
      expect(response.body).toContain("<html lang=");
    }
  });

  it("refuses a body over the form size limit before reading it", async () => {
    const response = await server.request("fashionhub.localhost", "/loyalty/join", {
      headers: {
        origin: "http://fashionhub.localhost:3000",
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(maxBodyBytes + 1),
      },
      method: "POST",
    });
    expect(response.status).toBe(413);
  });
});
