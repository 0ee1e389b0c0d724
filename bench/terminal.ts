import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import postgres from "postgres";

/**
 * The terminal API under load: an offline queue of 1,000 transactions uploaded in batches (and
 * replayed, which must change nothing), one earn's round trip, and earns from 32 devices at once.
 * Devices are paired straight in the database (a token hash per device), as pairing is not measured.
 *
 * Machines differ, so each figure is also given against a baseline measured in the same run with the
 * same HTTP client: `GET /healthz`, a bare JSON answer of the same Express server (request id, log line,
 * compression, security headers; no database), before and after the phases. Throughputs are divided by
 * its requests per second at 32 connections, latencies by its one-at-a-time round trip (docs/performance.md).
 */

type Row = Record<string, string | number>;
const prefix = "/api/terminal/v1";
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The parts of the API's answers the bench reads. */
interface Answer {
  results?: { status: string; result?: { cardNumber: string } }[];
}

/** One request through the shared keep-alive agent; resolves with the status and the parsed body. */
function request(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; body: Answer }>((resolve, reject) => {
    const outgoing = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        agent,
        headers: {
          host: `localhost:${port}`,
          ...headers,
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "null") }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const api = (port: number, token: string, method: string, path: string, body?: unknown) =>
  request(port, method, `${prefix}${path}`, { authorization: `Bearer ${token}` }, body);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** `count` calls one after the other: their round trips in milliseconds. */
async function oneAtATime(count: number, call: (n: number) => Promise<boolean>) {
  const latencies: number[] = [];
  for (let n = 0; n < count; n++) {
    const started = performance.now();
    if (await call(n)) latencies.push(performance.now() - started);
  }
  return latencies;
}

/** `clients` loops calling for `seconds`: completed calls per second, their latencies, the failures. */
async function atOnce(clients: number, seconds: number, call: (client: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        if (await call(client)) latencies.push(performance.now() - sent);
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, latencies, failed };
}

/** The unit of this run: `GET /healthz` one at a time (latency) and from 32 connections (throughput). */
export async function measureBaseline(port: number, seconds: number) {
  const healthy = async () => (await request(port, "GET", "/healthz", {})).status === 200;
  await oneAtATime(100, healthy);
  const single = await oneAtATime(500, healthy);
  const loaded = await atOnce(32, seconds, healthy);
  return { p50Ms: percentile(single, 50), p99Ms: percentile(single, 99), perSecond: loaded.perSecond };
}

export type Baseline = Awaited<ReturnType<typeof measureBaseline>>;

/** The baseline measured before and after the phases: their mean, as the load of a shared machine drifts. */
export function meanBaseline(before: Baseline, after: Baseline): Baseline {
  return {
    p50Ms: (before.p50Ms + after.p50Ms) / 2,
    p99Ms: (before.p99Ms + after.p99Ms) / 2,
    perSecond: (before.perSecond + after.perSecond) / 2,
  };
}

export function baselineRow(before: Baseline, after: Baseline): Row {
  return {
    scenario: "baseline: GET /healthz (bare JSON, same server and client), before / after",
    "req/s": `${Math.round(before.perSecond)} / ${Math.round(after.perSecond)}`,
    "p50 ms": `${round(before.p50Ms, 2)} / ${round(after.p50Ms, 2)}`,
    "p99 ms": `${round(before.p99Ms, 2)} / ${round(after.p99Ms, 2)}`,
    "vs baseline": "1: req/s at 32 connections, p50 one at a time (mean of both)",
  };
}

/** A row and what it is compared by: a throughput (per second) or a latency (p50 ms). */
export interface Measured {
  row: Row;
  perSecond?: number;
  p50Ms?: number;
}

/** Each row with its figure against the baseline: throughput ÷ baseline req/s, or p50 ÷ baseline p50. */
export function againstBaseline(measured: readonly Measured[], baseline: Baseline): Row[] {
  return measured.map(({ row, perSecond, p50Ms }) => ({
    ...row,
    "vs baseline":
      perSecond !== undefined
        ? round(perSecond / baseline.perSecond, 3)
        : p50Ms !== undefined
          ? `p50 ×${round(p50Ms / baseline.p50Ms)}`
          : "",
  }));
}

export async function terminalRows(port: number, databaseUrl: string, durationSeconds: number): Promise<Measured[]> {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    const [store] = await sql`select id, merchant_id from stores where code = 'FASHIONHUB'`;
    const [staff] = await sql`select id from counter_staff where store_id = ${store?.id} and pin_hash is not null
      and deactivated_at is null and pin_locked_at is null limit 1`;
    if (!store || !staff) throw new Error("the demo counter staff of FashionHub is missing");
    const tokens: string[] = [];
    for (let n = 0; n < 33; n++) {
      const token = randomBytes(32).toString("base64url");
      await sql`insert into terminal_devices (merchant_id, store_id, name, token_hash, paired_at)
        values (${store.merchant_id}, ${store.id}, ${`Bench till ${n}`}, ${createHash("sha256").update(token).digest("hex")}, now())`;
      tokens.push(token);
    }
    const [queueToken, ...deviceTokens] = tokens as [string, ...string[]];
    const item = (fields: Record<string, unknown>) => ({
      idempotencyKey: randomUUID(),
      staffId: staff.id,
      clientTime: new Date().toISOString(),
      ...fields,
    });

    // 100 shoppers enrolled at the counter, then 1,000 queued earns spread over their cards.
    const enrolled = await api(port, queueToken, "POST", "/transactions/batch", {
      transactions: Array.from({ length: 100 }, (_, n) =>
        item({
          type: "enroll",
          firstName: "Bench",
          lastName: `Queue ${n}`,
          email: `queue-${n}@bench.example`,
          locale: "fr",
        }),
      ),
    });
    const cardNumbers: string[] = (enrolled.body.results ?? []).map((entry) => entry.result?.cardNumber ?? "");
    const queue = Array.from({ length: 1000 }, (_, n) =>
      item({ type: "earn", card: cardNumbers[n % cardNumbers.length], amountCents: 500 + n }),
    );
    const batches = [queue.slice(0, 500), queue.slice(500)];
    /** What a replay must leave alone: the queue cards' balances, their ledger rows, every email queued. */
    const state = async () => {
      const [row] = await sql`select
          (select coalesce(sum(points_balance), 0)::int from loyalty_cards where card_number in ${sql(cardNumbers)}) as points,
          (select count(*)::int from loyalty_transactions t join loyalty_cards c on c.id = t.card_id
            where c.card_number in ${sql(cardNumbers)}) as rows,
          (select count(*)::int from email_logs) as emails`;
      return `${row?.points} points, ${row?.rows} ledger rows, ${row?.emails} emails`;
    };
    const ingest = async () => {
      const started = performance.now();
      const statuses = new Map<string, number>();
      for (const transactions of batches) {
        const response = await api(port, queueToken, "POST", "/transactions/batch", { transactions });
        for (const result of response.body.results ?? [])
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
      return { ms: performance.now() - started, statuses: [...statuses].map(([s, n]) => `${n} ${s}`).join(", ") };
    };
    const beforeFirst = await state();
    const first = await ingest();
    const afterFirst = await state();
    const replay = await ingest();
    const afterReplay = await state();
    const perSecond = (ms: number) => queue.length / (ms / 1000);
    const rows: Measured[] = [
      {
        row: {
          scenario: "terminal: 1,000 queued earns, 2 batches of 500",
          "total ms": Math.round(first.ms),
          "items/s": Math.round(perSecond(first.ms)),
          result: `${first.statuses}; before: ${beforeFirst}; after: ${afterFirst}`,
        },
        perSecond: perSecond(first.ms),
      },
      {
        row: {
          scenario: "terminal: the same batches replayed",
          "total ms": Math.round(replay.ms),
          "items/s": Math.round(perSecond(replay.ms)),
          result: `${replay.statuses}; after: ${afterReplay}; ${afterFirst === afterReplay ? "unchanged" : "CHANGED"}`,
        },
        perSecond: perSecond(replay.ms),
      },
    ];

    // One earn at a time: the round trip of a single counter.
    const single = await oneAtATime(
      200,
      async (n) =>
        (
          await api(
            port,
            queueToken,
            "POST",
            "/transactions",
            item({ type: "earn", card: cardNumbers[n % 100], amountCents: 1234 }),
          )
        ).status === 201,
    );
    rows.push({
      row: {
        scenario: "terminal: single earn round trip, one device",
        "p50 ms": round(percentile(single, 50)),
        "p99 ms": round(percentile(single, 99)),
        result: `${single.length}/200 recorded`,
      },
      p50Ms: percentile(single, 50),
    });

    // 32 devices earning at once, each on its own card, for the load phase's duration.
    const loaded = await atOnce(
      deviceTokens.length,
      durationSeconds,
      async (n) =>
        (
          await api(
            port,
            deviceTokens[n] as string,
            "POST",
            "/transactions",
            item({ type: "earn", card: cardNumbers[n], amountCents: 999 }),
          )
        ).status === 201,
    );
    rows.push({
      row: {
        scenario: `terminal: earns from ${deviceTokens.length} devices at once`,
        "req/s": Math.round(loaded.perSecond),
        "p50 ms": Math.round(percentile(loaded.latencies, 50)),
        "p99 ms": Math.round(percentile(loaded.latencies, 99)),
        result: `${loaded.latencies.length} recorded, ${loaded.failed} refused`,
      },
      perSecond: loaded.perSecond,
    });
    return rows;
  } finally {
    await sql.end();
  }
}
