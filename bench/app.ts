/**
 * The server as production runs it, for the benches: `server.ts` with NODE_ENV=production in a child
 * process on its own embedded PostgreSQL, the demo tenants and their counter seeded as a fixture, and
 * the worker in its own process (or in the server's, or none).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { startEmbeddedPostgres } from "~/db/embedded.server";
import { freePort } from "~/free-port.server";
import { createLogger } from "~/logger.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { seedDemoCounter } from "~/modules/terminal/demo-seed.server";

const root = path.resolve(import.meta.dirname, "..");

export interface AppOptions {
  /** `separate`: web with WORKER=off plus `npm run worker`, as production runs; `in-process`: one process; `none`: web only. */
  workerMode: "separate" | "in-process" | "none";
  workerConcurrency: number;
  /** The database URL the web process connects with (e.g. through a counting proxy); the seed and the worker use the real one. */
  webDatabaseUrl?: (databaseUrl: string) => Promise<string>;
  /** Node options for the web process only, e.g. `--cpu-prof`. */
  webNodeOptions?: string[];
  /** Node options for the standalone worker only. */
  workerNodeOptions?: string[];
}

/** The server as production runs it (NODE_ENV=production: React's production build), on its own PostgreSQL. */
export async function startApp(smtpPort: number, options: AppOptions) {
  const { workerMode } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rewardflow-bench-"));
  chmodSync(dataDir, 0o755);
  const database = await startEmbeddedPostgres(path.join(dataDir, "postgres"), createLogger("warn"));
  const admin = postgres(database.serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database rewardflow_bench");
  await admin.end();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    REWARDFLOW_BUILD: "if-needed",
    DATABASE_URL: database.urlFor("rewardflow_bench"),
    APP_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_PROTOCOL: "http",
    PUBLIC_PORT: String(port),
    EMAIL_FROM: "FashionHub <club@fashionhub.example>",
    PORT: String(port),
    DATA_DIR: dataDir,
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtpPort),
    SMTP_SECURITY: "none",
    LOG_LEVEL: "warn",
    TRUST_PROXY: "loopback",
    ENROLL_RATE_LIMIT: "1000000",
    TERMINAL_RATE_LIMIT: "1000000",
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    WORKER: workerMode === "in-process" ? "on" : "off",
  };
  const webEnv = options.webDatabaseUrl
    ? { ...env, DATABASE_URL: await options.webDatabaseUrl(env.DATABASE_URL ?? "") }
    : env;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.webNodeOptions ?? []), "scripts/launch.js", "server.ts"],
    {
      cwd: root,
      env: webEnv,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("RewardFlow is running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  // The server has migrated the database. Production never seeds demo data itself (its demo staff have
  // published passwords), so the bench writes the demo tenants and their counter in, as a fixture.
  const seedDb = createDatabase(env.DATABASE_URL ?? "", { max: 2 });
  await seedDemoData(seedDb);
  await seedDemoCounter(seedDb);
  await closeDatabase(seedDb);
  // A standalone worker can start on it now.
  const worker =
    workerMode === "separate"
      ? spawn(process.execPath, [...(options.workerNodeOptions ?? []), "scripts/launch.js", "scripts/worker.ts"], {
          cwd: root,
          env,
          stdio: "inherit",
        })
      : null;
  const stop = async () => {
    for (const running of [worker, child]) {
      if (!running || running.exitCode !== null) continue;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGCONT"); // a worker paused by `withoutWorker` would never act on SIGTERM
      running.kill("SIGTERM");
      await exited;
    }
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  // A worker that never starts must not leave the server and the database running behind the bench.
  if (worker) await waitForHeartbeat(env.DATABASE_URL ?? "").catch((error) => stop().then(() => Promise.reject(error)));
  return {
    port,
    databaseUrl: env.DATABASE_URL ?? "",
    webPid: child.pid ?? 0,
    /** The postmaster: with its backends, PostgreSQL's whole CPU (`treeCpuMs`). */
    postgresPid: Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]),
    workerPid: worker?.pid ?? child.pid ?? 0,
    /** Runs `phase` with the standalone worker stopped (SIGSTOP), then lets it go on; null without one. */
    withoutWorker: worker
      ? async <T>(phase: () => Promise<T>): Promise<T> => {
          worker.kill("SIGSTOP");
          try {
            return await phase();
          } finally {
            worker.kill("SIGCONT");
          }
        }
      : null,
    stop,
  };
}

async function waitForHeartbeat(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // A minute: on a loaded machine the worker's start (loading its modules, the migrations check) can take a while.
    for (let tries = 0; tries < 600; tries++) {
      const [row] = await sql`select count(*)::int as count from worker_heartbeats`;
      if ((row?.count ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the standalone worker did not start within 60 s");
  } finally {
    await sql.end();
  }
}
