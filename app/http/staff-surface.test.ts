import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { users } from "~/modules/auth/schema";
import { createUser } from "~/modules/auth/users.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

const { db } = await createTestDatabase();
let server: TestServer;
const platform = "localhost";
const password = "correct horse battery";
const admin = "surface-admin@test.example";

beforeAll(async () => {
  await seedDemoData(db);
  await db.update(stores).set({ customDomain: "club.fashionhub.example" }).where(eq(stores.subdomain, "fashionhub"));
  await createUser(db, { email: admin, name: "Admin", password, role: "platform_admin", preferredLanguage: "en" });
  server = await startTestServer(db, { TRUST_PROXY: "true", ENROLL_RATE_LIMIT: "3", LOGIN_RATE_LIMIT: "1000" });
});

const sameOrigin = (host: string) => ({ origin: `http://${host}:3000` });

/** Signs in from its own address, so no other test's failures slow it down. */
async function signIn(email = admin, from = "192.0.2.200") {
  const response = await server.request(platform, "/login", {
    form: { email, password },
    headers: { ...sameOrigin(platform), "x-forwarded-for": from },
  });
  expect(response.status).toBe(302);
  return String(response.headers["set-cookie"]).split(";")[0] ?? "";
}

describe("staff routes exist on the platform host only", () => {
  const storeHosts = ["fashionhub.localhost", "club.fashionhub.example"];
  const staffRequests: [string, string, Record<string, string> | undefined][] = [
    ["POST", "/login", { email: admin, password }],
    ["POST", "/login.data", { email: admin, password }],
    ["POST", "/LOGIN", { email: admin, password }],
    ["POST", "/logout", {}],
    ["POST", "/forgot-password", { email: admin }],
    [
      "POST",
      "/reset-password",
      { token: "x".repeat(43), password: "a new long password", confirm: "a new long password" },
    ],
    ["POST", "/account/language", { lang: "de", returnTo: "/admin" }],
    ["GET", "/login", undefined],
    ["GET", "/admin", undefined],
    ["GET", "/merchant/cards.csv", undefined],
  ];

  it.each(
    storeHosts.flatMap((host) => staffRequests.map(([method, path, form]) => [host, method, path, form] as const)),
  )("%s: %s %s answers a localized 404 and signs nobody in", async (host, method, path, form) => {
    const response = await server.request(host, `${path}${path.includes("?") ? "&" : "?"}lang=de`, {
      method,
      form,
      headers: sameOrigin(host),
    });
    expect(response.status).toBe(404);
    expect(String(response.headers["set-cookie"] ?? "")).not.toMatch(/rf_session=/);
    expect(response.body).toContain(inHtml(serverI18n("de").t("common:errors.notFound.title")));
  });

  it("the platform host still signs staff in", async () => {
    expect(await signIn()).toMatch(/rf_session=/);
  });
});

describe("private pages are never cached", () => {
  it("sends Cache-Control: no-store on staff pages and the shopper's card, not on public pages", async () => {
    const cookie = await signIn();
    expect((await server.request(platform, "/login")).headers["cache-control"]).toBe("no-store");
    expect((await server.request(platform, "/admin", { headers: { cookie } })).headers["cache-control"]).toBe(
      "no-store",
    );
    expect((await server.request(platform, "/admin.data", { headers: { cookie } })).headers["cache-control"]).toBe(
      "no-store",
    );
    const joined = await server.request("fashionhub.localhost", "/loyalty/join", {
      form: {
        firstName: "Lena",
        lastName: "Weber",
        email: "lena.cache@example.com",
        phone: "621 123 456",
        terms: "on",
      },
      headers: { ...sameOrigin("fashionhub.localhost"), "x-forwarded-for": "192.0.2.150" },
    });
    const location = joined.headers.location ?? "";
    expect(location).toMatch(/card=/);
    const token = decodeURIComponent(location.split("card=")[1] ?? "");
    const card = await server.request("fashionhub.localhost", `/loyalty/card/${token}`);
    expect(card.status).toBe(200);
    expect(card.headers["cache-control"]).toBe("no-store");
    expect((await server.request("fashionhub.localhost", location)).headers["cache-control"]).toBe("no-store");
    expect((await server.request("fashionhub.localhost", "/")).headers["cache-control"]).toBeUndefined();
  });
});

