/**
 * `npx tsx bench/page-cpu.ts` after `npm run build`: the web process's CPU time per page, read from
 * /proc/<pid>/stat before and after a fixed number of requests at 32 connections (Linux only). CPU per
 * request holds on a shared machine where requests per second move with the load. Measures the
 * storefront's `GET /loyalty/join` (fr) and the bare React Router page (bench/bare), interleaved,
 * PAGE_CPU_ROUNDS times (default 3) of PAGE_CPU_REQUESTS requests each (default 2,000).
 */
import http from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import { startApp } from "./app";
import { startBareApp } from "./bare";
import { cpuMs } from "./process-cpu";

const rounds = Number(process.env.PAGE_CPU_ROUNDS ?? 3);
const requests = Number(process.env.PAGE_CPU_REQUESTS ?? 2_000);
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

// No worker runs, so nothing connects to the SMTP port.
const web = await startApp(1025, { workerMode: "none", workerConcurrency: 1 });
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
    const joinMs = await cpuPerRequest(web.webPid, {
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
