import { randomBytes } from "node:crypto";
import net from "node:net";
import type { Locator, Page } from "@playwright/test";
import type { AddressObject, ParsedMail } from "mailparser";
import { startTestSmtpServer, type TestSmtpServer } from "../app/test/smtp";
import { platformUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, pageLocale, t } from "./fixtures/i18n";
import { clearSavedEmailSettings, emailSubject, mailCapturePort, waitForEmail } from "./fixtures/mail";
import { demoStaff, signIn } from "./fixtures/staff";
import { expect, test } from "./fixtures/test";

/**
 * Journey 8 — The admin sets SMTP. This spec starts its own SMTP server (STARTTLS and AUTH,
 * presenting the self-signed certificate the app trusts through SMTP_TLS_CA_FILE, see
 * e2e/global-setup.ts). The admin saves host, port, STARTTLS, user and password (the eye toggle
 * shows the typed password; the page never shows it again), sends a test email: it reaches that
 * server over TLS as the authenticated user, and states the host, port, security, user, sender
 * and where each came from. A closed port gives a clear "refused" message naming host and port.
 * Finally the admin empties the form: the app is back on the environment's server (the capture
 * server every other spec reads), which a last test email proves. An afterAll removes any saved
 * setting should the test stop halfway.
 *
 * The console strings (and the test email, written in the admin's language) are read in the
 * admin's saved language, taken from the page's `<html lang>`.
 */

test.use({ locale: "pt-PT" });

const smtpUser = `rewardflow-e2e-${randomBytes(3).toString("hex")}`;
const smtpPassword = `S3cret-${randomBytes(12).toString("base64url")}`;
let smtp: TestSmtpServer | undefined;

test.beforeAll(async () => {
  smtp = await startTestSmtpServer({ security: "starttls", auth: { user: smtpUser, pass: smtpPassword } });
});

test.afterAll(async () => {
  // Every later spec must send through the environment's capture server again.
  await clearSavedEmailSettings();
  await smtp?.close();
});

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

const recipients = (mail: ParsedMail) =>
  [mail.to]
    .flat()
    .filter((group): group is AddressObject => group !== undefined)
    .flatMap((group) => group.value.map((entry) => entry.address?.toLowerCase()));

type Source = "database" | "environment" | "default";
/** The rows of "Settings in use", in page order. */
const inUseKeys = ["host", "port", "security", "user", "password", "fromAddress", "fromName"] as const;
type InUseKey = (typeof inUseKeys)[number];

/**
 * The form's fields and the tables of /admin/settings, by their labels in the admin's language.
 *
 * `expectInUse` checks "Settings in use": values, column headings, the security mode and the
 * sources (email:smtpTest.* strings, which the console surface sends to the browser too).
 */
function settingsPage(page: Page, admin: Locale) {
  const c = (key: string, vars?: Record<string, string | number>) => t(admin, `console:${key}`, vars);
  const mail = (key: string) => t(admin, `email:smtpTest.${key}`);
  const field = (key: string) => page.getByLabel(c(`settings.${key}`), { exact: true });
  const effective = page.getByRole("region", { name: c("settings.effectiveHeading") });
  const testSection = page.getByRole("region", { name: c("settings.testHeading") });
  const eye = page.getByRole("button", { name: c("settings.showPassword"), exact: true });
  const inUseRow = (key: InUseKey): Locator =>
    effective
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: c(`settings.${key}`), exact: true }) });
  return {
    c,
    mail,
    host: field("host"),
    port: field("port"),
    security: field("security"),
    user: field("user"),
    password: field("password"),
    clearPassword: page.getByLabel(c("settings.clearPassword"), { exact: true }),
    eye,
    save: page.getByRole("button", { name: c("settings.save"), exact: true }),
    testTo: testSection.getByLabel(c("settings.testTo"), { exact: true }),
    sendTest: testSection.getByRole("button", { name: c("settings.sendTest"), exact: true }),
    testSection,
    /** The value shown for one setting in "Settings in use". */
    inUseValue: (key: InUseKey) => inUseRow(key).getByRole("cell").first(),
    async expectInUse(values: Partial<Record<InUseKey, string>>, security: string, sources: Record<InUseKey, Source>) {
      // Hydrated first (the eye toggle appears then): the checks must see the final page.
      await expect(eye).toBeVisible();
      for (const [key, value] of Object.entries(values)) {
        await expect(
          inUseRow(key as InUseKey)
            .getByRole("cell")
            .first(),
        ).toHaveText(value);
      }
      await expect(effective.getByRole("columnheader"), "column headings of Settings in use").toHaveText([
        mail("setting"),
        mail("value"),
        mail("source"),
      ]);
      await expect(inUseRow("security").getByRole("cell").first(), "security mode in use").toHaveText(
        mail(`securityModes.${security}`),
      );
      await expect(effective.locator("tbody tr > td:last-child"), "sources of the settings in use").toHaveText(
        inUseKeys.map((key) => mail(`sources.${sources[key]}`)),
      );
    },
  };
}

