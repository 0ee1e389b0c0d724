/**
 * One test per bug of the Celery + Redis system RewardFlow replaces, each of which lost emails
 * while hiding the others. Each proves the class of bug cannot come back.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import type { Executor } from "~/db/client.server";
import { jobNames } from "~/jobs/definitions";
import { enqueue } from "~/jobs/enqueue.server";
import { createLogger } from "~/logger.server";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards, loyaltyRewards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { type EmailTemplateKey, emailTemplateKeys } from "~/modules/outbox/kinds";
import { queueEmail, queueReminder } from "~/modules/outbox/queue.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";
import { assertEveryJobHasHandler, type RunningWorker, startWorker } from "~/worker/worker.server";
import { deliverEmail } from "./deliver.server";
import { createMailer, type Mailer } from "./transport.server";

const { db, url } = await createTestDatabase();
const appEnv = { DATA_DIR: "/tmp/rewardflow-lost-email-test", APP_SECRET: "l".repeat(32), PORT: "3000" };
let store: Store;
let smtp: TestSmtpServer;

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

async function staffUser(email: string, role: "platform_admin" | "merchant_owner" = "platform_admin") {
  return createUser(db, {
    email,
    name: "Nora Staff",
    password: null,
    role,
    merchantId: role === "merchant_owner" ? store.merchantId : null,
  });
}

async function enroll(email: string) {
  return enrollCustomer(db, store, {
    firstName: "Max",
    lastName: "Muller",
    email,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "de",
  });
}

/** The email row and its send_email job, as seen by `executor` (a transaction sees its own writes). */
async function emailAndJob(executor: Executor, emailLogId: string) {
  const rows = await executor.select({ id: emailLogs.id }).from(emailLogs).where(eq(emailLogs.id, emailLogId));
  const jobs = await executor.execute<{ task: string; queue_name: string | null }>(sql`
    select jobs.task_identifier as task, jobs.queue_name
    from graphile_worker.jobs as jobs
    join graphile_worker._private_jobs as private on private.id = jobs.id
    where private.payload ->> 'emailLogId' = ${emailLogId}`);
  return { email: rows.length, jobs: jobs.map((job) => job.task) };
}

