/**
 * `npm run bench`: throughput and latency of the storefront, of email delivery and of the terminal API, against the
 * real server (a child process on an embedded PostgreSQL) and a real SMTP server in this process.
 * Prints tables; it asserts nothing. BENCH_DURATION (seconds, default 10) sets each load phase; BENCH_ONLY=terminal
 * runs the baseline and the terminal API only, BENCH_ONLY=email the baseline and the commit → SMTP phases only.
 * Figures are also given against a baseline measured in the same run, and as CPU per item of the web, the worker
 * and PostgreSQL (bench/terminal.ts, docs/performance.md).
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres, { type Sql } from "postgres";
import { SMTPServer } from "smtp-server";
import { freePort } from "~/free-port.server";
import { startApp } from "./app";
import { bareGetThroughput, startBareApp } from "./bare";
import { cpuMsIfKnown, treeCpuMs } from "./process-cpu";
import { againstBaseline, baselineRow, meanBaseline, measureBaseline, terminalRows } from "./terminal";

const duration = Number(process.env.BENCH_DURATION ?? 10);
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 10);
/** `separate` (default): web with WORKER=off plus `npm run worker`, as production runs; `in-process`: one process. */
const workerMode = process.env.BENCH_WORKER === "in-process" ? "in-process" : "separate";
const only = process.env.BENCH_ONLY;
/** `web` or `worker`: that process writes a V8 CPU profile (`.cpuprofile`) into bench-profiles/ when it stops. */
const profiled = process.env.BENCH_PROFILE;
if (profiled !== undefined && profiled !== "web" && profiled !== "worker") {
  throw new Error(`BENCH_PROFILE must be "web" or "worker", not "${profiled}"`);
}
const profileArgs = (name: string) =>
  profiled === name
    ? ["--cpu-prof", `--cpu-prof-dir=${path.join(path.resolve(import.meta.dirname, ".."), "bench-profiles")}`]
    : [];
if (only !== undefined && only !== "terminal" && only !== "email") {
  throw new Error(`BENCH_ONLY must be "terminal" or "email", not "${only}"`);
}

