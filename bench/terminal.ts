import { createHash, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import postgres from "postgres";

/**
 * The terminal API under load: an offline queue of 1,000 transactions uploaded in batches (and
 * replayed, which must change nothing), one earn's round trip, and earns from 32 devices at once.
 * Devices are paired straight in the database (a token hash per device), as pairing is not measured.
 */

type Row = Record<string, string | number>;
const prefix = "/api/terminal/v1";
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** The parts of the API's answers the bench reads. */
interface Answer {
  results?: { status: string; result?: { cardNumber: string } }[];
}

function api(port: number, token: string, method: string, path: string, body?: unknown) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; body: Answer }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: `${prefix}${path}`,
        method,
        agent,
        headers: {
          host: `localhost:${port}`,
          authorization: `Bearer ${token}`,
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
    request.on("error", reject);
    request.end(payload);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function terminalRows(port: number, databaseUrl: string, durationSeconds: number): Promise<Row[]> {
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
    const balances = async () =>
      (
        await sql`select coalesce(sum(points_balance), 0)::bigint as points, count(*)::int as rows
        from loyalty_cards c join loyalty_transactions t on t.card_id = c.id
        where c.card_number in ${sql(cardNumbers)}`
      )[0];
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
    const first = await ingest();
    const afterFirst = await balances();
    const replay = await ingest();
    const afterReplay = await balances();
    const rows: Row[] = [
      {
        scenario: "terminal: 1,000 queued earns, 2 batches of 500",
        "total ms": Math.round(first.ms),
        result: first.statuses,
      },
      {
        scenario: "terminal: the same batches replayed",
        "total ms": Math.round(replay.ms),
        result: `${replay.statuses}; ledger and balances ${
          afterFirst?.points === afterReplay?.points && afterFirst?.rows === afterReplay?.rows ? "unchanged" : "CHANGED"
        }`,
      },
    ];

    // One earn at a time: the round trip of a single counter.
    const latencies: number[] = [];
    for (let n = 0; n < 200; n++) {
      const started = performance.now();
      const response = await api(
        port,
        queueToken,
        "POST",
        "/transactions",
        item({ type: "earn", card: cardNumbers[n % 100], amountCents: 1234 }),
      );
      if (response.status === 201) latencies.push(performance.now() - started);
    }
    rows.push({
      scenario: "terminal: single earn round trip, one device",
      "p50 ms": Math.round(percentile(latencies, 50) * 10) / 10,
      "p99 ms": Math.round(percentile(latencies, 99) * 10) / 10,
      result: `${latencies.length}/200 recorded`,
    });

    // 32 devices earning at once, each on its own card, for the load phase's duration.
    let earned = 0;
    let failed = 0;
    const concurrentLatencies: number[] = [];
    const deadline = performance.now() + durationSeconds * 1000;
    await Promise.all(
      deviceTokens.map(async (token, n) => {
        while (performance.now() < deadline) {
          const started = performance.now();
          const response = await api(
            port,
            token,
            "POST",
            "/transactions",
            item({ type: "earn", card: cardNumbers[n], amountCents: 999 }),
          );
          if (response.status === 201) {
            earned++;
            concurrentLatencies.push(performance.now() - started);
          } else failed++;
        }
      }),
    );
    rows.push({
      scenario: `terminal: earns from ${deviceTokens.length} devices at once`,
      "req/s": Math.round(earned / durationSeconds),
      "p50 ms": Math.round(percentile(concurrentLatencies, 50)),
      "p99 ms": Math.round(percentile(concurrentLatencies, 99)),
      result: `${earned} recorded, ${failed} refused`,
    });
    return rows;
  } finally {
    await sql.end();
  }
}
