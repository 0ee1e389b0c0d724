import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loyaltyAnalytics } from "~/modules/loyalty/analytics.server";
import { createTestDatabase } from "~/test/database";
import { seedDemoHistory } from "./demo-history.server";
import { seedDemoData } from "./demo-tenants.server";

const { db } = await createTestDatabase();
const now = new Date("2026-12-01T10:00:00Z");
let elapsedMs = 0;
let written = { shoppers: 0, rows: 0 };

beforeAll(async () => {
  await seedDemoData(db);
  const started = performance.now();
  written = await seedDemoHistory(db, now);
  elapsedMs = performance.now() - started;
});

describe("demo history", () => {
  it("writes a year of history for the demo merchants within a few seconds", () => {
    expect(written.shoppers).toBeGreaterThan(500);
    expect(written.rows).toBeGreaterThan(3000);
    expect(elapsedMs).toBeLessThan(10_000);
    process.stdout.write(
      `demo history: ${written.shoppers} shoppers, ${written.rows} rows in ${Math.round(elapsedMs)} ms\n`,
    );
  });

  it("queues no email and no job for the past", async () => {
    const [logs] = await db.execute<{ n: number }>(sql`select count(*)::int as n from email_logs`);
    const [jobs] = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs`);
    expect(logs?.n).toBe(0);
    expect(jobs?.n).toBe(0);
  });

  it("keeps every card's cached balance equal to its ledger, never negative", async () => {
    const mismatched = await db.execute(sql`
      select c.id from loyalty_cards c
      left join loyalty_transactions t on t.card_id = c.id
      group by c.id
      having c.points_balance <> coalesce(sum(t.points_delta), 0) or c.stamps_balance <> coalesce(sum(t.stamps_delta), 0)`);
    expect(mismatched).toHaveLength(0);
    const [negative] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from loyalty_transactions where points_balance_after < 0 or stamps_balance_after < 0`);
    expect(negative?.n).toBe(0);
  });

  it("spreads enrollments over the year and both Fashion Group stores, all in the past", async () => {
    const rows = await db.execute<{ store: string; months: number; first: string; last: string }>(sql`
      select s.code as store, count(distinct date_trunc('month', c.created_at))::int as months,
        min(c.created_at)::text as first, max(c.created_at)::text as last
      from loyalty_cards c join stores s on s.id = c.enrolled_store_id
      where s.code in ('FASHIONHUB', 'FASHIONOUTLET') group by s.code order by s.code`);
    expect(rows.map((row) => row.store)).toEqual(["FASHIONHUB", "FASHIONOUTLET"]);
    for (const row of rows) {
      expect(row.months).toBeGreaterThanOrEqual(11);
      expect(new Date(row.last).getTime()).toBeLessThan(now.getTime());
    }
    const [types] = await db.execute<{ voids: number; redeems: number; earns: number }>(sql`
      select count(*) filter (where type = 'void')::int as voids, count(*) filter (where type = 'redeem')::int as redeems,
        count(*) filter (where type = 'earn')::int as earns from loyalty_transactions`);
    expect(types?.voids).toBeGreaterThan(5);
    expect(types?.redeems).toBeGreaterThan(50);
  });

  it("gives Fashion Group's analytics revenue, issued and redeemed points over the year", async () => {
    const [fashion] = await db.execute<{ id: string }>(sql`select id from merchants where slug = 'fashion-group'`);
    const result = await loyaltyAnalytics(
      db,
      { kind: "merchant", merchantId: fashion?.id ?? "" },
      { from: "2025-12-01", to: "2026-11-30" },
    );
    const revenue = result.movements.reduce((sum, row) => sum + row.revenue_cents, 0);
    const redeemed = result.movements.reduce((sum, row) => sum + row.redeemed, 0);
    expect(revenue).toBeGreaterThan(1_000_000);
    expect(redeemed).toBeGreaterThan(0);
    expect(result.movements.filter((row) => row.issued > 0).length).toBeGreaterThanOrEqual(11);
    expect(result.cohorts.length).toBeGreaterThanOrEqual(11);
  });

  it("writes the same history on every first start", async () => {
    const copy = await createTestDatabase();
    await seedDemoData(copy.db);
    await seedDemoHistory(copy.db, now);
    const fingerprint = (database: typeof db) =>
      database.execute<{ f: string }>(sql`
        select md5(string_agg(type || ':' || points_delta || ':' || stamps_delta || ':' || coalesce(amount_cents, 0) || ':' || created_at::text, ',' order by created_at, id)) as f
        from loyalty_transactions`);
    expect((await fingerprint(copy.db))[0]?.f).toBe((await fingerprint(db))[0]?.f);
  });
});