describe("a staff member's saved language", () => {
  const saved = async () => (await db.select().from(users).where(eq(users.email, admin)))[0]?.preferredLanguage;

  it("is not changed by a ?lang= link: that page only", async () => {
    const cookie = await signIn();
    const german = await server.request(platform, "/admin?lang=de", { headers: { cookie } });
    expect(htmlLang(german.body)).toBe("de");
    expect(await saved()).toBe("en");
    const next = await server.request(platform, "/admin", { headers: { cookie, "accept-language": "de" } });
    expect(htmlLang(next.body)).toBe("en");
  });

  it("changes by the console's language form, which comes back to the same page", async () => {
    const cookie = await signIn();
    const chosen = await server.request(platform, "/account/language", {
      form: { lang: "fr", returnTo: "/admin/cards?q=lena" },
      headers: { cookie, ...sameOrigin(platform) },
    });
    expect(chosen.status).toBe(302);
    expect(chosen.headers.location).toBe("/admin/cards?q=lena");
    expect(await saved()).toBe("fr");
    expect(htmlLang((await server.request(platform, "/admin", { headers: { cookie } })).body)).toBe("fr");

    const crossSite = await server.request(platform, "/account/language", {
      form: { lang: "de", returnTo: "/admin" },
      headers: { cookie, origin: "http://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const unknown = await server.request(platform, "/account/language", {
      form: { lang: "xx", returnTo: "/admin" },
      headers: { cookie, ...sameOrigin(platform) },
    });
    expect(unknown.status).toBe(400);
    const away = await server.request(platform, "/account/language", {
      form: { lang: "en", returnTo: "/.//evil.example" },
      headers: { cookie, ...sameOrigin(platform) },
    });
    expect(away.headers.location).toBe("/admin");
    expect(await saved()).toBe("en");
  });
});

describe("sign-in throttling per email and address", () => {
  const attempt = (email: string, secret: string, from: string) =>
    server.request(platform, "/login?lang=de", {
      form: { email, password: secret },
      headers: { ...sameOrigin(platform), "x-forwarded-for": from },
    });

  it("slows one address down for one email, the same for an unknown email, while the owner signs in elsewhere", async () => {
    const t = serverI18n("de").t;
    const waitMessage = inHtml(t("console:login.throttledSeconds", { count: 1 }));
    const answers: string[] = [];
    for (const email of [admin, "nobody@test.example"]) {
      for (let i = 0; i < 3; i++) expect((await attempt(email, `wrong-${i}`, "203.0.113.9")).status).toBe(401);
      const slowed = await attempt(email, password, "203.0.113.9");
      expect(slowed.status).toBe(429);
      expect(slowed.headers["retry-after"]).toBe("1");
      expect(slowed.body).toContain(waitMessage);
      answers.push(slowed.body.replace(/nonce="[^"]+"/g, "").replaceAll(email, "EMAIL"));
    }
    expect(answers[0]).toBe(answers[1]);
    expect((await attempt(admin, password, "198.51.100.77")).status).toBe(302);
  });
});

describe("/reset-password", () => {
  it("is rate-limited per address like the other unauthenticated forms", async () => {
    const post = () =>
      server.request(platform, "/reset-password?lang=fr", {
        form: { token: "made-up-token", password: "a new long password", confirm: "a new long password" },
        headers: { ...sameOrigin(platform), "x-forwarded-for": "203.0.113.44" },
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(400);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.body).toContain(inHtml(serverI18n("fr").t("console:resetPassword.rateLimited")));
  });
});
