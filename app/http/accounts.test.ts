import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { serverI18n } from "~/i18n/resources.server";
import { createLogger } from "~/logger.server";
import { users } from "~/modules/auth/schema";
import { createUser } from "~/modules/auth/users.server";
import { defaultTemplates } from "~/modules/messaging/default-templates";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";
import { type RunningWorker, startWorker } from "~/worker/worker.server";

const { db, url } = await createTestDatabase();
let server: TestServer;
let smtp: TestSmtpServer;
let worker: RunningWorker;
const platform = "localhost";
const origin = { origin: "http://localhost:3000" };
const password = "correct horse battery";

beforeAll(async () => {
  await seedDemoData(db);
  await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  smtp = await startTestSmtpServer();
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000", ENROLL_RATE_LIMIT: "1000" });
  const config = loadConfig({
    DATA_DIR: "/tmp/rewardflow-accounts-test",
    APP_SECRET: "x".repeat(32),
    ...smtp.env,
    PORT: "3000",
  });
  worker = await startWorker({ config, db, connectionString: url, logger: createLogger("silent"), pollInterval: 200 });
});
afterAll(async () => {
  await worker.stop();
  await smtp.close();
});

async function signIn(email: string, secret = password) {
  const response = await server.request(platform, "/login", { form: { email, password: secret }, headers: origin });
  return { status: response.status, cookie: String(response.headers["set-cookie"]).split(";")[0] ?? "" };
}

async function linkFromEmail(to: string, subject: string): Promise<string> {
  const mail = await smtp.waitFor(
    (m) => ((m.to as { text?: string })?.text ?? "").includes(to) && m.subject === subject,
  );
  const match = /http:\/\/localhost:3000(\/reset-password\?token=[\w-]+&lang=\w+)/.exec(mail.text ?? "");
  if (!match?.[1]) throw new Error("no link in the email");
  return match[1];
}

describe("password reset", () => {
  it("emails a one-time link that sets a new password and ends the old sessions", async () => {
    await createUser(db, {
      email: "forgetful@test.example",
      name: "Forgetful",
      password,
      role: "platform_admin",
      preferredLanguage: "de",
    });
    const before = await signIn("forgetful@test.example");
    const known = await server.request(platform, "/forgot-password?lang=de", {
      form: { email: "FORGETFUL@test.example" },
      headers: origin,
    });
    const unknown = await server.request(platform, "/forgot-password?lang=de", {
      form: { email: "nobody@test.example" },
      headers: origin,
    });
    expect(known.status).toBe(200);
    expect(known.body).toContain(inHtml(serverI18n("de").t("console:forgotPassword.sent")));
    const strip = (body: string) => body.replace(/nonce="[^"]+"/g, "").replace(/nonce-[^']+/g, "");
    expect(strip(unknown.body)).toBe(strip(known.body));

    const link = await linkFromEmail("forgetful@test.example", defaultTemplates.de.password_reset.subject);
    const form = await server.request(platform, link);
    expect(form.status).toBe(200);
    const token = new URL(`http://x${link}`).searchParams.get("token") ?? "";
    const mismatch = await server.request(platform, link, {
      form: { token, password: "a new long password", confirm: "something else" },
      headers: origin,
    });
    expect(mismatch.status).toBe(400);
    const short = await server.request(platform, `${link}`, {
      form: { token, password: "short", confirm: "short" },
      headers: origin,
    });
    expect(short.body).toContain(inHtml(serverI18n("de").t("console:resetPassword.errors.passwordTooShort")));

    const done = await server.request(platform, link, {
      form: { token, password: "a new long password", confirm: "a new long password" },
      headers: origin,
    });
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe("/login?passwordSet=1");
    expect((await server.request(platform, "/admin", { headers: { cookie: before.cookie } })).status).toBe(302);
    expect((await signIn("forgetful@test.example")).status).toBe(401);
    expect((await signIn("forgetful@test.example", "a new long password")).status).toBe(302);

    const again = await server.request(platform, link, {
      form: { token, password: "yet another password", confirm: "yet another password" },
      headers: origin,
    });
    expect(again.status).toBe(400);
    expect(again.body).toContain(inHtml(serverI18n("de").t("console:resetPassword.invalid")));

    const [log] = await db
      .select()
      .from(emailLogs)
      .where(sql`${emailLogs.templateKey} = 'password_reset' and ${emailLogs.recipient} = 'forgetful@test.example'`);
    expect(log?.status).toBe("sent");
    expect(log?.html).not.toContain(token);
    expect(log?.html).toContain("[redacted]");
  });
});

