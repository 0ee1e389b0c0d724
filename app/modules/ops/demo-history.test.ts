import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loyaltyAnalytics } from "~/modules/loyalty/analytics.server";
import { expirePoints } from "~/modules/loyalty/points-expiry.server";
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

  it("expires LuxWeb's points by its rule (3 months without activity), and leaves the daily task nothing to do", async () => {
    const rows = await db.execute<{ merchant: string; taken: number; after: number; at: string; due_from: string }>(sql`
      select m.slug as merchant, -e.points_delta as taken, e.points_balance_after as after, e.created_at::text as at,
        (select max(t.created_at) + interval '3 months' from loyalty_transactions t where t.card_id = e.card_id
          and t.created_at < e.created_at
          and t.type in ('welcome_bonus', 'enroll', 'earn', 'stamp', 'redeem'))::text as due_from
      from loyalty_transactions e join loyalty_cards c on c.id = e.card_id join merchants m on m.id = c.merchant_id
      where e.type = 'expire'`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((row) => row.merchant))).toEqual(new Set(["luxweb"]));
    for (const row of rows) {
      const at = new Date(row.at);
      const dueFrom = new Date(row.due_from);
      expect(row.taken).toBeGreaterThan(0);
      expect(row.after).toBe(0);
      // At the daily run (02:15 UTC) on or right after the day the balance lapsed.
      expect([at.getUTCHours(), at.getUTCMinutes()]).toEqual([2, 15]);
      expect(at.getTime()).toBeGreaterThanOrEqual(dueFrom.getTime());
      expect(at.getTime() - dueFrom.getTime()).toBeLessThan(86_400_000);
    }
    expect((await expirePoints(db, lastExpiryRun(now))).expiredCards).toBe(0);
  });

  it("expires by 'months after earning' too, oldest points first, as the daily task would have", async () => {
    const copy = await createTestDatabase();
    await seedDemoData(copy.db);
    await copy.db.execute(sql`update loyalty_programs set points_expiry_rule = 'after_earning', points_expiry_months = 3
      where merchant_id = (select id from merchants where slug = 'bookworld')`);
    await seedDemoHistory(copy.db, now);
    const rows = await copy.db.execute<{ taken: number; due: number; at: string }>(sql`
      select -e.points_delta as taken, e.created_at::text as at,
        (select coalesce(sum(t.points_delta) filter (where t.points_delta > 0
            and (date_trunc('month', t.created_at at time zone 'UTC') + interval '4 months') at time zone 'UTC' <= e.created_at), 0)
          + coalesce(sum(t.points_delta) filter (where t.points_delta < 0), 0)
         from loyalty_transactions t where t.card_id = e.card_id and t.created_at < e.created_at and t.type <> 'void'
           and not exists (select 1 from loyalty_transactions v where v.voided_transaction_id = t.id))::int as due
      from loyalty_transactions e join loyalty_cards c on c.id = e.card_id
      where e.type = 'expire' and c.merchant_id = (select id from merchants where slug = 'bookworld')`);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.taken).toBe(row.due);
      expect(new Date(row.at).getUTCDate()).toBe(1);
    }
    expect((await expirePoints(copy.db, lastExpiryRun(now))).expiredCards).toBe(0);
  });
});

/** The last daily expiry run (02:15 UTC) the history covers: it ends a day before `now`. */
function lastExpiryRun(at: Date): Date {
  const end = at.getTime() - 86_400_000;
  const run = Math.floor(end / 86_400_000) * 86_400_000 + (2 * 60 + 15) * 60_000;
  return new Date(run <= end ? run : run - 86_400_000);
}
