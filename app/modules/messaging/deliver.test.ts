import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { createLogger } from "~/logger.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";
import { deliverEmail, sendLeaseSeconds } from "./deliver.server";
import { createMailer } from "./transport.server";

const { db } = await createTestDatabase();
const logger = createLogger("silent");
let smtp: TestSmtpServer;
let store: Store;

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

function deps(smtpEnv: Record<string, string>) {
  const config = loadConfig({
    DATA_DIR: "/tmp/rewardflow-deliver-test",
    APP_SECRET: "x".repeat(32),
    PORT: "3000",
    ...smtpEnv,
  });
  return { db, logger, config, mailer: createMailer(db) };
}

function at(port: number) {
  return { SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port), SMTP_SECURITY: "none" };
}

async function enroll(email: string, locale: "fr" | "de" | "lb" | "en" = "fr") {
  const result = await enrollCustomer(db, store, {
    firstName: "Léa",
    lastName: "Schmit",
    email,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale,
  });
  return db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId));
}

describe("deliverEmail over SMTP", () => {
  it("sends the enrollment email in the shopper's language with the QR inline and records the route used", async () => {
    const logs = await enroll("lea@example.com", "fr");
    const d = deps(smtp.env);
    for (const log of logs) await deliverEmail(d, log.id, { attempt: 1, maxAttempts: 8 });
    const enrollment = await smtp.waitFor(
      (mail) => recipient(mail).includes("lea@example.com") && mail.attachments.length > 0,
    );
    expect(recipient(enrollment)).toContain("lea@example.com");
    expect(enrollment.html).toContain('lang="fr"');
    expect(enrollment.text).toContain("/loyalty/card/");
    const qr = enrollment.attachments.find((a) => a.contentType === "image/png");
    expect(qr?.contentId).toBeTruthy();
    expect(enrollment.html).toContain(`cid:${qr?.contentId?.replace(/[<>]/g, "")}`);
    expect(enrollment.messageId).toBeTruthy();
    expect(enrollment.date).toBeInstanceOf(Date);
    const rows = await db
      .select()
      .from(emailLogs)
      .where(
        inArray(
          emailLogs.id,
          logs.map((l) => l.id),
        ),
      );
    for (const row of rows) {
      expect(row).toMatchObject({
        status: "sent",
        attempts: 1,
        provider: "smtp",
        smtpHost: `127.0.0.1:${smtp.port}`,
        lastError: null,
      });
      expect(row.messageId).toMatch(/^<.+>$/);
      expect(row.subject).toBeTruthy();
      expect(row.html).toContain("<html");
    }
  });

  it("never sends a row that is already sent", async () => {
    const [log] = await enroll("once@example.com");
    if (!log) throw new Error("no email row");
    const d = deps(smtp.env);
    await deliverEmail(d, log.id, { attempt: 1, maxAttempts: 8 });
    await deliverEmail(d, log.id, { attempt: 2, maxAttempts: 8 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.messages.filter((mail) => recipient(mail).includes("once@example.com"))).toHaveLength(1);
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(row?.attempts).toBe(1);
  });

  it("lets only one sender hold a row: a second one at the same time sends nothing", async () => {
    const [log] = await enroll("racing@example.com");
    if (!log) throw new Error("no email row");
    const slow = await startTestSmtpServer({ acceptDelayMs: 300 });
    try {
      const [first, second] = await Promise.all([
        deliverEmail(deps(slow.env), log.id, { attempt: 1, maxAttempts: 8 }),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
          deliverEmail(deps(slow.env), log.id, { attempt: 1, maxAttempts: 8 }),
        ),
      ]);
      expect(first.status).toBe("sent");
      expect(second.status).toBe("busy");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(slow.messages.filter((mail) => recipient(mail).includes("racing@example.com"))).toHaveLength(1);
    } finally {
      await slow.close();
    }
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(row).toMatchObject({ status: "sent", attempts: 1, claimToken: null });
  });

  it("keeps the lease of a send that outlives its deadline, and records it when it lands", async () => {
    const [log] = await enroll("slowpoke@example.com");
    if (!log) throw new Error("no email row");
    const slow = await startTestSmtpServer({ acceptDelayMs: 700 });
    try {
      const first = await deliverEmail({ ...deps(slow.env), deadlineMs: 200 }, log.id, { attempt: 1, maxAttempts: 1 });
      expect(first.status).toBe("busy");
      const [meanwhile] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
      expect(meanwhile?.status).toBe("sending");
      // A retry while the first send is still on its way sends nothing.
      expect((await deliverEmail(deps(slow.env), log.id, { attempt: 2, maxAttempts: 8 })).status).toBe("busy");
      await expect
        .poll(async () => (await db.select().from(emailLogs).where(eq(emailLogs.id, log.id)))[0]?.status, {
          timeout: 5000,
        })
        .toBe("sent");
      expect(slow.messages.filter((mail) => recipient(mail).includes("slowpoke@example.com"))).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it("takes over a sending row only once its lease has run out", async () => {
    const [log] = await enroll("lease@example.com");
    if (!log) throw new Error("no email row");
    await db
      .update(emailLogs)
      .set({ status: "sending", claimedAt: new Date(Date.now() - 10_000), claimedBy: "elsewhere" })
      .where(eq(emailLogs.id, log.id));
    expect((await deliverEmail(deps(smtp.env), log.id, { attempt: 2, maxAttempts: 8 })).status).toBe("busy");
    await db
      .update(emailLogs)
      .set({ claimedAt: new Date(Date.now() - (sendLeaseSeconds + 5) * 1000) })
      .where(eq(emailLogs.id, log.id));
    expect((await deliverEmail(deps(smtp.env), log.id, { attempt: 3, maxAttempts: 8 })).status).toBe("sent");
  });

  it("fails at once on a permanent (5xx) SMTP refusal", async () => {
    const [log] = await enroll("bounce@example.com");
    if (!log) throw new Error("no email row");
    smtp.rejectRecipients(550);
    try {
      await deliverEmail(deps(smtp.env), log.id, { attempt: 1, maxAttempts: 8 });
    } finally {
      smtp.rejectRecipients(null);
    }
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(row?.status).toBe("failed");
    expect(row?.lastError).toMatch(/550/);
  });

  it("keeps a transient failure queued and rethrows so the job retries, then sends when the server is back", async () => {
    const [log] = await enroll("later@example.com");
    if (!log) throw new Error("no email row");
    const down = await startTestSmtpServer();
    const port = down.port;
    await down.close();
    const d = deps(at(port));
    const outcome = await deliverEmail(d, log.id, { attempt: 1, maxAttempts: 8 });
    expect(outcome.status).toBe("queued");
    const [queued] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(queued).toMatchObject({ status: "queued", attempts: 1 });
    expect(queued?.lastError).toMatch(/ECONNREFUSED/);
    const back = await startTestSmtpServer({ port });
    const backDeps = deps(back.env);
    try {
      await deliverEmail(backDeps, log.id, { attempt: 2, maxAttempts: 8 });
      await back.waitFor((mail) => recipient(mail).includes("later@example.com"));
    } finally {
      backDeps.mailer.close();
      await back.close();
    }
    const [sent] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("marks the row failed on the last attempt", async () => {
    const [log] = await enroll("never@example.com");
    if (!log) throw new Error("no email row");
    const down = await startTestSmtpServer();
    const port = down.port;
    await down.close();
    await deliverEmail(deps(at(port)), log.id, { attempt: 8, maxAttempts: 8 });
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
    expect(row?.status).toBe("failed");
  });
});

function recipient(mail: { to?: unknown }): string {
  const to = mail.to as { text?: string } | undefined;
  return to?.text ?? "";
}
