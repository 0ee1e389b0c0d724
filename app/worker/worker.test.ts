import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { crontab, jobNames } from "~/jobs/definitions";
import { enqueue } from "~/jobs/enqueue.server";
import { createLogger } from "~/logger.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyPrograms } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { startTestSmtpServer, type TestSmtpServer } from "~/test/smtp";
import { assertEveryJobHasHandler, type RunningWorker, releaseDeadWorkers, startWorker } from "./worker.server";

const { db, url } = await createTestDatabase();
let smtp: TestSmtpServer;
let worker: RunningWorker;
let store: Store;

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONOUTLET"))) as [Store];
  smtp = await startTestSmtpServer();
  const config = loadConfig({
    DATA_DIR: "/tmp/rewardflow-worker-test",
    APP_SECRET: "x".repeat(32),
    ...smtp.env,
  });
  worker = await startWorker({ config, db, connectionString: url, logger: createLogger("silent"), pollInterval: 200 });
});
afterAll(async () => {
  await worker.stop();
  await smtp.close();
});

describe("the worker that actually starts", () => {
  it("has a handler for every job name the code can enqueue", () => {
    const tasks = worker.taskList;
    expect(Object.keys(tasks).sort()).toEqual([...jobNames].sort());
  });

  it("refuses to start when a job name has no handler", () => {
    expect(() => assertEveryJobHasHandler({})).toThrow(/no handler for job\(s\) send_email/);
  });

  it("delivers the enrollment's welcome email after the commit and marks it sent", async () => {
    const started = Date.now();
    const result = await enrollCustomer(db, store, {
      firstName: "Jos",
      lastName: "Weber",
      email: "jos@example.com",
      phone: null,
      birthDate: null,
      marketingConsent: true,
      locale: "de",
    });
    const toJos = () =>
      smtp.messages.filter((mail) => ((mail.to as { text?: string })?.text ?? "").includes("jos@example.com"));
    await expect.poll(() => toJos().length, { timeout: 10_000 }).toBe(1);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(10_000);
    await expect
      .poll(async () =>
        (await db.select().from(emailLogs).where(eq(emailLogs.cardId, result.cardId))).map((r) => [
          r.templateKey,
          r.status,
        ]),
      )
      .toEqual([["loyalty_enrollment_with_bonus", "sent"]]);
    const [heartbeat] = await db.execute<{ count: number }>(sql`select count(*)::int as count from worker_heartbeats`);
    expect(heartbeat?.count).toBe(1);
  });

  it("never takes a slow but living worker for dead: its session lock keeps its jobs", async () => {
    await db.execute(sql`update worker_heartbeats set last_seen_at = now() - interval '10 minutes'`);
    expect(await releaseDeadWorkers(db, 1000)).toEqual([]);
    const [heartbeat] = await db.execute<{ count: number }>(sql`select count(*)::int as count from worker_heartbeats`);
    expect(heartbeat?.count).toBe(1);
    await db.execute(sql`update worker_heartbeats set last_seen_at = now()`);
  });

  it("takes its liveness lock again after its connection was cut (database restart, failover)", async () => {
    const config = loadConfig({ DATA_DIR: "/tmp/rewardflow-worker-test", APP_SECRET: "x".repeat(32), ...smtp.env });
    const second = await startWorker({
      config,
      db,
      connectionString: url,
      logger: createLogger("silent"),
      heartbeatIntervalMs: 200,
    });
    try {
      await db.execute(sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted`);
      // The second worker beats every 200 ms: its next beat takes the lock again.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const [lock] = await db.execute<{ count: number }>(sql`
        select count(*)::int as count from pg_locks
        where locktype = 'advisory' and granted
          and objid = (hashtext(${`rewardflow-worker:${second.workerId}`})::bigint & 4294967295)::oid`);
      expect(lock?.count).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it("prunes old rate-limit windows in the hourly housekeeping job", async () => {
    await db.execute(
      sql`insert into rate_limits (key, window_start, count) values ('old', now() - interval '2 days', 3), ('fresh', now(), 1)`,
    );
    await enqueue(db, "prune_expired_rows", {});
    await expect
      .poll(
        async () =>
          (await db.execute<{ key: string }>(sql`select key from rate_limits order by key`)).map((row) => row.key),
        { timeout: 5000 },
      )
      .toEqual(["fresh"]);
  });

  it("runs the daily points expiry: an expire row through the ledger", async () => {
    expect(crontab.split("\n")).toContain("15 2 * * * expire_points ?max=3");
    const [luxWeb] = (await db.select().from(stores).where(eq(stores.code, "LUXWEB"))) as [Store];
    await db
      .update(loyaltyPrograms)
      .set({ pointsExpiryRule: "after_earning", pointsExpiryMonths: 1 })
      .where(eq(loyaltyPrograms.merchantId, luxWeb.merchantId));
    const { cardId } = await enrollCustomer(db, luxWeb, {
      firstName: "Nico",
      lastName: "Reuter",
      email: "nico@example.com",
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "lb",
    });
    // A purchase from three months ago: past "one month after earning" (the welcome points are not).
    await db.execute(sql`
      with card as (update loyalty_cards set points_balance = points_balance + 30 where id = ${cardId} returning *)
      insert into loyalty_transactions (card_id, store_id, type, points_delta, created_at)
      select id, enrolled_store_id, 'earn', 30, now() - interval '3 months' from card`);
    await enqueue(db, "expire_points", {});
    await expect
      .poll(
        async () =>
          (
            await db.execute<{ points_delta: number }>(
              sql`select points_delta from loyalty_transactions where card_id = ${cardId} and type = 'expire'`,
            )
          ).map((row) => row.points_delta),
        { timeout: 10_000 },
      )
      .toEqual([-30]);
  });

  it("drops a job whose payload is invalid instead of crashing", async () => {
    await db.execute(sql`select graphile_worker.add_job('send_email', '{"emailLogId": "not-a-uuid"}'::json)`);
    await expect
      .poll(
        async () =>
          (
            await db.execute<{ count: number }>(sql`select count(*)::int as count from graphile_worker._private_jobs`)
          )[0]?.count,
        { timeout: 5000 },
      )
      .toBe(0);
  });
});