describe("bugs of the system RewardFlow replaces", () => {
  describe("without a worker running", () => {
    it("wrong broker: the queue is the application's own database, written in the same transaction", async () => {
      const admin = await staffUser("broker@rewardflow.example");
      const intended = { kind: "smtp_test", locale: "en", recipient: admin.email, userId: admin.id } as const;

      const rollback = new Error("business change rolled back");
      let rolledBackId = "";
      await expect(
        db.transaction(async (tx) => {
          rolledBackId = await queueEmail(tx, intended);
          expect(await emailAndJob(tx, rolledBackId)).toEqual({ email: 1, jobs: ["send_email"] });
          // Nothing leaks out before the commit: another connection sees neither.
          expect(await emailAndJob(db, rolledBackId)).toEqual({ email: 0, jobs: [] });
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      expect(rolledBackId).not.toBe("");
      expect(await emailAndJob(db, rolledBackId)).toEqual({ email: 0, jobs: [] });

      const committedId = await db.transaction(async (tx) => {
        const id = await queueEmail(tx, intended);
        expect(await emailAndJob(tx, id)).toEqual({ email: 1, jobs: ["send_email"] });
        return id;
      });
      expect(await emailAndJob(db, committedId)).toEqual({ email: 1, jobs: ["send_email"] });

      // No broker to point elsewhere: broker variables are not part of the configuration at all.
      const config = loadConfig({
        ...appEnv,
        REDIS_URL: "redis://broker.internal:6379/0",
        CELERY_BROKER_URL: "amqp://guest@broker.internal//",
        BROKER_URL: "redis://elsewhere:6379/1",
      });
      expect(JSON.stringify(config)).not.toMatch(/redis|amqp|broker/i);
    });

    it("logging handler crashed on a reserved attribute name: a failure whose fields collide with the logger's is logged, not lost", async () => {
      const lines: string[] = [];
      // The application's own logger (same keys, serializers, redaction), writing to memory instead of stdout.
      const logger = createLogger("info");
      Object.assign(logger, { [pino.symbols.streamSym]: { write: (line: string) => lines.push(line) } });

      // A real SMTP failure (nothing listens on this port), rethrown as an error named like the logger's keys.
      const closed = await startTestSmtpServer();
      const port = closed.port;
      await closed.close();
      const config = loadConfig({ ...appEnv, SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port), SMTP_SECURITY: "none" });
      const real = createMailer(db);
      const hostile = Object.assign(new Error("level msg time pid hostname"), {
        level: "x",
        msg: "y",
        time: 1,
        pid: "not a pid",
        hostname: "not this host",
      });
      const mailer: Mailer = {
        async send(effective, message) {
          try {
            return await real.send(effective, message);
          } catch (cause) {
            throw Object.assign(hostile, { cause });
          }
        },
        close: () => real.close(),
      };

      const { cardId } = await enroll("hostile-error@example.com");
      const [log] = await db.select().from(emailLogs).where(eq(emailLogs.cardId, cardId)).limit(1);
      if (!log) throw new Error("no email row");
      let outcome: Awaited<ReturnType<typeof deliverEmail>>;
      try {
        outcome = await deliverEmail({ db, config, logger, mailer }, log.id, { attempt: 1, maxAttempts: 8 });
      } finally {
        mailer.close();
      }
      expect(outcome.status).toBe("queued");
      const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, log.id));
      expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "level msg time pid hostname" });

      expect(lines.length).toBeGreaterThan(0);
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const warnings = entries.filter((entry) => entry.msg === "email failed; will retry");
      expect(warnings).toHaveLength(1);
      const warning = warnings[0] as Record<string, unknown>;
      expect(warning.level).toBe(40);
      expect(typeof warning.time).toBe("number");
      expect(warning.service).toBe("rewardflow");
      // Nothing of the error spilled over the logger's own top-level keys.
      expect(Object.keys(warning).sort()).toEqual(["email", "err", "level", "msg", "service", "time"]);
      expect(warning.email).toEqual({
        id: log.id,
        template: log.templateKey,
        attempt: 1,
        maxAttempts: 8,
        permanent: false,
        status: "queued",
        error: "level msg time pid hostname",
      });
      // The error keeps its own fields under `err`, and the real cause stays visible.
      const err = warning.err as Record<string, unknown>;
      expect(err).toMatchObject({ level: "x", msg: "y", time: 1, pid: "not a pid", hostname: "not this host" });
      expect(String(err.message)).toContain("level msg time pid hostname");
      expect(`${String(err.message)}\n${String(err.stack)}`).toContain(`127.0.0.1:${port}`);
      expect(`${String(err.message)}\n${String(err.stack)}`).toMatch(/ECONNREFUSED/);
    });
  });

  describe("with the worker that actually starts", () => {
    let worker: RunningWorker;
    beforeAll(async () => {
      const config = loadConfig({ ...appEnv, ...smtp.env });
      worker = await startWorker({
        config,
        db,
        connectionString: url,
        logger: createLogger("silent"),
        pollInterval: 200,
      });
    });
    afterAll(() => worker?.stop());

    it("unregistered task: every job name the code can enqueue has a handler the running worker executes", async () => {
      for (const name of jobNames) expect(typeof worker.taskList[name], name).toBe("function");
      expect(() => assertEveryJobHasHandler({ send_email: async () => {} })).toThrow(
        /no handler for job\(s\) prune_expired_rows/,
      );

      // And the running worker really executes each: no job is left behind as an unsupported task.
      const admin = await staffUser("tasks@rewardflow.example");
      const emailId = await queueEmail(db, {
        kind: "smtp_test",
        locale: "en",
        recipient: admin.email,
        userId: admin.id,
      });
      await enqueue(db, "prune_expired_rows", {});
      // A job without a handler would stay behind, failed with "Unsupported task"; a handled one is deleted.
      await expect
        .poll(
          async () =>
            (await db.execute<{ count: number }>(sql`select count(*)::int as count from graphile_worker.jobs`))[0]
              ?.count,
          { timeout: 10_000 },
        )
        .toBe(0);
      await expect
        .poll(async () => (await db.select().from(emailLogs).where(eq(emailLogs.id, emailId)))[0]?.status)
        .toBe("sent");
    });

    it("worker never loaded all models: it renders and sends an email of every template key", async () => {
      const admin = await staffUser("models-admin@rewardflow.example");
      const owner = await staffUser("models-owner@rewardflow.example", "merchant_owner");
      const enrolled = await enroll("every-key@example.com");
      const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, enrolled.cardId));
      if (!card) throw new Error("enrollment made no card");
      const [reward] = await db.select().from(loyaltyRewards).where(eq(loyaltyRewards.programId, card.programId));
      if (!reward) throw new Error("the demo program has no reward");
      const shopper = {
        locale: "de",
        recipient: "every-key@example.com",
        merchantId: card.merchantId,
        storeId: store.id,
        customerId: card.customerId,
        cardId: card.id,
      } as const;
      const cardEmails = async (key: EmailTemplateKey) =>
        (
          await db
            .select({ id: emailLogs.id })
            .from(emailLogs)
            .where(and(eq(emailLogs.cardId, card.id), eq(emailLogs.templateKey, key)))
        ).map((row) => row.id);

      // Typed over every key: a new template key without a case here fails the type check.
      const produce: Record<EmailTemplateKey, () => Promise<string[]>> = {
        // The demo program gives a welcome bonus: enrollment queued the welcome email with it.
        loyalty_enrollment_with_bonus: () => cardEmails("loyalty_enrollment_with_bonus"),
        loyalty_enrollment: async () => [await queueEmail(db, { ...shopper, kind: "loyalty_enrollment" })],
        loyalty_welcome_bonus: async () => [await queueEmail(db, { ...shopper, kind: "loyalty_welcome_bonus" })],
        loyalty_card_link: async () => {
          expect((await enroll("every-key@example.com")).status).toBe("existing");
          return cardEmails("loyalty_card_link");
        },
        loyalty_reward_ready: async () => [
          await queueEmail(db, { ...shopper, kind: "loyalty_reward_ready", params: { rewardId: reward.id } }),
        ],
        loyalty_points_expiring: async () => {
          const id = await queueReminder(db, {
            ...shopper,
            kind: "loyalty_points_expiring",
            params: { expiringPoints: 40, expiresOn: "2026-12-31" },
          });
          if (!id) throw new Error("the reminder was not queued");
          return [id];
        },
        password_reset: async () => [
          await queueEmail(db, {
            kind: "password_reset",
            locale: "fr",
            recipient: admin.email,
            userId: admin.id,
          }),
        ],
        staff_invitation: async () => [
          await queueEmail(db, {
            kind: "staff_invitation",
            locale: "lb",
            recipient: owner.email,
            userId: owner.id,
          }),
        ],
        smtp_test: async () => [
          await queueEmail(db, { kind: "smtp_test", locale: "en", recipient: admin.email, userId: admin.id }),
        ],
      };
      expect(Object.keys(produce).sort()).toEqual([...emailTemplateKeys].sort());

      const byKey = new Map<EmailTemplateKey, string[]>();
      for (const key of emailTemplateKeys) byKey.set(key, await produce[key]());
      for (const [key, ids] of byKey) expect(ids, key).toHaveLength(1);
      const ids = [...byKey.values()].flat();

      await expect
        .poll(
          async () =>
            Object.fromEntries(
              (
                await db
                  .select({ key: emailLogs.templateKey, status: emailLogs.status, error: emailLogs.lastError })
                  .from(emailLogs)
                  .where(inArray(emailLogs.id, ids))
              ).map((row) => [row.key, row.error ? `${row.status}: ${row.error}` : row.status]),
            ),
          { timeout: 20_000, interval: 200 },
        )
        .toEqual(Object.fromEntries(emailTemplateKeys.map((key) => [key, "sent"])));

      const received = (id: string) => (mail: ParsedMail) => mail.messageId === `<${id}@localhost>`;
      for (const id of ids) await smtp.waitFor(received(id));
    });
  });
});
