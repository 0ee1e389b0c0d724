import { createServer, type Socket } from "node:net";
import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { serverI18n } from "~/i18n/resources.server";
import { createLogger } from "~/logger.server";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { queueEmail, queueReminder } from "~/modules/outbox/queue.server";
import { emailLogs } from "~/modules/outbox/schema";
import type { Actor } from "~/modules/scope/scope";
import { decryptSecret } from "~/modules/settings/crypto.server";
import { adminSettings } from "~/modules/settings/schema";
import { saveSettings } from "~/modules/settings/settings.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";
import { type DeliveryOutcome, deliverEmail } from "./deliver.server";
import { effectiveEmailConfig } from "./email-config.server";
import { createMailer, EmailDeliveryError } from "./transport.server";

const { db } = await createTestDatabase();
const logger = createLogger("silent");
const appSecret = "s".repeat(32);
const credentials = { user: "club-mailer", pass: "correct horse battery staple" };
let store: Store;
let admin: Actor;

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  const user = await createUser(db, {
    email: "smtp-admin@rewardflow.example",
    name: "Sam Admin",
    password: null,
    role: "platform_admin",
  });
  admin = {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    merchantId: null,
    storeId: null,
    preferredLanguage: user.preferredLanguage,
  };
});

/** Servers and mailers opened by a test, closed after it whatever happens. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function server(options: Parameters<typeof startTestSmtpServer>[0]): Promise<TestSmtpServer> {
  const smtp = await startTestSmtpServer(options);
  cleanups.push(() => smtp.close());
  return smtp;
}

function deps(env: Record<string, string>) {
  const config = loadConfig({ DATA_DIR: "/tmp/rewardflow-smtp-test", APP_SECRET: appSecret, PORT: "3000", ...env });
  const mailer = createMailer(db);
  cleanups.unshift(() => mailer.close());
  return { db, logger, config, mailer };
}

type Deps = ReturnType<typeof deps>;

async function enroll(email: string) {
  const result = await enrollCustomer(db, store, {
    firstName: "Léa",
    lastName: "Schmit",
    email,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  const rows = await db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId));
  // Every demo program gives a welcome bonus: its welcome email carries the card and the bonus.
  const enrollment = rows.find((row) => row.templateKey === "loyalty_enrollment_with_bonus");
  if (!enrollment) throw new Error("enrollment queued no loyalty_enrollment_with_bonus email");
  return { result, rows, enrollment };
}

async function deliver(d: Deps, emailLogId: string): Promise<DeliveryOutcome> {
  return deliverEmail(d, emailLogId, { attempt: 1, maxAttempts: 8 });
}

async function row(emailLogId: string) {
  const [found] = await db.select().from(emailLogs).where(eq(emailLogs.id, emailLogId));
  if (!found) throw new Error(`email_logs row ${emailLogId} is gone`);
  return found;
}

function to(address: string) {
  return (mail: ParsedMail) => ((mail.to as { text?: string } | undefined)?.text ?? "").includes(address);
}

/** The error a failed delivery reported, checked to be our classified SMTP error. */
function deliveryError(outcome: DeliveryOutcome): EmailDeliveryError {
  if (outcome.status === "sent" || outcome.status === "skipped") {
    throw new Error(`expected the delivery to fail, it was ${outcome.status}`);
  }
  expect(outcome.error).toBeInstanceOf(EmailDeliveryError);
  return outcome.error as EmailDeliveryError;
}

/** The value and source cells of one row of the SMTP test email's settings table (plain-text part). */
function detailRow(text: string, label: string): { value: string; source: string } {
  const lines = text.split("\n").map((line) => line.trim());
  const at = lines.indexOf(label);
  if (at < 0) throw new Error(`no "${label}" row in the SMTP test email:\n${text}`);
  return { value: lines[at + 1] ?? "", source: lines[at + 2] ?? "" };
}

function headerLine(mail: ParsedMail, key: string): string | undefined {
  return mail.headerLines.find((header) => header.key === key)?.line.replace(/\r?\n\s+/g, " ");
}

