/**
 * `npx tsx bench/request-cost.ts`: what one request costs the web process, counted rather than timed, so the
 * figures hold on a loaded machine: PostgreSQL round trips and statements (on the wire, through a counting
 * proxy, bench/wire-counter.ts) and CPU milliseconds (utime + stime from /proc/<pid>/stat, Linux only), for
 * `POST /loyalty/join` (a new shopper each) and a terminal earn (`POST /api/terminal/v1/transactions`).
 * The server runs as production runs it with `WORKER=off` and no worker, so only the web process is measured.
 * COST_REQUESTS (default 1,000) per kind, COST_CONNECTIONS (default 8) at once; COST_CPU_PROFILE=<dir> writes
 * the web process's CPU profile there (`node --cpu-prof`).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import postgres from "postgres";
import { startApp } from "./app";
import { cpuMs } from "./process-cpu";
import { startWireCounter, type WireCounts } from "./wire-counter";

const requests = Number(process.env.COST_REQUESTS ?? 1000);
const connections = Number(process.env.COST_CONNECTIONS ?? 8);
// No worker runs, so nothing connects to the SMTP port.
let counter: Awaited<ReturnType<typeof startWireCounter>> | undefined;
const app = await startApp(1025, {
  workerMode: "none",
  workerConcurrency: 1,
  webNodeOptions: process.env.COST_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.COST_CPU_PROFILE}`] : [],
  webDatabaseUrl: async (databaseUrl) => {
    const url = new URL(databaseUrl);
    counter = await startWireCounter({ host: url.hostname, port: Number(url.port) });
    url.hostname = "127.0.0.1";
    url.port = String(counter.port);
    return url.toString();
  },
});
const sql = postgres(app.databaseUrl, { max: 1, onnotice: () => {} });

/** Runs `amount` requests, `connections` at once, and returns what each cost on average. */
async function measure(name: string, options: autocannon.Options, amount: number, expectedStatus: number) {
  const wireBefore = counter?.counts() as WireCounts;
  const cpuBefore = cpuMs(app.webPid);
  const result = await autocannon({ ...options, connections, amount });
  const cpu = cpuMs(app.webPid) - cpuBefore;
  const wire = counter?.counts() as WireCounts;
  const answered = expectedStatus === 302 ? result["3xx"] : result["2xx"];
  return {
    request: name,
    answered: `${answered}/${amount}`,
    "round trips": round((wire.roundTrips - wireBefore.roundTrips) / amount),
    statements: round((wire.statements - wireBefore.statements) / amount),
    "web CPU ms": round(cpu / amount),
    "req/s": Math.round(result.requests.average),
  };
}
const round = (value: number) => Math.round(value * 10) / 10;

try {
  const host = `fashionhub.localhost:${app.port}`;
  let sequence = 0;
  const join = (prefix: string): autocannon.Options => ({
    url: `http://127.0.0.1:${app.port}/loyalty/join`,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const n = ++sequence;
          return {
            ...request,
            headers: {
              host,
              origin: `http://${host}`,
              "content-type": "application/x-www-form-urlencoded",
              "accept-language": "fr",
              "x-forwarded-for": `198.51.100.${n % 250}`,
            },
            body: new URLSearchParams({
              firstName: "Cost",
              lastName: "Shopper",
              email: `${prefix}-${n}@bench.example`,
              phone: "621 123 456",
              "birthday.day": "14",
              "birthday.month": "7",
              "birthday.year": "1990",
              terms: "on",
            }).toString(),
          };
        },
      },
    ],
  });

  const [store] = await sql`select id, merchant_id from stores where code = 'FASHIONHUB'`;
  const [staff] = await sql`select id from counter_staff where store_id = ${store?.id} and pin_hash is not null
    and deactivated_at is null and pin_locked_at is null limit 1`;
  if (!store || !staff) throw new Error("the demo counter staff of FashionHub is missing");
  const token = randomBytes(32).toString("base64url");
  await sql`insert into terminal_devices (merchant_id, store_id, name, token_hash, paired_at)
    values (${store.merchant_id}, ${store.id}, 'Cost till', ${createHash("sha256").update(token).digest("hex")}, now())`;
  const earn = (cards: string[]): autocannon.Options => ({
    url: `http://127.0.0.1:${app.port}/api/terminal/v1/transactions`,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({
          ...request,
          headers: {
            host: `localhost:${app.port}`,
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({
            type: "earn",
            card: cards[++sequence % cards.length],
            amountCents: 1234,
            idempotencyKey: randomUUID(),
            staffId: staff.id,
            clientTime: new Date().toISOString(),
          }),
        }),
      },
    ],
  });

  // Warm-up (JIT, every pool connection's prepared statements), not counted.
  await measure("warm-up", join("warm"), Math.min(requests, 200), 302);
  const cards = (await sql`select card_number from loyalty_cards order by created_at desc limit 100`).map(
    (row) => row.card_number as string,
  );
  await measure("warm-up", earn(cards), Math.min(requests, 200), 201);

  const rows = [
    await measure("POST /loyalty/join (new shopper each)", join("cost"), requests, 302),
    await measure("POST /api/terminal/v1/transactions (earn)", earn(cards), requests, 201),
  ];
  console.log(
    `\nRewardFlow request cost — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPUs, ${requests} requests each, ${connections} at once, load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}\n`,
  );
  console.table(rows);
} finally {
  await sql.end();
  await app.stop();
  await counter?.close();
}
