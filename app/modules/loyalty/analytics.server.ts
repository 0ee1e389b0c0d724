import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "~/db/client.server";
import { cardsInScope, enrollmentsInScope, ledgerRowsInScope } from "~/modules/scope/conditions.server";
import type { Scope } from "~/modules/scope/scope";
import { loyaltyCards, loyaltyTransactions } from "./schema";

export interface AnalyticsRange {
  /** Inclusive, YYYY-MM-DD, in the merchant's time zone. */
  from: string;
  /** Inclusive, YYYY-MM-DD. */
  to: string;
}

export type Bucket = "day" | "week" | "month";

/** Days for short ranges, weeks up to about six months, months beyond: charts stay readable. */
export function bucketFor(range: AnalyticsRange): Bucket {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  return days <= 62 ? "day" : days <= 190 ? "week" : "month";
}

/** The zone of the date presets ("today", "this month"); events are counted in their store's zone. */
export const analyticsTimeZone = "Europe/Luxembourg";

/** The zone an event's day is counted in: the store where it happened. */
const transactionZone = sql`(select st.timezone from stores st where st.id = t.store_id)`;

// The raw SQL below names its tables c and t; the scope rule filters these aliases.
const c = alias(loyaltyCards, "c");
const t = alias(loyaltyTransactions, "t");

/**
 * A row that stands: not a void, and not voided. A voided purchase was no revenue and a voided
 * redeem no redemption, so both the row and its void are left out of every figure.
 */
const standing = sql`t.type <> 'void' and not exists (select 1 from loyalty_transactions v where v.voided_transaction_id = t.id)`;

/** What counts as a shopper's activity in cohorts: purchases and redemptions, not staff corrections or expiries. */
const shopperActivity = sql`t.type in ('earn', 'stamp', 'redeem')`;

const inRange = (column: ReturnType<typeof sql.raw>, zone: ReturnType<typeof sql>, range: AnalyticsRange) =>
  sql`(${column} at time zone ${zone})::date between ${range.from}::date and ${range.to}::date`;

/**
 * The merchant analytics for a date range, in the actor's scope. Balances are counted in the
 * program's unit (points or stamps): `issued` adds every positive movement (bonuses, purchases,
 * adjustments), `redeemed` every redemption, `revenue` the purchases' amounts; voided rows and
 * their voids are left out of all of them.
 * Card counts use the scope's cards; enrollments and cohorts count cards where they were enrolled;
 * movements and redeemers count ledger rows where they happened.
 */