/** Counts accepted messages and the times each recipient's messages were accepted. */
async function startSmtp() {
  const acceptedAt = new Map<string, number[]>();
  let accepted = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        accepted++;
        const now = performance.now();
        for (const rcpt of session.envelope.rcptTo)
          acceptedAt.set(rcpt.address, [...(acceptedAt.get(rcpt.address) ?? []), now]);
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, acceptedAt, count: () => accepted, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const host = (port: number) => `fashionhub.localhost:${port}`;
let sequence = 0;
const enrollmentBody = (email: string) =>
  new URLSearchParams({
    firstName: "Bench",
    lastName: "Shopper",
    email,
    phone: "621 123 456",
    "birthday.day": "14",
    "birthday.month": "7",
    "birthday.year": "1990",
    terms: "on",
  }).toString();
const formHeaders = (port: number, client: number) => ({
  host: host(port),
  origin: `http://${host(port)}`,
  "content-type": "application/x-www-form-urlencoded",
  "x-forwarded-for": `198.51.100.${client % 250}`,
  "accept-language": "fr",
});

type Row = Record<string, string | number>;

/** The processes whose CPU time a row reports: the web, the worker (the web itself when in-process), PostgreSQL. */
interface Meters {
  webPid: number;
  workerPid: number;
  postgresPid: number;
}

const cpuColumn = "CPU ms/item web / worker / PG";

/**
 * Runs `phase` and adds the CPU each process spent on it per item (`count` of its result): what one
 * request or one email costs the machine, and where, whatever the load did to the throughput.
 */
async function withCpu(meters: Meters, phase: () => Promise<Row>, count: (row: Row) => number): Promise<Row> {
  const read = () => [
    cpuMsIfKnown(meters.webPid),
    meters.workerPid === meters.webPid ? null : cpuMsIfKnown(meters.workerPid),
    cpuMsIfKnown(meters.postgresPid, treeCpuMs),
  ];
  const before = read();
  const row = await phase();
  const after = read();
  const items = count(row);
  const perItem = (start: number | null, end: number | null) =>
    start === null || end === null || items <= 0 ? "–" : (Math.round(((end - start) / items) * 10) / 10).toString();
  return { ...row, [cpuColumn]: before.map((start, n) => perItem(start, after[n] ?? null)).join(" / ") };
}

/** A throughput row with its share of the bare React Router page's, measured in the same run (bench/bare.ts). */
const withRatio = (row: Row, bare: number): Row => ({
  ...row,
  "× bare GET": Math.round((Number(row["req/s"]) / bare) * 100) / 100,
});

async function loadGet(port: number): Promise<Row> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/loyalty/join`,
    connections: 32,
    duration,
    headers: { host: host(port), "accept-language": "fr" },
  });
  return {
    scenario: "GET /loyalty/join (fr), 32 connections",
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
  };
}

async function loadEnroll(port: number, label = ""): Promise<Row> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/loyalty/join`,
    connections: 32,
    duration,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const n = ++sequence;
          return { ...request, headers: formHeaders(port, n), body: enrollmentBody(`load-${n}@bench.example`) };
        },
      },
    ],
  });
  const redirects = result["3xx"];
  return {
    scenario: `POST /loyalty/join (new shopper each), 32 connections${label}`,
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    errors: result.errors + (result.requests.total - redirects),
    requests: result.requests.total,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A POST with our own Host header (fetch does not allow one); resolves with the status once the body
 * is read. A kept-alive socket the server closed while idle (its keep-alive timeout is 5 s) resets
 * before the request reaches it: that one is sent again on a new socket, as Node's docs advise.
 */
function post(port: number, pathname: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: pathname,
        method: "POST",
        agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === "ECONNRESET")
        post(port, pathname, headers, body).then(resolve, reject);
      else reject(error);
    });
    request.end(body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * How many emails each enrollment queued (its transaction wrote them all before the redirect), so
 * the latency phases wait for every one of them, whatever the enrollment sends.
 */
async function queuedEmails(sql: Sql, recipients: string[]): Promise<Map<string, number>> {
  const rows = await sql<{ recipient: string; count: number }[]>`
    select recipient, count(*)::int as count from email_logs where recipient = any(${recipients}) group by recipient`;
  return new Map(rows.map((row) => [row.recipient, row.count]));
}

/**
 * Where an email's time went, from its row: `wait` from the enrollment's transaction (the row's
 * created_at) to a sender claiming it, `work` from the claim to the SMTP server's acceptance (lookups,
 * render, send, the row's update). Both read PostgreSQL's clock.
 */
async function emailStages(sql: Sql, recipients: string[]): Promise<Row> {
  const [row] = await sql<{ wait50: number; wait99: number; work50: number; work99: number }[]>`
    select
      percentile_cont(0.5) within group (order by extract(epoch from claimed_at - created_at)) * 1000 as wait50,
      percentile_cont(0.99) within group (order by extract(epoch from claimed_at - created_at)) * 1000 as wait99,
      percentile_cont(0.5) within group (order by extract(epoch from sent_at - claimed_at)) * 1000 as work50,
      percentile_cont(0.99) within group (order by extract(epoch from sent_at - claimed_at)) * 1000 as work99
    from email_logs where recipient = any(${recipients}) and status = 'sent'`;
  return {
    "wait p50/p99": `${Math.round(row?.wait50 ?? Number.NaN)} / ${Math.round(row?.wait99 ?? Number.NaN)}`,
    "work p50/p99": `${Math.round(row?.work50 ?? Number.NaN)} / ${Math.round(row?.work99 ?? Number.NaN)}`,
  };
}

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** Commit → the last of the enrollment's emails accepted, for each enrollment whose emails all arrived. */
async function untilAllAccepted(
  smtp: Smtp,
  sql: Sql,
  committedAt: Map<string, number>,
  timeoutMs: number,
): Promise<number[]> {
  const expected = await queuedEmails(sql, [...committedAt.keys()]);
  const done = (email: string) => (smtp.acceptedAt.get(email)?.length ?? 0) >= (expected.get(email) ?? 1);
  const deadline = performance.now() + timeoutMs;
  while ([...committedAt.keys()].some((email) => !done(email)) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return [...committedAt].flatMap(([email, at]) => {
    const accepted = smtp.acceptedAt.get(email) ?? [];
    const last = accepted[(expected.get(email) ?? 1) - 1];
    return last === undefined ? [] : [last - at];
  });
}

/** Waits for the backlog left by the load phase to reach the SMTP server, measuring emails per second. */
async function drain(smtp: Smtp): Promise<Row> {
  const start = performance.now();
  const startCount = smtp.count();
  let lastCount = startCount;
  let lastChange = start;
  // The backlog is drained once nothing new has arrived for two seconds.
  while (performance.now() - lastChange < 2000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (smtp.count() !== lastCount) {
      lastCount = smtp.count();
      lastChange = performance.now();
    }
  }
  const seconds = (lastChange - start) / 1000;
  return {
    scenario: `email backlog after the POST phase: rendered + SMTP-accepted (${WORKER_CONCURRENCY} concurrent jobs)`,
    "emails/s": seconds > 0 ? Math.round((lastCount - startCount) / seconds) : "n/a",
    delivered: `${lastCount} in all (${lastCount - startCount} after the POST phase ended)`,
  };
}

/**
 * Bursts of `size` enrollments sent at the same instant, each burst waiting for the previous one's
 * emails: commit (redirect received) → the last of the enrollment's emails accepted by the SMTP server.
 */
async function burstsToSmtp(port: number, smtp: Smtp, sql: Sql, size: number, bursts: number): Promise<Row> {
  const latencies: number[] = [];
  const recipients: string[] = [];
  for (let burst = 0; burst < bursts; burst++) {
    const emails = Array.from({ length: size }, (_, n) => `burst-${burst}-${n}@bench.example`);
    const committedAt = new Map<string, number>();
    await Promise.all(
      emails.map(async (email, n) => {
        const status = await post(port, "/loyalty/join", formHeaders(port, n), enrollmentBody(email));
        if (status === 302) committedAt.set(email, performance.now());
      }),
    );
    latencies.push(...(await untilAllAccepted(smtp, sql, committedAt, 30_000)));
    recipients.push(...committedAt.keys());
  }
  return {
    scenario: `commit → SMTP accepted (all its emails), ${bursts} bursts of ${size} concurrent enrollments`,
    "p50 ms": Math.round(percentile(latencies, 50)),
    "p99 ms": Math.round(percentile(latencies, 99)),
    delivered: `${latencies.length}/${size * bursts}`,
    ...(await emailStages(sql, recipients)),
  };
}

/**
 * One shopper at a time: each enrollment is sent once the previous one's emails were all accepted, so
 * the worker has nothing else to do (light load). Sending the next enrollment as soon as the previous
 * redirect came back would measure a queue instead: an enrollment takes the web process less time than
 * its email takes the worker.
 */
async function oneShopperAtATime(
  port: number,
  smtp: Smtp,
  sql: Sql,
  total: number,
  prefix = "latency-1",
): Promise<Row> {
  const latencies: number[] = [];
  const recipients: string[] = [];
  for (let n = 0; n < total; n++) {
    const email = `${prefix}-${n}@bench.example`;
    const status = await post(port, "/loyalty/join", formHeaders(port, n), enrollmentBody(email));
    if (status !== 302) continue;
    latencies.push(...(await untilAllAccepted(smtp, sql, new Map([[email, performance.now()]]), 10_000)));
    recipients.push(email);
  }
  return {
    scenario: `commit → SMTP accepted (all its emails), ${total} enrollments, one shopper at a time`,
    "p50 ms": Math.round(percentile(latencies, 50)),
    "p90 ms": Math.round(percentile(latencies, 90)),
    "p99 ms": Math.round(percentile(latencies, 99)),
    delivered: `${latencies.length}/${total}`,
    ...(await emailStages(sql, recipients)),
  };
}

/** `concurrency` clients each enrolling again as soon as its previous redirect came back (steady load). */
async function commitToSmtp(port: number, smtp: Smtp, sql: Sql, total: number, concurrency: number): Promise<Row> {
  const committedAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const email = `latency-${concurrency}-${n}@bench.example`;
      const status = await post(port, "/loyalty/join", formHeaders(port, n), enrollmentBody(email));
      if (status === 302) committedAt.set(email, performance.now());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const latencies = await untilAllAccepted(smtp, sql, committedAt, 60_000);
  return {
    scenario: `commit → SMTP accepted (all its emails), ${total} enrollments, ${concurrency} clients`,
    "p50 ms": Math.round(percentile(latencies, 50)),
    "p90 ms": Math.round(percentile(latencies, 90)),
    "p99 ms": Math.round(percentile(latencies, 99)),
    delivered: `${latencies.length}/${committedAt.size}`,
    ...(await emailStages(sql, [...committedAt.keys()])),
  };
}

const smtp = await startSmtp();
const bareApp = only ? null : await startBareApp();
const app = await startApp(smtp.port, {
  workerMode,
  workerConcurrency: WORKER_CONCURRENCY,
  webNodeOptions: profileArgs("web"),
  workerNodeOptions: profileArgs("worker"),
});
try {
  // Warm up the server (JIT, connection pools) before measuring.
  await autocannon({
    url: `http://127.0.0.1:${app.port}/loyalty/join`,
    connections: 8,
    amount: 500,
    headers: { host: host(app.port) },
  });
  const baselineBefore = await measureBaseline(app.port, Math.min(duration, 5));
  const rows: Row[] = [];
  const phase = (name: string) => process.stderr.write(`bench: ${name}\n`);
  let before = smtp.count();
  if (!only) {
    // The bare page before and after the storefront phases: their mean is what both are divided by.
    phase("bare page");
    if (!bareApp) throw new Error("the bare page is measured in every full run");
    const bareBefore = await bareGetThroughput(bareApp, duration);
    phase("storefront GET and POST");
    const requests = (row: Row) => Number(row.requests);
    const get = await withCpu(app, () => loadGet(app.port), requests);
    const enroll = await withCpu(app, () => loadEnroll(app.port), requests);
    // The web tier alone: in production the worker runs on its own machines; here it shares two CPUs.
    const enrollWebOnly = app.withoutWorker
      ? await app.withoutWorker(() =>
          withCpu(app, () => loadEnroll(app.port, ", worker paused (its emails wait)"), requests),
        )
      : null;
    // The backlog drains before the bare page is measured again: its emails would slow that page down.
    phase("email backlog");
    const backlog = await drain(smtp);
    const bareAfter = await bareGetThroughput(bareApp, duration);
    const bare = (bareBefore.requestsPerSecond + bareAfter.requestsPerSecond) / 2;
    const bareCpu = [bareBefore.cpuMsPerRequest, bareAfter.cpuMsPerRequest];
    rows.push({
      scenario: "baseline: bare React Router page GET, 32 connections",
      "req/s": Math.round(bare),
      "× bare GET": 1,
      [cpuColumn]: bareCpu.every((cpu) => cpu !== null)
        ? `${(Math.round(((bareCpu[0] ?? 0) + (bareCpu[1] ?? 0)) * 5) / 10).toString()} / – / –`
        : "–",
    });
    rows.push(withRatio(get, bare), withRatio(enroll, bare));
    if (enrollWebOnly) rows.push(withRatio(enrollWebOnly, bare));
    rows.push(backlog);
  }
  if (only !== "terminal") {
    before = smtp.count();
    phase("commit → SMTP latency");
    // CPU per email delivered in the phase (one per enrollment), the enrollments' own included.
    const perEmail = async (phase: () => Promise<Row>) => {
      const start = smtp.count();
      return withCpu(app, phase, () => smtp.count() - start);
    };
    // One connection for the bench's own reads: a connection per check would cost PostgreSQL a backend each.
    const sql = postgres(app.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      // Without the POST phase before them (BENCH_ONLY=email), the worker's email path is warmed up here.
      if (only) await oneShopperAtATime(app.port, smtp, sql, 30, "warm-up");
      rows.push(await perEmail(() => burstsToSmtp(app.port, smtp, sql, 50, 10)));
      rows.push(await perEmail(() => oneShopperAtATime(app.port, smtp, sql, 100)));
      rows.push(await perEmail(() => commitToSmtp(app.port, smtp, sql, 500, 50)));
    } finally {
      await sql.end();
    }
  }
  let terminal: Awaited<ReturnType<typeof terminalRows>> = [];
  if (only !== "email") {
    phase("terminal API");
    terminal = await terminalRows(app.port, app.databaseUrl, duration);
  }
  const baselineAfter = await measureBaseline(app.port, Math.min(duration, 5));
  rows.unshift(baselineRow(baselineBefore, baselineAfter));
  rows.push(...againstBaseline(terminal, meanBaseline(baselineBefore, baselineAfter)));
  console.log(
    `\nRewardFlow bench — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPUs, ${duration}s per load phase, worker ${workerMode} (concurrency ${WORKER_CONCURRENCY}), load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}\n`,
  );
  console.table(rows);
  if (only !== "terminal") console.log(`SMTP messages accepted during latency phases: ${smtp.count() - before}`);
} finally {
  await app.stop();
  await bareApp?.stop();
  await smtp.close();
}
