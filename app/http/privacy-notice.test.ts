import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { createUser } from "~/modules/auth/users.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { merchants } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { eventually } from "~/test/eventually";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

/** The join page links the merchant's privacy notice, or the platform's default one. */

const { db } = await createTestDatabase();
let server: TestServer;
const password = "correct horse battery";
const sameOrigin = { origin: "http://localhost:3000" };

beforeAll(async () => {
  await seedDemoData(db);
  await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000" });
});

describe("the privacy notice", () => {
  it("is the platform's default notice, in each language, linked next to the terms", async () => {
    for (const locale of locales) {
      const t = serverI18n(locale).t;
      const join = await server.request("fashionhub.localhost", `/loyalty/join?lang=${locale}`);
      expect(join.status).toBe(200);
      expect(join.body).toContain('href="/privacy"');
      expect(join.body).toContain(inHtml(t("storefront:join.privacyLink")));
      const notice = await server.request("fashionhub.localhost", `/privacy?lang=${locale}`);
      expect(notice.status).toBe(200);
      expect(htmlLang(notice.body)).toBe(locale);
      expect(notice.body).toContain(inHtml(t("storefront:privacy.rights")));
      expect(notice.body).toContain(
        inHtml(t("storefront:privacy.controllerStore", { merchant: "Fashion Group S.A." })),
      );
      const main = /<main[\s\S]*<\/main>/.exec(notice.body)?.[0] ?? "";
      expect(main).toContain("<h2>");
      expect(main).not.toMatch(/privacy\.\w+|\{\{/);
    }
    const platform = await server.request("localhost", "/privacy?lang=en");
    expect(platform.body).toContain(inHtml(serverI18n("en").t("storefront:privacy.controllerPlatform")));
    expect((await server.request("nowhere.example", "/privacy")).status).toBe(404);
  });

  it("is the merchant's own once an admin saves its address; a non-https address is refused", async () => {
    const login = await server.request("localhost", "/login", {
      form: { email: "admin@test.example", password },
      headers: sameOrigin,
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
    const [fashion] = await db.select().from(merchants).where(eq(merchants.slug, "fashion-group"));
    const path = `/admin/merchants/${fashion?.id}`;
    const fields = { name: "Fashion Group S.A.", slug: "fashion-group", defaultLanguage: "fr" };
    const refused = await server.request("localhost", `${path}?lang=de`, {
      form: { ...fields, privacyUrl: "http://fashiongroup.example/privacy" },
      headers: { ...sameOrigin, cookie },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(inHtml(serverI18n("de").t("console:tenancy.errors.privacyUrlInvalid")));
    const saved = await server.request("localhost", path, {
      form: { ...fields, privacyUrl: "https://fashiongroup.example/privacy" },
      headers: { ...sameOrigin, cookie },
    });
    expect(saved.status).toBe(302);
    // The storefront's tenant cache hears of the change from PostgreSQL, milliseconds after the commit.
    const join = await eventually(
      () => server.request("fashionhub.localhost", "/loyalty/join"),
      (page) => page.body.includes('href="https://fashiongroup.example/privacy"'),
    );
    expect(join.body).toContain('href="https://fashiongroup.example/privacy"');
    const form = await server.request("localhost", path, { headers: { cookie } });
    expect(form.body).toContain('value="https://fashiongroup.example/privacy"');
    // Emptied again: the default notice is back.
    await server.request("localhost", path, {
      form: { ...fields, privacyUrl: "" },
      headers: { ...sameOrigin, cookie },
    });
    const [after] = await db.select().from(merchants).where(eq(merchants.slug, "fashion-group"));
    expect(after?.privacyUrl).toBeNull();
  });
});
