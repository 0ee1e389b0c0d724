import { and, eq, type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, alias } from "drizzle-orm/pg-core";
import { users } from "~/modules/auth/schema";
import { customers, loyaltyCards, loyaltyPrograms, loyaltyTransactions } from "~/modules/loyalty/schema";
import { emailLogs } from "~/modules/outbox/schema";
import { merchants, stores } from "~/modules/tenancy/schema";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import type { Scope } from "./scope";

/**
 * The one rule for what a Scope may read, as a drizzle condition per table family. Each function
 * takes the table it filters (the table itself, or a drizzle `alias()` of it for raw SQL that
 * names its tables), so a query in either style asks the same rule. The platform scope reads
 * everything (`true`); a merchant scope reads its own rows; a store scope reads what belongs to
 * the store as documented on each function, always within its merchant.
 */

type Columns<K extends string> = Record<K, AnyPgColumn>;

const everything = sql`true`;

// Subqueries name their own tables, so a condition never depends on the outer query's aliases.
const scopeCard = alias(loyaltyCards, "scope_card");
const scopeActivity = alias(loyaltyTransactions, "scope_activity");
const scopeStore = alias(stores, "scope_store");

/** Merchants: a merchant scope and a store scope both read their own merchant. */
export function merchantsInScope(scope: Scope, table: Columns<"id"> = merchants): SQL {
  if (scope.kind === "platform") return everything;
  return eq(table.id, scope.merchantId);
}

/** Stores: the merchant's stores; a store's stores is the store itself. */
export function storesInScope(scope: Scope, table: Columns<"id" | "merchantId"> = stores): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.id, scope.storeId)) as SQL;
}

/** Loyalty programs belong to the merchant: a store reads its merchant's programs. */
export function programsInScope(scope: Scope, table: Columns<"merchantId"> = loyaltyPrograms): SQL {
  if (scope.kind === "platform") return everything;
  return eq(table.merchantId, scope.merchantId);
}

/**
 * Staff accounts (users): the merchant's accounts (owner and every store's staff); a store's
 * staff are the accounts assigned to that store. Platform admins belong to no merchant.
 */
export function staffInScope(scope: Scope, table: Columns<"merchantId" | "storeId"> = users): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.storeId, scope.storeId)) as SQL;
}

/**
 * Loyalty cards: the merchant's cards. A store's cards are those enrolled at the store or with
 * any ledger row at the store, so a manager finds a sister store's shopper who buys at their
 * counter.
 */
export function cardsInScope(
  scope: Scope,
  table: Columns<"id" | "merchantId" | "enrolledStoreId"> = loyaltyCards,
): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  const activityHere = sql`exists (select 1 from ${loyaltyTransactions} ${scopeActivity} where ${scopeActivity.cardId} = ${table.id} and ${scopeActivity.storeId} = ${scope.storeId})`;
  return sql`(${ofMerchant} and (${eq(table.enrolledStoreId, scope.storeId)} or ${activityHere}))`;
}

/**
 * Enrollments (a card's creation, an event): the merchant's; a store's enrollments are the cards
 * enrolled at the store. Narrower than `cardsInScope` on purpose: a card is enrolled once, in one
 * place.
 */
export function enrollmentsInScope(scope: Scope, table: Columns<"merchantId" | "enrolledStoreId"> = loyaltyCards): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.enrolledStoreId, scope.storeId)) as SQL;
}

/**
 * Ledger rows (loyalty_transactions): a merchant's are the rows recorded at its stores; a store's
 * ledger rows are the rows whose store is that store.
 */
export function ledgerRowsInScope(scope: Scope, table: Columns<"storeId"> = loyaltyTransactions): SQL {
  if (scope.kind === "platform") return everything;
  return sql`${table.storeId} in (select ${scopeStore.id} from ${stores} ${scopeStore} where ${storesInScope(scope, scopeStore)})`;
}

/**
 * Customers: the merchant's customers; a store's customers are those holding one of the store's
 * cards (`cardsInScope`).
 */
export function customersInScope(scope: Scope, table: Columns<"id" | "merchantId"> = customers): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  const holdsCardHere = sql`exists (select 1 from ${loyaltyCards} ${scopeCard} where ${scopeCard.customerId} = ${table.id} and ${cardsInScope(scope, scopeCard)})`;
  return sql`(${ofMerchant} and ${holdsCardHere})`;
}

/** Counter devices (terminal_devices): the merchant's devices; a store's devices are those paired to it. */
export function devicesInScope(scope: Scope, table: Columns<"merchantId" | "storeId"> = terminalDevices): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.storeId, scope.storeId)) as SQL;
}

/** Counter staff: the merchant's counter staff; a store's counter staff are the people working at it. */
export function counterStaffInScope(scope: Scope, table: Columns<"merchantId" | "storeId"> = counterStaff): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.storeId, scope.storeId)) as SQL;
}

/**
 * Email log rows: a merchant's are the emails sent for it (shoppers' emails name their merchant);
 * a store's are those sent for the store. Staff emails (invitations, resets, SMTP tests) name no
 * merchant: only the platform reads them.
 */
export function emailLogsInScope(scope: Scope, table: Columns<"merchantId" | "storeId"> = emailLogs): SQL {
  if (scope.kind === "platform") return everything;
  const ofMerchant = eq(table.merchantId, scope.merchantId);
  if (scope.kind === "merchant") return ofMerchant;
  return and(ofMerchant, eq(table.storeId, scope.storeId)) as SQL;
}
