import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverI18n } from "~/i18n/resources.server";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { customers } from "~/modules/loyalty/schema";
import { emailTemplates } from "~/modules/messaging/schema";
import { unsubscribeUrl } from "~/modules/messaging/unsubscribe.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { queueReminder } from "~/modules/outbox/queue.server";
import { emailLogs } from "~/modules/outbox/schema";
import { adminSettings } from "~/modules/settings/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";

const { db } = await createTestDatabase();
let server: TestServer;
let smtp: TestSmtpServer;
let store: Store;
let cookie: string;
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };
const en = serverI18n("en").t;

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  await createUser(db, {
    email: "admin@test.example",
    name: "Admin",
    password,
    role: "platform_admin",
    preferredLanguage: "en",
  });
  smtp = await startTestSmtpServer();
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000" });
  const login = await server.request(platform, "/login", {
    form: { email: "admin@test.example", password },
    headers: sameOrigin,
  });
  cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
});
afterAll(() => smtp.close());

const get = (path: string) => server.request(platform, path, { headers: { cookie } });
const post = (path: string, form: Record<string, string>) =>
  server.request(platform, path, { form, headers: { ...sameOrigin, cookie } });

describe("email templates", () => {
  it("lists every email in every language", async () => {
    const page = await get("/admin/email-templates");
    expect(page.status).toBe(200);
    for (const key of ["loyalty_enrollment", "smtp_test", "password_reset"]) {
      for (const locale of ["fr", "de", "lb", "en"])
        expect(page.body).toContain(`/admin/email-templates/${key}/${locale}"`);
    }
  });

  it("refuses an unknown placeholder and broken markup, naming the line, and keeps the stored copy", async () => {
    const before = await templateRow("loyalty_enrollment", "fr");
    const response = await post("/admin/email-templates/loyalty_enrollment/fr", {
      intent: "save",
      subject: "Bienvenue {{prenom}}",
      preheader: "ok",
      body: "Bonjour {{firstName}},\n\n**gras jamais fermé",
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(inHtml(en("console:emailTemplates.errors.unclosedBold", { line: 3 })));
    expect(response.body).toContain("prenom");
    expect(response.body).toContain('aria-invalid="true"');
    expect(await templateRow("loyalty_enrollment", "fr")).toEqual(before);
  });

  it("saves a valid edit, which the next French enrollment email carries", async () => {
    const saved = await post("/admin/email-templates/loyalty_enrollment/fr", {
      intent: "save",
      subject: "Votre carte {{store}} vous attend, {{firstName}}",
      preheader: "Carte {{cardNumber}}",
      body: "Bonjour {{firstName}},\n\nVoici votre carte **{{program}}**.",
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe("/admin/email-templates/loyalty_enrollment/fr?saved=1");
    const row = await templateRow("loyalty_enrollment", "fr");
    expect(row?.subject).toBe("Votre carte {{store}} vous attend, {{firstName}}");
    expect(row?.updatedBy).not.toBeNull();
  });

  it("previews a draft with sample data under a locked-down policy, without saving it", async () => {
    const response = await post("/admin/email-templates/loyalty_welcome_bonus/de/preview", {
      subject: "Geschenk von {{store}}",
      preheader: "{{bonus}}",
      body: "Hallo {{firstName}}, <script>x</script>",
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(response.headers["content-security-policy"]).toContain("sandbox");
    expect(response.headers["content-security-policy"]).not.toContain("script-src");
    // The HTML in the draft is a markup error, shown as text, never run.
    expect(response.body).not.toContain("<script>x");
    const valid = await post("/admin/email-templates/loyalty_welcome_bonus/de/preview", {
      subject: "Geschenk von {{store}}",
      preheader: "{{bonus}}",
      body: "Hallo {{firstName}},\n\nWillkommen bei **{{program}}**.",
    });
    expect(valid.body).toContain("Geschenk von FashionHub");
    expect(valid.body).toContain("Willkommen bei <strong>Fashion Club</strong>.");
    expect(valid.body).toContain('lang="de"');
    expect((await templateRow("loyalty_welcome_bonus", "de"))?.subject).not.toBe("Geschenk von {{store}}");
    const saved = await get("/admin/email-templates/loyalty_enrollment/en/preview");
    expect(saved.body).toContain("data:image/png;base64,");
    expect(saved.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("answers what it cannot show with a document in the staff member's language, its lang attribute included", async () => {
    const cases = [
      ["fr", await get("/admin/email-templates/no_such_email/fr/preview?lang=fr"), 404, "common:errors.notFound.title"],
      [
        "de",
        await post("/admin/email-templates/loyalty_enrollment/fr/preview?lang=de", {
          subject: "x".repeat(2_000),
          preheader: "",
          body: "",
        }),
        400,
        "console:emailTemplates.previewInvalid",
      ],
      [
        "lb",
        await get("/admin/email-logs/00000000-0000-4000-8000-000000000000/html?lang=lb"),
        404,
        "common:errors.notFound.title",
      ],
    ] as const;
    for (const [locale, response, status, title] of cases) {
      expect(response.status).toBe(status);
      expect(response.body).toMatch(new RegExp(`^<!DOCTYPE html><html lang="${locale}">`));
      expect(response.body).toContain(inHtml(serverI18n(locale).t(title)));
    }
  });

  it("queues a preview to an address as a row and a job in one transaction", async () => {
    const response = await post("/admin/email-templates/password_reset/lb", {
      intent: "send-preview",
      previewTo: "qa@example.com",
      subject: "Test {{name}}",
      preheader: "Link",
      body: "Moien {{name}}",
    });
    expect(response.status).toBe(200);
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.recipient, "qa@example.com"));
    expect(row).toMatchObject({ templateKey: "password_reset", locale: "lb", status: "queued" });
    expect(row?.params).toMatchObject({ preview: { subject: "Test {{name}}" } });
  });

  it("answers 404 for an unknown email or language", async () => {
    expect((await get("/admin/email-templates/loyalty_nope/fr")).status).toBe(404);
    expect((await get("/admin/email-templates/loyalty_enrollment/es")).status).toBe(404);
  });
});

describe("settings", () => {
  it("stores the SMTP password encrypted and never sends it back", async () => {
    const saved = await post("/admin/settings", {
      host: "127.0.0.1",
      port: String(smtp.port),
      security: "none",
      user: "",
      password: "very secret smtp password",
      fromAddress: "club@fashionhub.example",
      fromName: "Fashion Club",
    });
    expect(saved.status).toBe(302);
    const [row] = await db
      .select()
      .from(adminSettings)
      .where(and(eq(adminSettings.category, "email"), eq(adminSettings.key, "password")));
    expect(row?.encrypted).toBe(true);
    expect(row?.value).not.toContain("very secret");
    const page = await get("/admin/settings");
    expect(page.body).not.toContain("very secret smtp password");
    expect(page.body).toContain(inHtml(en("console:settings.passwordKeep")));
    expect(page.body).toContain(`value="127.0.0.1"`);
  });

  it("keeps the saved password when the field is left empty", async () => {
    const [before] = await db.select().from(adminSettings).where(eq(adminSettings.key, "password"));
    await post("/admin/settings", { host: "127.0.0.1", port: String(smtp.port), security: "none", password: "" });
    const [after] = await db.select().from(adminSettings).where(eq(adminSettings.key, "password"));
    expect(after?.value).toBe(before?.value);
  });

  it("refuses a bad port with a message next to the field", async () => {
    const response = await post("/admin/settings", { host: "smtp://mail", port: "99999" });
    expect(response.status).toBe(400);
    expect(response.body).toContain(inHtml(en("console:settings.errors.portInvalid")));
    expect(response.body).toContain(inHtml(en("console:settings.errors.hostInvalid")));
  });

  it("sends the test email now, through the saved server, and says which one", async () => {
    await post("/admin/settings", {
      host: "127.0.0.1",
      port: String(smtp.port),
      security: "none",
      clearPassword: "on",
    });
    const response = await post("/admin/settings", { intent: "test", to: "ops@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toContain(
      inHtml(en("console:settings.testSent", { email: "ops@example.com", endpoint: `127.0.0.1:${smtp.port}` })),
    );
    const mail = await smtp.waitFor((m) => ((m.to as { text?: string })?.text ?? "").includes("ops@example.com"));
    expect(mail.text).toContain(`127.0.0.1`);
    expect(mail.text).toContain(en("email:smtpTest.sources.database"));
  });

  it("reports an unreachable server on the page, naming host and port", async () => {
    const closed = await startTestSmtpServer();
    const port = closed.port;
    await closed.close();
    await post("/admin/settings", { host: "127.0.0.1", port: String(port), security: "none" });
    const response = await post("/admin/settings", { intent: "test", to: "ops@example.com" });
    expect(response.status).toBe(502);
    expect(response.body).toContain(
      inHtml(en("console:settings.testFailed.refused", { endpoint: `127.0.0.1:${port}` })),
    );
    const [failed] = await db
      .select()
      .from(emailLogs)
      .where(eq(emailLogs.smtpHost, `127.0.0.1:${port}`));
    expect(failed).toMatchObject({ status: "failed", templateKey: "smtp_test" });
  });
});

describe("bad input", () => {
  it("answers 400, never 500, to a body that is not a form", async () => {
    const broken = await server.request(platform, "/admin/settings", {
      method: "POST",
      headers: { ...sameOrigin, cookie, "content-type": "multipart/form-data; boundary=nothing-like-it" },
      body: "not a multipart body",
    });
    expect(broken.status).toBe(400);
  });

  it("keeps control characters out of templates, settings and filters", async () => {
    const template = await post("/admin/email-templates/loyalty_card_link/en", {
      intent: "save",
      subject: "Your card\u0000",
      preheader: "ok",
      body: "Hello {{firstName}}",
    });
    expect(template.status).toBe(400);
    expect(template.body).toContain(inHtml(en("console:emailTemplates.errors.invalidCharacters")));
    const settings = await post("/admin/settings", { host: "127.0.0.1", user: "a\u0000b" });
    expect(settings.status).toBe(400);
    const filter = await get("/admin/email-logs?recipient=%00");
    expect(filter.status).toBe(200);
  });

  it("never sends the typed password back, even when the form is refused", async () => {
    const response = await post("/admin/settings", { port: "99999", password: "SuperSecretPw123" });
    expect(response.status).toBe(400);
    expect(response.body).not.toContain("SuperSecretPw123");
  });

  it("refuses credentials without TLS to a server that is not on this machine", async () => {
    const response = await post("/admin/settings", {
      host: "smtp.example.com",
      security: "none",
      user: "mailer",
      password: "pw",
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(inHtml(en("console:settings.errors.plainWithPassword")));
  });
});

describe("email log", () => {
  it("filters, shows an email and retries a failed one with a new job", async () => {
    const [failed] = await db.select().from(emailLogs).where(eq(emailLogs.status, "failed"));
    if (!failed) throw new Error("no failed email");
    const list = await get("/admin/email-logs?status=failed&template=smtp_test");
    expect(list.status).toBe(200);
    expect(list.body).toContain(`/admin/email-logs/${failed.id}"`);
    const none = await get("/admin/email-logs?status=sent&recipient=nobody-at-all");
    expect(none.body).toContain(inHtml(en("console:emailLogs.empty")));
    const detail = await get(`/admin/email-logs/${failed.id}`);
    expect(detail.body).toContain(inHtml(failed.lastError ?? ""));
    const retried = await post(`/admin/email-logs/${failed.id}`, {});
    expect(retried.status).toBe(302);
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, failed.id));
    expect(row?.status).toBe("queued");
    const jobs = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from graphile_worker._private_jobs
          where payload->>'emailLogId' = ${failed.id} and run_at <= now() + interval '1 second'`,
    );
    expect(jobs[0]?.count).toBe(1);
    const again = await post(`/admin/email-logs/${failed.id}`, {});
    expect(again.status).toBe(409);
  });

  it("shows the sent email's HTML in its own locked-down document", async () => {
    const [sent] = await db.select().from(emailLogs).where(eq(emailLogs.status, "sent"));
    if (!sent) throw new Error("no sent email");
    const html = await get(`/admin/email-logs/${sent.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers["content-security-policy"]).toContain("sandbox");
    expect(html.body).toContain("<html");
  });
});

describe("one-click unsubscribe", () => {
  it("asks on GET, and turns reminders off on the mail client's POST", async () => {
    const result = await enrollCustomer(db, store, {
      firstName: "Mia",
      lastName: "Roth",
      email: "mia@example.com",
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "en",
    });
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId)).limit(1);
    const customerId = row?.customerId ?? "";
    const url = new URL(unsubscribeUrl(server.config.APP_SECRET, "http://fashionhub.localhost:3000", customerId));
    const page = await server.request("fashionhub.localhost", url.pathname);
    expect(page.status).toBe(200);
    expect(await optedOut(customerId)).toBe(false);
    // Mail providers post from their servers: no Origin, no cookies, the RFC 8058 body.
    const oneClick = await server.request("fashionhub.localhost", url.pathname, {
      form: { "List-Unsubscribe": "One-Click" },
    });
    expect(oneClick.status).toBe(200);
    expect(await optedOut(customerId)).toBe(true);
    const reminder = await queueReminder(db, {
      kind: "loyalty_points_expiring",
      locale: "en",
      recipient: "mia@example.com",
      merchantId: store.merchantId,
      storeId: store.id,
      customerId,
      cardId: result.cardId,
      params: { expiringPoints: 40, expiresOn: "2026-12-31" },
    });
    expect(reminder).toBeNull();
    const reminders = await db
      .select()
      .from(emailLogs)
      .where(and(eq(emailLogs.customerId, customerId), eq(emailLogs.templateKey, "loyalty_points_expiring")));
    expect(reminders).toHaveLength(0);
    const otherMerchant = await server.request("wizatech.localhost", url.pathname);
    expect(otherMerchant.status).toBe(404);
    const forged = await server.request("fashionhub.localhost", `/loyalty/unsubscribe/${customerId}.forged`, {
      form: { "List-Unsubscribe": "One-Click" },
    });
    expect(forged.status).toBe(404);
  });
});

async function templateRow(key: "loyalty_enrollment" | "loyalty_welcome_bonus", locale: "fr" | "de") {
  const [row] = await db
    .select()
    .from(emailTemplates)
    .where(and(eq(emailTemplates.key, key), eq(emailTemplates.locale, locale)));
  return row;
}

async function optedOut(customerId: string) {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  return row?.remindersOptedOutAt !== null;
}
