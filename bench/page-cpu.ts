/**
 * `npx tsx bench/page-cpu.ts` after `npm run build`: the web process's CPU time per page, read from
 * /proc/<pid>/stat before and after a fixed number of requests at 32 connections (Linux only). CPU per
 * request holds on a shared machine where requests per second move with the load. Measures the
 * storefront's `GET /loyalty/join` (fr) and the bare React Router page (bench/bare), interleaved,
 * PAGE_CPU_ROUNDS times (default 3) of PAGE_CPU_REQUESTS requests each (default 2,000).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { startEmbeddedPostgres } from "~/db/embedded.server";
import { freePort } from "~/free-port.server";
import { createLogger } from "~/logger.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { startBareApp } from "./bare";

const root = path.resolve(import.meta.dirname, "..");
const rounds = Number(process.env.PAGE_CPU_ROUNDS ?? 3);
const requests = Number(process.env.PAGE_CPU_REQUESTS ?? 2_000);
const clockTicks = 100; // USER_HZ: /proc reports CPU time in hundredths of a second on Linux

/** utime + stime of a process, in milliseconds. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

async function startWeb() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rewardflow-page-cpu-"));
  chmodSync(dataDir, 0o755);
  const database = await startEmbeddedPostgres(path.join(dataDir, "postgres"), createLogger("warn"));
  const admin = postgres(database.serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database rewardflow_page_cpu");
  await admin.end();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.urlFor("rewardflow_page_cpu"),
    APP_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_PROTOCOL: "http",
    PUBLIC_PORT: String(port),
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    WORKER: "off",
  };
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("RewardFlow is running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  const seedDb = createDatabase(env.DATABASE_URL ?? "", { max: 2 });
  await seedDemoData(seedDb);
  await closeDatabase(seedDb);
  return {
    port,
    pid: child.pid as number,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU milliseconds of `pid` per request over `requests` requests, after a warm-up. */
async function cpuPerRequest(pid: number, options: autocannon.Options): Promise<number> {
  await autocannon({ ...options, connections: 8, amount: 300 });
  const before = cpuMs(pid);
  const result = await autocannon({ ...options, connections: 32, amount: requests });
  const after = cpuMs(pid);
  if (result.non2xx > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx answers`);
  // A request that timed out on a loaded machine still cost CPU: divided by the pages actually served.
  return (after - before) / result["2xx"];
}

const joinHeaders = (port: number) => ({ host: `fashionhub.localhost:${port}`, "accept-language": "fr" });

/** The join page's size as sent (no compression asked). */
function pageBytes(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/loyalty/join", headers: joinHeaders(port) }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on("end", () => resolve(bytes));
      })
      .on("error", reject);
  });
}

const web = await startWeb();
const bare = await startBareApp();
try {
  const load = () =>
    `load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`;
  console.log(`join page: ${await pageBytes(web.port)} bytes; ${load()}`);
  console.log("| round | bare GET / ms CPU | GET /loyalty/join (fr) ms CPU | ratio |\n|---|---:|---:|---:|");
  for (let round = 1; round <= rounds; round++) {
    const bareMs = await cpuPerRequest(bare.pid, { url: `http://127.0.0.1:${bare.port}/` });
    const joinMs = await cpuPerRequest(web.pid, {
      url: `http://127.0.0.1:${web.port}/loyalty/join`,
      headers: joinHeaders(web.port),
    });
    console.log(`| ${round} | ${bareMs.toFixed(2)} | ${joinMs.toFixed(2)} | ${(bareMs / joinMs).toFixed(2)} |`);
  }
  console.log(load());
} finally {
  await bare.stop();
  await web.stop();
}