describe("delivery over real SMTP", () => {
  it("delivers over STARTTLS with AUTH, trusting the server's certificate through SMTP_TLS_CA_FILE", async () => {
    const smtp = await server({ security: "starttls", auth: credentials });
    expect(smtp.env.SMTP_TLS_CA_FILE).toBeTruthy();
    const d = deps(smtp.env);
    const { enrollment } = await enroll("starttls@example.com");
    const outcome = await deliver(d, enrollment.id);
    expect(outcome.status).toBe("sent");
    const mail = await smtp.waitFor(to("starttls@example.com"));
    expect(smtp.logins).toContain(credentials.user);
    expect(smtp.sessions[smtp.messages.indexOf(mail)]).toEqual({ secure: true, user: credentials.user });
    expect(await row(enrollment.id)).toMatchObject({
      status: "sent",
      attempts: 1,
      provider: "smtp",
      smtpHost: `127.0.0.1:${smtp.port}`,
      lastError: null,
    });
  });

  it("delivers over implicit TLS (port 465 style) with AUTH", async () => {
    const smtp = await server({ security: "tls", auth: credentials });
    const d = deps(smtp.env);
    const { enrollment } = await enroll("implicit-tls@example.com");
    const outcome = await deliver(d, enrollment.id);
    expect(outcome.status).toBe("sent");
    const mail = await smtp.waitFor(to("implicit-tls@example.com"));
    expect(smtp.logins).toContain(credentials.user);
    expect(smtp.sessions[smtp.messages.indexOf(mail)]).toEqual({ secure: true, user: credentials.user });
    expect(await row(enrollment.id)).toMatchObject({
      status: "sent",
      attempts: 1,
      provider: "smtp",
      smtpHost: `127.0.0.1:${smtp.port}`,
      lastError: null,
    });
  });

  it("fails at once, naming the endpoint, when the server refuses the password", async () => {
    const smtp = await server({ security: "starttls", auth: credentials });
    const d = deps({ ...smtp.env, SMTP_PASSWORD: "wrong password" });
    const { enrollment } = await enroll("wrong-password@example.com");
    const outcome = await deliver(d, enrollment.id);
    expect(outcome.status).toBe("failed");
    const error = deliveryError(outcome);
    expect(error.problem).toBe("auth");
    expect(error.permanent).toBe(true);
    const failed = await row(enrollment.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, smtpHost: `127.0.0.1:${smtp.port}` });
    expect(failed.lastError).toContain(`127.0.0.1:${smtp.port}`);
    expect(smtp.logins).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it("refuses a STARTTLS server whose certificate is not trusted, and says it is a TLS problem", async () => {
    const smtp = await server({ security: "starttls", auth: credentials });
    const { SMTP_TLS_CA_FILE: _trusted, ...untrusted } = smtp.env;
    const d = deps(untrusted);
    expect(d.config.smtpTlsCa).toBeNull();
    const { enrollment } = await enroll("untrusted@example.com");
    const outcome = await deliver(d, enrollment.id);
    const error = deliveryError(outcome);
    expect(error.problem).toBe("tls");
    expect(error.message).toContain(`127.0.0.1:${smtp.port}`);
    const notSent = await row(enrollment.id);
    expect(notSent.status).not.toBe("sent");
    expect(notSent.attempts).toBe(1);
    expect(notSent.lastError).toContain(`127.0.0.1:${smtp.port}`);
    // The password never went over a connection whose server could not be verified.
    expect(smtp.logins).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it("gives up on a port that accepts connections but never greets, within seconds", { timeout: 15_000 }, async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => {
      held.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of held) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const address = silent.address();
    if (!address || typeof address === "string") throw new Error("silent server has no port");
    const endpoint = `127.0.0.1:${address.port}`;
    const d = deps({ SMTP_HOST: "127.0.0.1", SMTP_PORT: String(address.port), SMTP_SECURITY: "none" });
    const { enrollment } = await enroll("silent@example.com");
    const started = Date.now();
    const outcome = await deliver(d, enrollment.id);
    const elapsed = Date.now() - started;
    expect(held.length).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(8000);
    const error = deliveryError(outcome);
    expect(error.problem).toBe("timeout");
    expect(error.message).toContain(endpoint);
    const waiting = await row(enrollment.id);
    expect(waiting.status).toBe("queued");
    expect(waiting.lastError).toContain(endpoint);
  });

  it("sends through the settings saved in the database rather than the environment", async () => {
    const fromEnvironment = await server({ security: "none" });
    const fromDatabase = await server({ security: "starttls", auth: credentials });
    const env = {
      ...fromEnvironment.env,
      SMTP_TLS_CA_FILE: String(fromDatabase.env.SMTP_TLS_CA_FILE),
      EMAIL_FROM: "Fashion Club <club@fashionhub.example>",
    };
    const d = deps(env);
    await saveSettings(db, admin, d.config.APP_SECRET, "email", [
      { key: "host", value: "127.0.0.1" },
      { key: "port", value: String(fromDatabase.port) },
      { key: "security", value: "starttls" },
      { key: "user", value: credentials.user },
      { key: "password", value: credentials.pass, secret: true },
    ]);
    try {
      const effective = await effectiveEmailConfig(db, d.config);
      expect(effective).toMatchObject({
        provider: "smtp",
        host: "127.0.0.1",
        port: fromDatabase.port,
        security: "starttls",
        user: credentials.user,
        password: credentials.pass,
        fromAddress: "club@fashionhub.example",
        fromName: "Fashion Club",
      });
      expect(effective.sources).toEqual({
        host: "database",
        port: "database",
        security: "database",
        user: "database",
        password: "database",
        fromAddress: "environment",
        fromName: "environment",
      });

      const [password] = await db
        .select()
        .from(adminSettings)
        .where(and(eq(adminSettings.category, "email"), eq(adminSettings.key, "password")));
      expect(password?.encrypted).toBe(true);
      expect(password?.value).not.toContain(credentials.pass);
      expect(decryptSecret(d.config.APP_SECRET, password?.value ?? "")).toBe(credentials.pass);

      const { enrollment } = await enroll("db-settings@example.com");
      const outcome = await deliver(d, enrollment.id);
      expect(outcome.status).toBe("sent");
      const mail = await fromDatabase.waitFor(to("db-settings@example.com"));
      expect(fromDatabase.logins).toContain(credentials.user);
      expect(fromDatabase.sessions[fromDatabase.messages.indexOf(mail)]?.secure).toBe(true);
      expect(fromEnvironment.messages.filter(to("db-settings@example.com"))).toEqual([]);
      expect(await row(enrollment.id)).toMatchObject({
        status: "sent",
        provider: "smtp",
        smtpHost: `127.0.0.1:${fromDatabase.port}`,
        fromAddress: "club@fashionhub.example",
      });
    } finally {
      await saveSettings(
        db,
        admin,
        d.config.APP_SECRET,
        "email",
        ["host", "port", "security", "user", "password"].map((key) => ({ key, value: null })),
      );
    }
  });

  it("reports in the SMTP test email the settings it was sent with and where each came from", async () => {
    const smtp = await server({ security: "tls" });
    const d = deps(smtp.env);
    const { t } = serverI18n("fr");
    const fromDatabase = t("email:smtpTest.sources.database");
    const fromEnvironment = t("email:smtpTest.sources.environment");
    const fromDefault = t("email:smtpTest.sources.default");
    expect(new Set([fromDatabase, fromEnvironment, fromDefault]).size).toBe(3);
    const labels = {
      host: t("email:smtpTest.host"),
      port: t("email:smtpTest.port"),
      security: t("email:smtpTest.security"),
      user: t("email:smtpTest.user"),
    };

    const sendTest = async (recipient: string) => {
      const id = await db.transaction((tx) =>
        queueEmail(tx, { kind: "smtp_test", locale: "fr", recipient, userId: admin.userId }),
      );
      const outcome = await deliver(d, id);
      expect(outcome.status).toBe("sent");
      const mail = await smtp.waitFor(to(recipient));
      expect(mail.text).toBeTruthy();
      return mail.text ?? "";
    };

    const envOnly = await sendTest("smtp-test-env@example.com");
    expect(detailRow(envOnly, labels.host)).toEqual({ value: "127.0.0.1", source: fromEnvironment });
    expect(detailRow(envOnly, labels.port)).toEqual({ value: String(smtp.port), source: fromEnvironment });
    expect(detailRow(envOnly, labels.security)).toEqual({
      value: t("email:smtpTest.securityModes.tls"),
      source: fromEnvironment,
    });
    expect(t("email:smtpTest.securityModes.tls")).toBe("TLS implicite");
    expect(detailRow(envOnly, labels.user)).toEqual({ value: t("email:smtpTest.noUser"), source: fromDefault });

    await saveSettings(db, admin, d.config.APP_SECRET, "email", [{ key: "host", value: "127.0.0.1" }]);
    try {
      const hostSaved = await sendTest("smtp-test-db@example.com");
      expect(detailRow(hostSaved, labels.host)).toEqual({ value: "127.0.0.1", source: fromDatabase });
      expect(detailRow(hostSaved, labels.port)).toEqual({ value: String(smtp.port), source: fromEnvironment });
      expect(detailRow(hostSaved, labels.security)).toEqual({ value: "TLS implicite", source: fromEnvironment });
    } finally {
      await saveSettings(db, admin, d.config.APP_SECRET, "email", [{ key: "host", value: null }]);
    }
  });

  it("sends a shopper email in the store's name from the configured address, replies to the store, with a Date and a Message-ID derived from the email row", async () => {
    const smtp = await server({ security: "none" });
    const d = deps({ ...smtp.env, EMAIL_FROM: "Fashion Club <club@fashionhub.example>" });
    const { enrollment } = await enroll("from-name@example.com");
    const before = Date.now();
    expect((await deliver(d, enrollment.id)).status).toBe("sent");
    const mail = await smtp.waitFor(to("from-name@example.com"));
    expect(mail.from?.value).toEqual([{ name: "FashionHub", address: "club@fashionhub.example" }]);
    expect(mail.replyTo?.value).toEqual([{ name: "", address: store.contactEmail }]);
    expect(store.contactEmail).toMatch(/@/);
    expect(mail.date).toBeInstanceOf(Date);
    // The Date header has a one-second resolution.
    expect(mail.date?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(mail.date?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(mail.messageId).toBe(`<${enrollment.id}@fashionhub.example>`);
    expect((await row(enrollment.id)).messageId).toBe(`<${enrollment.id}@fashionhub.example>`);
  });

  it("sends a staff email in the configured sender's name, and a shopper email of a store without a contact address without Reply-To", async () => {
    const smtp = await server({ security: "none" });
    const d = deps({ ...smtp.env, EMAIL_FROM: "Fashion Club <club@fashionhub.example>" });
    const staffEmailId = await db.transaction((tx) =>
      queueEmail(tx, { kind: "smtp_test", locale: "en", recipient: "staff-from@example.com", userId: admin.userId }),
    );
    expect((await deliver(d, staffEmailId)).status).toBe("sent");
    const staffMail = await smtp.waitFor(to("staff-from@example.com"));
    expect(staffMail.from?.value).toEqual([{ name: "Fashion Club", address: "club@fashionhub.example" }]);
    expect(staffMail.replyTo).toBeUndefined();

    await db.update(stores).set({ contactEmail: null }).where(eq(stores.id, store.id));
    cleanups.push(() => db.update(stores).set({ contactEmail: store.contactEmail }).where(eq(stores.id, store.id)));
    const { enrollment } = await enroll("no-reply-to@example.com");
    expect((await deliver(d, enrollment.id)).status).toBe("sent");
    const shopperMail = await smtp.waitFor(to("no-reply-to@example.com"));
    expect(shopperMail.from?.value).toEqual([{ name: "FashionHub", address: "club@fashionhub.example" }]);
    expect(shopperMail.replyTo).toBeUndefined();
  });

  it("adds one-click List-Unsubscribe to the points-expiring reminder, and only to it", async () => {
    const smtp = await server({ security: "none" });
    const d = deps(smtp.env);
    const { result, enrollment } = await enroll("reminder@example.com");
    const reminderId = await queueReminder(db, {
      kind: "loyalty_points_expiring",
      locale: "fr",
      recipient: "reminder@example.com",
      merchantId: store.merchantId,
      storeId: store.id,
      customerId: enrollment.customerId ?? "",
      cardId: result.cardId,
      params: { expiringPoints: 40, expiresOn: "2026-12-31" },
    });
    if (!reminderId) throw new Error("the reminder was not queued");
    expect((await deliver(d, enrollment.id)).status).toBe("sent");
    expect((await deliver(d, reminderId)).status).toBe("sent");
    const reminder = await smtp.waitFor((mail) => mail.messageId === `<${reminderId}@localhost>`);
    const welcome = await smtp.waitFor((mail) => mail.messageId === `<${enrollment.id}@localhost>`);

    const unsubscribe = headerLine(reminder, "list-unsubscribe");
    const url = /^List-Unsubscribe:\s*<(https?:\/\/[^>]+)>$/.exec(unsubscribe ?? "")?.[1];
    expect(url, `List-Unsubscribe header: ${unsubscribe}`).toBeTruthy();
    expect(url).toContain(`/loyalty/unsubscribe/${enrollment.customerId}.`);
    expect(reminder.text).toContain(url);
    expect(headerLine(reminder, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

    expect(headerLine(welcome, "list-unsubscribe")).toBeUndefined();
    expect(headerLine(welcome, "list-unsubscribe-post")).toBeUndefined();
  });
});
