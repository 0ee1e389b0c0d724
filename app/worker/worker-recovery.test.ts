import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
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
import { type RunningWorker, startWorker } from "./worker.server";

const { db, url } = await createTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");
const appEnv = { DATA_DIR: "/tmp/rewardflow-worker-recovery-test", APP_SECRET: "r".repeat(32) };
let store: Store;

/** Whatever a test started, stopped even when it fails half-way. */
const running: { children: ChildProcess[]; workers: RunningWorker[]; servers: TestSmtpServer[] } = {
  children: [],
  workers: [],
  servers: [],
};

beforeAll(async () => {
  await seedDemoData(db);
  [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONOUTLET"))) as [Store];
});
afterAll(async () => {
  for (const child of running.children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const worker of running.workers) await worker.stop();
  for (const server of running.servers) await server.close();
});

async function smtpServer(options: Parameters<typeof startTestSmtpServer>[0]): Promise<TestSmtpServer> {
  const server = await startTestSmtpServer(options);
  running.servers.push(server);
  return server;
}

async function inProcessWorker(smtpEnv: Record<string, string>, options: { staleAfterMs?: number } = {}) {
  const config = loadConfig({ ...appEnv, ...smtpEnv });
  const worker = await startWorker({
    config,
    db,
    connectionString: url,
    logger: createLogger("silent"),
    pollInterval: 200,
    ...options,
  });
  running.workers.push(worker);
  return worker;
}

/** Starts app/test/worker-child.ts in its own process and resolves once its worker runs. */
async function childWorker(smtpEnv: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/test/worker-child.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...appEnv,
      ...smtpEnv,
      DATABASE_URL: url,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      WORKER_CONCURRENCY: "5",
      WORKER_POLL_INTERVAL: "100",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker child not ready within 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes('"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker child exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function enroll(email: string) {
  const result = await enrollCustomer(db, store, {
    firstName: "Tom",
    lastName: "Kieffer",
    email,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "lb",
  });
  return result.cardId;
}

async function statuses(ids: string[]) {
  return db
    .select({
      id: emailLogs.id,
      status: emailLogs.status,
      attempts: emailLogs.attempts,
      lastError: emailLogs.lastError,
    })
    .from(emailLogs)
    .where(inArray(emailLogs.id, ids));
}

function countBy(rows: { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

async function stopWorker(worker: RunningWorker): Promise<void> {
  running.workers.splice(running.workers.indexOf(worker), 1);
  await worker.stop();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("worker recovery", () => {
  // First: a worker that failed to start in the other test could otherwise pick up this test's jobs.
  it("server down for a while → retried and sent after it returns", { timeout: 45_000 }, async () => {
    const probe = await startTestSmtpServer();
    const port = probe.port;
    await probe.close();
    const worker = await inProcessWorker({ SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port), SMTP_SECURITY: "none" });

    const cardId = await enroll("patient@example.com");
    const ids = (await db.select({ id: emailLogs.id }).from(emailLogs).where(eq(emailLogs.cardId, cardId))).map(
      (row) => row.id,
    );
    // One welcome email: the card and the welcome bonus together (ADR 030).
    expect(ids).toHaveLength(1);
    await expect
      .poll(
        async () =>
          (await statuses(ids)).map((row) => ({
            status: row.status,
            tried: row.attempts >= 1,
            refused: (row.lastError ?? "").includes(`127.0.0.1:${port}`),
          })),
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([{ status: "queued", tried: true, refused: true }]);

    const back = await smtpServer({ port });
    const toPatient = () =>
      back.messages.filter((mail) => ((mail.to as { text?: string })?.text ?? "").includes("patient@example.com"));
    await expect.poll(() => toPatient().length, { timeout: 20_000, interval: 100 }).toBe(1);
    await expect.poll(async () => (await statuses(ids)).map((row) => row.status), { timeout: 5000 }).toEqual(["sent"]);
    for (const row of await statuses(ids)) {
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.lastError).toBeNull();
    }
    await stopWorker(worker);
  });

  it("worker killed mid-batch → every row ends sent or failed, none stuck", { timeout: 60_000 }, async () => {
    const smtp = await smtpServer({ acceptDelayMs: 300 });
    const { child, output } = await childWorker(smtp.env);
    const beats = await db.execute<{ worker_id: string }>(sql`select worker_id from worker_heartbeats`);
    const childBeat = beats.find((beat) => beat.worker_id.includes(`:${child.pid}:`));
    expect(childBeat, JSON.stringify(beats)).toBeDefined();

    const cardIds: string[] = [];
    // Twenty enrollments, one welcome email each (ADR 030).
    for (let n = 1; n <= 20; n++) cardIds.push(await enroll(`batch-${n}@example.com`));
    const ids = (await db.select({ id: emailLogs.id }).from(emailLogs).where(inArray(emailLogs.cardId, cardIds))).map(
      (row) => row.id,
    );
    expect(ids).toHaveLength(20);

    // Kill the worker while it is sending: some rows sent, some on the wire, the rest waiting.
    const deadline = Date.now() + 20_000;
    let atKill: Record<string, number> = {};
    for (;;) {
      atKill = countBy(await statuses(ids));
      if ((atKill.sent ?? 0) >= 3 && (atKill.sending ?? 0) >= 1 && (atKill.sent ?? 0) < 20) break;
      if (Date.now() > deadline)
        throw new Error(`never caught the worker mid-batch: ${JSON.stringify(atKill)}\n${output()}`);
      await sleep(20);
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(child.signalCode).toBe("SIGKILL");

    const afterKill = countBy(await statuses(ids));
    expect(afterKill.sent ?? 0).toBeLessThan(20);
    expect(afterKill.sending ?? 0).toBeGreaterThan(0);
    // The dead worker's jobs stay locked: Graphile alone would leave them for four hours.
    const [locked] = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from graphile_worker._private_jobs where locked_by is not null`,
    );
    expect(locked?.count).toBeGreaterThan(0);

    // Its heartbeat must look stale (older than staleAfterMs) before a living worker takes over.
    await expect
      .poll(
        async () =>
          (
            await db.execute<{ stale: boolean }>(
              sql`select last_seen_at < now() - interval '1.2 seconds' as stale from worker_heartbeats where worker_id = ${childBeat?.worker_id ?? ""}`,
            )
          )[0]?.stale,
        { timeout: 5000 },
      )
      .toBe(true);

    const survivor = await inProcessWorker(smtp.env, { staleAfterMs: 1000 });
    await expect
      .poll(async () => countBy(await statuses(ids)), { timeout: 30_000, interval: 250 })
      .toEqual({ sent: 20 });

    const rows = await statuses(ids);
    for (const row of rows) expect(row.status === "sent" || row.status === "failed").toBe(true);
    const heartbeats = await db.execute<{ worker_id: string }>(sql`select worker_id from worker_heartbeats`);
    expect(heartbeats.map((beat) => beat.worker_id)).not.toContain(childBeat?.worker_id);
    expect(heartbeats).toHaveLength(1);
    await expect
      .poll(
        async () =>
          (
            await db.execute<{ count: number }>(sql`select count(*)::int as count from graphile_worker._private_jobs`)
          )[0]?.count,
        { timeout: 5000 },
      )
      .toBe(0);

    // Every email reached the server; one cut off mid-send may arrive twice, always under its own Message-ID.
    const expected = new Set(ids.map((id) => `<${id}@localhost>`));
    for (const messageId of expected) {
      expect(smtp.messages.some((mail) => mail.messageId === messageId)).toBe(true);
    }
    for (const mail of smtp.messages) expect(expected.has(mail.messageId ?? "")).toBe(true);

    await stopWorker(survivor);
  });
});
