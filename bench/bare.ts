/**
 * The baseline every storefront throughput is divided by: a bare React Router page with a small
 * form (bench/bare, same React Router version, production build), served by Express in its own
 * process and measured in the same run, so a ratio holds on a machine three times faster or slower.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "~/free-port.server";
import { cpuMsIfKnown } from "./process-cpu";

const root = path.resolve(import.meta.dirname, "..");
const bareDir = path.join(import.meta.dirname, "bare");

export async function startBareApp() {
  execFileSync(process.execPath, [path.join(root, "node_modules/@react-router/dev/bin.js"), "build", bareDir], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(bareDir, "server.ts"), String(port)],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`bare app exited (${code})`)));
  });
  return {
    port,
    pid: child.pid as number,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** GET / on the bare page, 32 connections, after a warm-up: requests per second and its process's CPU per request. */
export async function bareGetThroughput(
  bare: { port: number; pid: number },
  duration: number,
): Promise<{ requestsPerSecond: number; cpuMsPerRequest: number | null }> {
  const url = `http://127.0.0.1:${bare.port}/`;
  await autocannon({ url, connections: 8, amount: 500 });
  const cpuBefore = cpuMsIfKnown(bare.pid);
  const result = await autocannon({ url, connections: 32, duration });
  const cpuAfter = cpuMsIfKnown(bare.pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bare page answered ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    requestsPerSecond: result.requests.average,
    cpuMsPerRequest:
      cpuBefore === null || cpuAfter === null || result.requests.total === 0
        ? null
        : (cpuAfter - cpuBefore) / result.requests.total,
  };
}
