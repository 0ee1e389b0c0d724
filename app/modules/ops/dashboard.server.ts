import { sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";

/** The platform at a glance: tenants, cards, today's enrollments, email queue and Wallet sync health. */
export async function platformDashboard(db: Executor) {
  const [row] = await db.execute<{
    merchants: number;
    stores: number;
    loyalty_stores: number;
    cards: number;
    enrollments_today: number;
    queued: number;
    failed: number;
    oldest_queued_seconds: number | null;
    wallet_failed: number;
  }>(sql`
    select
      (select count(*)::int from merchants) as merchants,
      (select count(*)::int from stores) as stores,
      (select count(*)::int from stores where loyalty_enabled) as loyalty_stores,
      (select count(*)::int from loyalty_cards) as cards,
      (select count(*)::int from loyalty_cards
        where created_at >= date_trunc('day', now() at time zone 'Europe/Luxembourg') at time zone 'Europe/Luxembourg') as enrollments_today,
      (select count(*)::int from email_logs where status = 'queued') as queued,
      (select count(*)::int from email_logs where status = 'failed') as failed,
      (select extract(epoch from now() - min(created_at))::int from email_logs where status = 'queued') as oldest_queued_seconds,
      (select count(*)::int from loyalty_cards where google_wallet_sync_status = 'failed') as wallet_failed`);
  if (!row) throw new Error("dashboard query returned no row");
  return {
    merchants: row.merchants,
    stores: row.stores,
    loyaltyStores: row.loyalty_stores,
    cards: row.cards,
    enrollmentsToday: row.enrollments_today,
    queued: row.queued,
    failed: row.failed,
    oldestQueuedMinutes: row.oldest_queued_seconds === null ? null : Math.floor(row.oldest_queued_seconds / 60),
    walletFailed: row.wallet_failed,
  };
}