/** Where each value comes from with nothing saved: the app's environment (global-setup.ts), no SMTP user or password. */
const environmentSources: Record<InUseKey, Source> = {
  host: "environment",
  port: "environment",
  security: "environment",
  user: "default",
  password: "default",
  fromAddress: "environment",
  fromName: "environment",
};
/** …and with the server saved in the admin settings (the sender stays the environment's). */
const savedSources: Record<InUseKey, Source> = {
  ...environmentSources,
  host: "database",
  port: "database",
  security: "database",
  user: "database",
  password: "database",
};

test("admin saves STARTTLS SMTP settings, sends a test email that states them, then puts the environment back", async ({
  page,
  context,
}) => {
  if (!smtp) throw new Error("the STARTTLS test server did not start");
  const server = smtp;
  const endpoint = `127.0.0.1:${server.port}`;

  await signIn(page, demoStaff.admin.email, demoStaff.admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  const admin = await pageLocale(page);
  const s = settingsPage(page, admin);
  const { c, mail } = s;
  /**
   * A fresh /admin/settings, hydrated before anything is typed: today the page's hydration
   * mismatch (see settingsPage) makes React render it again on the client, which drops whatever
   * was typed before that.
   */
  const openSettings = async () => {
    await page.goto(platformUrl("/admin/settings"));
    await expect(s.eye).toBeVisible();
  };
  const rawHtml = async () => (await page.request.get(platformUrl("/admin/settings"))).text();
  const expectNoPasswordInPage = async (when: string) => {
    expect(await page.content(), `the rendered page ${when}`).not.toContain(smtpPassword);
    expect(await rawHtml(), `the server's HTML ${when}`).not.toContain(smtpPassword);
  };

  let fromName = "";
  let fromAddress = "";

  await test.step("the settings page shows the environment's server in use", async () => {
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.settings"), exact: true })
      .click();
    await expect(page).toHaveURL(/\/admin\/settings$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("settings.title"));
    await s.expectInUse(
      { host: "127.0.0.1", port: String(mailCapturePort()), password: c("settings.passwordNotSet") },
      "none",
      environmentSources,
    );
    await expect(s.host).toHaveValue("");
    await expect(s.clearPassword).toHaveCount(0);
    fromName = (await s.inUseValue("fromName").textContent()) ?? "";
    fromAddress = (await s.inUseValue("fromAddress").textContent()) ?? "";
    expect(fromName).not.toBe("");
    expect(fromAddress).toContain("@");
  });

  await test.step("the admin fills host, port, STARTTLS, user and password; the eye shows the typed password", async () => {
    // The eye toggle appears once the page is hydrated.
    await expect(s.eye).toBeVisible();
    await s.host.fill("127.0.0.1");
    await s.port.fill(String(server.port));
    await s.security.selectOption({ label: mail("securityModes.starttls") });
    await s.user.fill(smtpUser);
    await s.password.fill(smtpPassword);
    await expect(s.password).toHaveAttribute("type", "password");
    await expect(s.eye).toHaveAttribute("aria-pressed", "false");
    await expect(s.eye).toHaveAttribute("aria-controls", "smtp-password");

    await s.eye.click();
    await expect(s.eye).toHaveAttribute("aria-pressed", "true");
    await expect(s.password).toHaveAttribute("type", "text");
    await expect(s.password).toHaveValue(smtpPassword);

    await s.eye.click();
    await expect(s.eye).toHaveAttribute("aria-pressed", "false");
    await expect(s.password).toHaveAttribute("type", "password");
    await expect(s.password).toHaveValue(smtpPassword);
  });

  await test.step("saving keeps the values, and the password never appears in the page again", async () => {
    await s.save.click();
    await expect(page).toHaveURL(/\/admin\/settings\?saved=1$/);
    await expect(page.getByRole("status")).toHaveText(c("settings.saved"));
    await expect(s.host).toHaveValue("127.0.0.1");
    await expect(s.port).toHaveValue(String(server.port));
    await expect(s.security).toHaveValue("starttls");
    await expect(s.user).toHaveValue(smtpUser);
    // Nothing pre-filled after saving: the typed password must not linger in the field, where the
    // eye would show it again.
    await expect(s.password, "the password field is empty after saving").toHaveValue("");
    await expect(s.password).toHaveAttribute("type", "password");
    await expect(s.password).toHaveAccessibleDescription(c("settings.passwordKeep"));
    await expect(s.clearPassword).not.toBeChecked();

    await s.expectInUse(
      { host: "127.0.0.1", port: String(server.port), user: smtpUser, password: c("settings.passwordSet") },
      "starttls",
      savedSources,
    );
    await expectNoPasswordInPage("after saving");
  });

  const testTo = uniqueEmail("j8-smtp-test");

  await test.step("the test email is accepted by the STARTTLS server, over TLS, from the authenticated user", async () => {
    await openSettings();
    await expect(s.testTo).toHaveValue(demoStaff.admin.email);
    await s.testTo.fill(testTo);
    await s.sendTest.click();
    await expect(s.testSection.getByRole("status")).toHaveText(c("settings.testSent", { email: testTo, endpoint }));
    await expect(s.testSection.getByRole("alert")).toHaveCount(0);
    await expectNoPasswordInPage("after the test email");

    const received = await server.waitFor((message) => recipients(message).includes(testTo));
    const session = server.sessions[server.messages.indexOf(received)];
    expect(session, "the server says how the message arrived").toBeDefined();
    expect(session?.secure, "delivered after STARTTLS").toBe(true);
    expect(session?.user, "delivered as the authenticated user").toBe(smtpUser);
    expect(server.logins).toContain(smtpUser);
    expect(received.subject).toBe(emailSubject(admin, "smtp_test", { host: "127.0.0.1" }));
  });

  await test.step("the test email states host, port, STARTTLS, user, sender and their sources", async () => {
    const received = await server.waitFor((message) => recipients(message).includes(testTo));
    const text = received.text ?? "";
    const html = typeof received.html === "string" ? received.html : "";
    expect(text).not.toContain(smtpPassword);
    expect(html).not.toContain(smtpPassword);
    const from = `${fromName} <${fromAddress}>`;
    for (const expected of [
      "127.0.0.1",
      String(server.port),
      mail("securityModes.starttls"),
      smtpUser,
      from,
      mail("sources.database"),
      mail("sources.environment"),
    ]) {
      expect(text, `the text names ${expected}`).toContain(expected);
    }

    // Row by row, in the email's own table: each setting with its value and where it came from.
    const view = await context.newPage();
    try {
      await view.setContent(html);
      await expect(view.locator("html")).toHaveAttribute("lang", admin);
      await expect(view.getByText(mail("heading"), { exact: true })).toBeVisible();
      const row = (label: string) =>
        view
          .getByRole("row")
          .filter({ has: view.getByRole("rowheader", { name: label, exact: true }) })
          .getByRole("cell");
      await expect(view.getByRole("columnheader")).toHaveText([mail("setting"), mail("value"), mail("source")]);
      const saved = mail("sources.database");
      await expect(row(mail("host"))).toHaveText(["127.0.0.1", saved]);
      await expect(row(mail("port"))).toHaveText([String(server.port), saved]);
      await expect(row(mail("security"))).toHaveText([mail("securityModes.starttls"), saved]);
      await expect(row(mail("user"))).toHaveText([smtpUser, saved]);
      await expect(row(mail("from"))).toHaveText([from, mail("sources.environment")]);
    } finally {
      await view.close();
    }
  });

  await test.step("with a closed port, the test email fails with a message naming host and port", async () => {
    const closed = await closedPort();
    await openSettings();
    await s.port.fill(String(closed));
    // A saved password never follows a changed server: the admin types it again with the new port.
    await s.password.fill(smtpPassword);
    await s.save.click();
    await expect(page).toHaveURL(/\/admin\/settings\?saved=1$/);
    await s.expectInUse(
      { host: "127.0.0.1", port: String(closed), user: smtpUser, password: c("settings.passwordSet") },
      "starttls",
      savedSources,
    );

    const failedTo = uniqueEmail("j8-smtp-refused");
    await openSettings();
    await s.testTo.fill(failedTo);
    await s.sendTest.click();
    const error = s.testSection.getByRole("alert");
    await expect(error.locator("p").first()).toHaveText(
      c("settings.testFailed.refused", { endpoint: `127.0.0.1:${closed}` }),
    );
    await expect(error.locator("code")).toContainText(String(closed));
    await expect(s.testSection.getByRole("status")).toHaveCount(0);
    expect(server.messages.some((message) => recipients(message).includes(failedTo))).toBe(false);
    await expectNoPasswordInPage("after the failed test email");
  });

  await test.step("emptying the form (and removing the password) puts the environment's server back", async () => {
    await openSettings();
    await s.host.fill("");
    await s.port.fill("");
    await s.security.selectOption("");
    await s.user.fill("");
    await s.clearPassword.check();
    await s.save.click();
    await expect(page).toHaveURL(/\/admin\/settings\?saved=1$/);
    await expect(page.getByRole("status")).toHaveText(c("settings.saved"));

    await s.expectInUse(
      { host: "127.0.0.1", port: String(mailCapturePort()), password: c("settings.passwordNotSet") },
      "none",
      environmentSources,
    );
    await expect(s.inUseValue("user")).not.toContainText(smtpUser);
    const environment = mail("sources.environment");
    await expect(s.clearPassword).toHaveCount(0);
    const rows = await withDatabase(
      (sql) => sql<{ key: string }[]>`select key from admin_settings where category = 'email'`,
    );
    expect(
      rows.map((row) => row.key),
      "no saved email setting is left",
    ).toEqual([]);

    const backTo = uniqueEmail("j8-smtp-back");
    await openSettings();
    await s.testTo.fill(backTo);
    await s.sendTest.click();
    await expect(s.testSection.getByRole("status")).toHaveText(
      c("settings.testSent", { email: backTo, endpoint: `127.0.0.1:${mailCapturePort()}` }),
    );
    const captured = await waitForEmail({ to: backTo });
    expect(captured.text).toContain(environment);
    expect(captured.text).not.toContain(mail("sources.database"));
    expect(server.messages.some((message) => recipients(message).includes(backTo))).toBe(false);
  });
});