export async function loyaltyAnalytics(db: Executor, scope: Scope, range: AnalyticsRange) {
  const bucket = bucketFor(range);
  const [periods, enrollments, movements, summary, cohorts] = await Promise.all([
    // Every period of the range, so quiet days still take their place on the charts.
    db.execute<{ day: string }>(sql`
      select to_char(g::date, 'YYYY-MM-DD') as day
      from generate_series(date_trunc(${bucket}, ${range.from}::date), ${range.to}::date, ('1 ' || ${bucket})::interval) g`),
    db.execute<{ day: string; store: string; count: number }>(sql`
      select to_char(date_trunc(${bucket}, c.created_at at time zone s.timezone)::date, 'YYYY-MM-DD') as day, s.name as store, count(*)::int as count
      from loyalty_cards c join stores s on s.id = c.enrolled_store_id
      where ${enrollmentsInScope(scope, c)} and ${inRange(sql.raw("c.created_at"), sql`s.timezone`, range)}
      group by 1, 2 order by 1, 2`),
    db.execute<{ day: string; issued: number; redeemed: number; revenue_cents: number }>(sql`
      select to_char(date_trunc(${bucket}, t.created_at at time zone ts.timezone)::date, 'YYYY-MM-DD') as day,
        coalesce(sum(greatest(t.points_delta, 0) + greatest(t.stamps_delta, 0)), 0)::int as issued,
        coalesce(sum(case when t.type = 'redeem' then -(t.points_delta + t.stamps_delta) else 0 end), 0)::int as redeemed,
        coalesce(sum(case when t.type in ('earn', 'stamp') then t.amount_cents else 0 end), 0)::bigint as revenue_cents
      from loyalty_transactions t join stores ts on ts.id = t.store_id
      where ${ledgerRowsInScope(scope, t)} and ${standing} and ${inRange(sql.raw("t.created_at"), sql`ts.timezone`, range)}
      group by 1 order by 1`),
    db.execute<{ cards: number; redeemers: number; reachable: number }>(sql`
      select
        (select count(*)::int from loyalty_cards c where ${cardsInScope(scope, c)}) as cards,
        (select count(distinct t.card_id)::int from loyalty_transactions t
          where ${ledgerRowsInScope(scope, t)} and t.type = 'redeem' and ${standing} and ${inRange(sql.raw("t.created_at"), transactionZone, range)}) as redeemers,
        (select count(*)::int from loyalty_cards c
          where ${cardsInScope(scope, c)} and (
            exists (select 1 from loyalty_rewards r where r.program_id = c.program_id and r.active
              and r.cost <= (case when c.points_balance > 0 then c.points_balance else c.stamps_balance end))
            or exists (select 1 from loyalty_transactions t where t.card_id = c.id and t.type = 'redeem' and ${standing}
              and ${inRange(sql.raw("t.created_at"), transactionZone, range)}))) as reachable`),
    db.execute<{ cohort: string; size: number; months_later: number | null; active: number | null }>(sql`
      with cards as (
        select c.id, date_trunc('month', c.created_at at time zone cs.timezone)::date as cohort
        from loyalty_cards c join stores cs on cs.id = c.enrolled_store_id
        where ${enrollmentsInScope(scope, c)}
          and date_trunc('month', c.created_at at time zone cs.timezone) between date_trunc('month', ${range.to}::date) - interval '11 months' and date_trunc('month', ${range.to}::date)
      ),
      sizes as (select cohort, count(*)::int as size from cards group by cohort),
      activity as (
        select distinct t.card_id, date_trunc('month', t.created_at at time zone ts.timezone)::date as month
        from loyalty_transactions t join cards on cards.id = t.card_id join stores ts on ts.id = t.store_id
        where ${shopperActivity} and ${standing}
      ),
      retained as (
        select cards.cohort,
          ((extract(year from a.month) - extract(year from cards.cohort)) * 12 + extract(month from a.month) - extract(month from cards.cohort))::int as months_later,
          count(distinct cards.id)::int as active
        from cards join activity a on a.card_id = cards.id and a.month > cards.cohort
        group by 1, 2
      )
      select to_char(s.cohort, 'YYYY-MM') as cohort, s.size, r.months_later, r.active
      from sizes s left join retained r on r.cohort = s.cohort
      order by s.cohort, r.months_later`),
  ]);
  return {
    bucket,
    periods: periods.map((row) => row.day),
    enrollments: [...enrollments],
    movements: movements.map((row) => ({ ...row, revenue_cents: Number(row.revenue_cents) })),
    summary: summary[0] ?? { cards: 0, redeemers: 0, reachable: 0 },
    cohorts: cohortTable([...cohorts], range.to),
  };
}

export const cohortMonths = 6;

/**
 * One row per enrollment month: its size and, for each of the next six months, the share of its
 * cards with activity then (null for months after the range's end: not observed yet).
 */
function cohortTable(
  rows: { cohort: string; size: number; months_later: number | null; active: number | null }[],
  to: string,
) {
  const lastMonth = monthIndex(to.slice(0, 7));
  const byCohort = new Map<string, { cohort: string; size: number; shares: (number | null)[] }>();
  for (const row of rows) {
    let entry = byCohort.get(row.cohort);
    if (!entry) {
      const start = monthIndex(row.cohort);
      const shares = Array.from({ length: cohortMonths }, (_, i) => (start + i + 1 <= lastMonth ? 0 : null));
      entry = { cohort: row.cohort, size: row.size, shares };
      byCohort.set(row.cohort, entry);
    }
    if (row.months_later !== null && row.active !== null && row.months_later >= 1 && row.months_later <= cohortMonths) {
      if (entry.shares[row.months_later - 1] !== null) entry.shares[row.months_later - 1] = row.active / row.size;
    }
  }
  return [...byCohort.values()].map((entry) => ({
    cohort: entry.cohort,
    size: entry.size,
    months: entry.shares.map((share, index) => ({ monthsLater: index + 1, share })),
  }));
}

const monthIndex = (yearMonth: string) => {
  const [year, month] = yearMonth.split("-").map(Number);
  return (year ?? 0) * 12 + (month ?? 1) - 1;
};