describe("invitations and user administration", () => {
  it("invites a store manager who sets a password and lands in the merchant portal", async () => {
    const admin = await signIn("admin@test.example");
    const [outlet] = await db.select().from(stores).where(eq(stores.code, "FASHIONOUTLET"));
    const invite = await server.request(platform, "/admin/users/new", {
      form: {
        email: "new.manager@test.example",
        name: "Nina Manager",
        role: "store_manager",
        merchantId: outlet?.merchantId ?? "",
        storeId: outlet?.id ?? "",
        preferredLanguage: "lb",
      },
      headers: { ...origin, cookie: admin.cookie },
    });
    expect(invite.status).toBe(302);
    const link = await linkFromEmail("new.manager@test.example", defaultTemplates.lb.staff_invitation.subject);
    const token = new URL(`http://x${link}`).searchParams.get("token") ?? "";
    await server.request(platform, link, {
      form: { token, password: "manager password 1", confirm: "manager password 1" },
      headers: origin,
    });
    const manager = await signIn("new.manager@test.example", "manager password 1");
    expect(manager.status).toBe(302);
    const portal = await server.request(platform, "/merchant/cards", { headers: { cookie: manager.cookie } });
    expect(portal.status).toBe(200);
    expect(/<html[^>]* lang="lb"/.test(portal.body)).toBe(true);
  });

  it.each([
    ["a store of another merchant", { role: "store_manager", storeOf: "WIZATECH" }, "storeNotOfMerchant"],
    ["no merchant for an owner", { role: "merchant_owner", merchantId: "" }, "merchantRequired"],
    ["a taken email", { email: "ADMIN@test.example" }, "emailTaken"],
    ["a bad email", { email: "not-an-email" }, "emailInvalid"],
    ["markup in the name", { name: "<img src=x>" }, "nameInvalid"],
  ])("refuses an invitation with %s", async (_label, change, key) => {
    const admin = await signIn("admin@test.example");
    const [hub] = await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"));
    const [other] = await db.select().from(stores).where(eq(stores.code, "WIZATECH"));
    const { storeOf, ...rest } = change as Record<string, string>;
    const form = {
      email: "someone@test.example",
      name: "Someone",
      role: "store_staff",
      merchantId: hub?.merchantId ?? "",
      storeId: storeOf ? (other?.id ?? "") : (hub?.id ?? ""),
      preferredLanguage: "en",
      ...rest,
    };
    const response = await server.request(platform, "/admin/users/new?lang=en", {
      form,
      headers: { ...origin, cookie: admin.cookie },
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      inHtml(serverI18n("en").t(`console:users.errors.${key}` as "console:login.failed")),
    );
    expect(await db.select().from(users).where(eq(users.email, "someone@test.example"))).toHaveLength(0);
  });

  it("deactivating a user ends their session; the last active admin cannot be demoted", async () => {
    const admin = await signIn("admin@test.example");
    const target = await createUser(db, {
      email: "leaving@test.example",
      name: "Leaving",
      password,
      role: "platform_admin",
    });
    const leaving = await signIn("leaving@test.example");
    const off = await server.request(platform, `/admin/users/${target.id}`, {
      form: { role: "platform_admin" },
      headers: { ...origin, cookie: admin.cookie },
    });
    expect(off.status).toBe(302);
    expect((await server.request(platform, "/admin", { headers: { cookie: leaving.cookie } })).status).toBe(302);
    expect((await signIn("leaving@test.example")).status).toBe(401);

    const adminUsers = await db
      .select()
      .from(users)
      .where(sql`${users.role} = 'platform_admin' and ${users.active} and ${users.email} <> 'admin@test.example'`);
    for (const other of adminUsers) await db.update(users).set({ active: false }).where(eq(users.id, other.id));
    const [self] = await db.select().from(users).where(eq(users.email, "admin@test.example"));
    const demote = await server.request(platform, `/admin/users/${self?.id}?lang=en`, {
      form: { role: "merchant_owner", merchantId: "", active: "on" },
      headers: { ...origin, cookie: admin.cookie },
    });
    expect(demote.status).toBe(400);
    const lastAdmin = await server.request(platform, `/admin/users/${self?.id}?lang=en`, {
      form: { role: "platform_admin" },
      headers: { ...origin, cookie: admin.cookie },
    });
    expect(lastAdmin.status).toBe(400);
    expect(lastAdmin.body).toContain(inHtml(serverI18n("en").t("console:users.errors.lastAdmin")));
  });
});
