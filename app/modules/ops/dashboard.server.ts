import { and, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { loyaltyCards } from "~/modules/loyalty/schema";
import { emailLogs } from "~/modules/outbox/schema";
import { cardsInScope, emailLogsInScope, merchantsInScope, storesInScope } from "~/modules/scope/conditions.server";
import type { Scope } from "~/modules/scope/scope";
import { merchants, stores } from "~/modules/tenancy/schema";

/** Midnight in Luxembourg, where the platform's day starts. */
const startOfToday = sql`date_trunc('day', now() at time zone 'Europe/Luxembourg') at time zone 'Europe/Luxembourg'`;

/** The scope's tenants at a glance: merchants, stores, cards, today's enrollments, email queue and Wallet sync health. */
export async function platformDashboard(db: Executor, scope: Scope) {
  const cards = cardsInScope(scope);
  const mail = emailLogsInScope(scope);
  const [row] = await db
    .select({
      merchants: db.$count(merchants, merchantsInScope(scope)),
      stores: db.$count(stores, storesInScope(scope)),
      loyaltyStores: db.$count(stores, and(storesInScope(scope), eq(stores.loyaltyEnabled, true))),
      cards: db.$count(loyaltyCards, cards),
      enrollmentsToday: db.$count(loyaltyCards, and(cards, gte(loyaltyCards.createdAt, startOfToday))),
      queued: db.$count(emailLogs, and(mail, eq(emailLogs.status, "queued"))),
      failed: db.$count(emailLogs, and(mail, eq(emailLogs.status, "failed"))),
      walletFailed: db.$count(loyaltyCards, and(cards, eq(loyaltyCards.googleWalletSyncStatus, "failed"))),
      oldestQueuedSeconds: sql<
        number | null
      >`(select extract(epoch from now() - min(${emailLogs.createdAt}))::int from ${emailLogs} where ${and(mail, eq(emailLogs.status, "queued"))})`,
    })
    .from(sql`(select 1) as dashboard`);
  if (!row) throw new Error("dashboard query returned no row");
  const { oldestQueuedSeconds, ...counts } = row;
  return {
    ...counts,
    oldestQueuedMinutes: oldestQueuedSeconds === null ? null : Math.floor(oldestQueuedSeconds / 60),
  };
}
