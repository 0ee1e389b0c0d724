import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale, PartialTranslations } from "~/i18n/locales";
import { merchants, stores } from "~/modules/tenancy/schema";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import type { PointsExpiryRule, ProgramKind } from "./program-rules";

export { type PointsExpiryRule, type ProgramKind, pointsExpiryRules, programKinds } from "./program-rules";

export const loyaltyPrograms = pgTable(
  "loyalty_programs",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => merchants.id),
    name: text().notNull(),
    nameTranslations: jsonb().$type<PartialTranslations>().notNull().default({}),
    kind: text().$type<ProgramKind>().notNull(),
    pointsPerEuro: integer().notNull().default(1),
    stampsPerCard: integer().notNull().default(10),
    welcomeBonus: integer().notNull().default(0),
    stampsPerPurchase: integer().notNull().default(1),
    pointsExpiryRule: text().$type<PointsExpiryRule>().notNull().default("none"),
    /** Set exactly when the rule is not `none`. */
    pointsExpiryMonths: integer(),
    brandColor: text().notNull().default("#1f4e79"),
    logoUrl: text(),
    termsUrl: text(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("loyalty_programs_one_active_per_merchant").on(table.merchantId).where(sql`${table.active}`),
    check("loyalty_programs_kind", sql`${table.kind} in ('points', 'stamps')`),
    check(
      "loyalty_programs_positive",
      sql`${table.pointsPerEuro} >= 0 and ${table.stampsPerCard} > 0 and ${table.welcomeBonus} >= 0`,
    ),
    check("loyalty_programs_stamps_per_purchase", sql`${table.stampsPerPurchase} between 1 and 100`),
    check(
      "loyalty_programs_points_expiry",
      sql`${table.pointsExpiryRule} in ('none', 'after_earning', 'after_inactivity')
        and (${table.pointsExpiryRule} = 'none') = (${table.pointsExpiryMonths} is null)
        and (${table.pointsExpiryMonths} is null or ${table.pointsExpiryMonths} between 1 and 120)
        and (${table.pointsExpiryRule} = 'none' or ${table.kind} = 'points')`,
    ),
  ],
);

export const loyaltyRewards = pgTable(
  "loyalty_rewards",
  {
    id: uuid().primaryKey().defaultRandom(),
    programId: uuid()
      .notNull()
      .references(() => loyaltyPrograms.id),
    name: text().notNull(),
    nameTranslations: jsonb().$type<PartialTranslations>().notNull().default({}),
    cost: integer().notNull(),
    active: boolean().notNull().default(true),
    ...timestamps,
  },
  (table) => [check("loyalty_rewards_cost_positive", sql`${table.cost} > 0`)],
);

export const customers = pgTable(
  "customers",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => merchants.id),
    email: text().notNull(),
    firstName: text().notNull(),
    lastName: text().notNull(),
    phone: text(),
    birthDate: date(),
    preferredLanguage: text().$type<Locale>().notNull(),
    termsAcceptedAt: timestamp({ withTimezone: true }).notNull(),
    marketingConsentAt: timestamp({ withTimezone: true }),
    /** Set by the one-click unsubscribe link of reminder emails (points expiring). */
    remindersOptedOutAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (table) => [uniqueIndex("customers_merchant_email_key").on(table.merchantId, sql`lower(${table.email})`)],
);

export const cardStatuses = ["active", "blocked", "closed"] as const;
export type CardStatus = (typeof cardStatuses)[number];

/** `retrying`: a transient failure, the job runs again; `failed`: given up (a permanent error or the last attempt). */
export const walletSyncStatuses = ["synced", "retrying", "failed"] as const;
export type WalletSyncStatus = (typeof walletSyncStatuses)[number];

export const loyaltyCards = pgTable(
  "loyalty_cards",
  {
    id: uuid().primaryKey().defaultRandom(),
    programId: uuid()
      .notNull()
      .references(() => loyaltyPrograms.id),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    merchantId: uuid()
      .notNull()
      .references(() => merchants.id),
    enrolledStoreId: uuid()
      .notNull()
      .references(() => stores.id),
    cardNumber: text().notNull().unique(),
    publicToken: text().notNull().unique(),
    pointsBalance: integer().notNull().default(0),
    stampsBalance: integer().notNull().default(0),
    status: text().$type<CardStatus>().notNull().default("active"),
    googleWalletObjectId: text(),
    /** The last Google Wallet sync of this card's pass: when, how it ended, and why it failed. */
    googleWalletSyncedAt: timestamp({ withTimezone: true }),
    googleWalletSyncStatus: text().$type<WalletSyncStatus>(),
    googleWalletSyncError: text(),
    ...timestamps,
  },
  (table) => [
    unique("loyalty_cards_program_customer_key").on(table.programId, table.customerId),
    check("loyalty_cards_points_not_negative", sql`${table.pointsBalance} >= 0`),
    check("loyalty_cards_stamps_not_negative", sql`${table.stampsBalance} >= 0`),
    check(
      "loyalty_cards_wallet_sync_status",
      sql`${table.googleWalletSyncStatus} is null or ${table.googleWalletSyncStatus} in ('synced', 'retrying', 'failed')`,
    ),
    // Merchant lookups, and the export's keyset order (created_at, id) within a merchant.
    index("loyalty_cards_merchant_created_idx").on(table.merchantId, table.createdAt, table.id),
    index("loyalty_cards_created_idx").on(table.createdAt, table.id),
  ],
);

export const transactionTypes = [
  "welcome_bonus",
  "enroll",
  "earn",
  "stamp",
  "redeem",
  "adjust",
  "expire",
  "void",
] as const;
export type TransactionType = (typeof transactionTypes)[number];

/**
 * The ledger: append-only (a trigger refuses UPDATE and DELETE). Each row records who acted (a
 * counter staff member on a device, or a staff user in the portal), the client's idempotency key
 * and time, the server time, and the card's balance after it.
 */
export const loyaltyTransactions = pgTable(
  "loyalty_transactions",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    cardId: uuid()
      .notNull()
      .references(() => loyaltyCards.id),
    storeId: uuid()
      .notNull()
      .references(() => stores.id),
    type: text().$type<TransactionType>().notNull(),
    pointsDelta: integer().notNull().default(0),
    stampsDelta: integer().notNull().default(0),
    pointsBalanceAfter: integer(),
    stampsBalanceAfter: integer(),
    amountCents: integer(),
    rewardId: uuid().references(() => loyaltyRewards.id),
    actingUserId: uuid(),
    actingCounterStaffId: uuid().references(() => counterStaff.id),
    actingDeviceId: uuid().references(() => terminalDevices.id),
    /** Unique across the platform; a replay must also match the fingerprint (see ADR 015). */
    idempotencyKey: text().unique(),
    /** SHA-256 of the operation's payload: the same key with another payload is a conflict, not a replay. */
    requestFingerprint: text(),
    clientTime: timestamp({ withTimezone: true }),
    reason: text(),
    voidedTransactionId: bigint({ mode: "number" }).references((): AnyPgColumn => loyaltyTransactions.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("loyalty_transactions_card_idx").on(table.cardId, table.createdAt),
    // The portal's "last active" per counter staff member.
    index("loyalty_transactions_counter_staff_idx")
      .on(table.actingCounterStaffId, table.createdAt)
      .where(sql`${table.actingCounterStaffId} is not null`),
    // One reversal per transaction, never two: a fact of the database, not of the service.
    uniqueIndex("loyalty_transactions_one_void_per_transaction")
      .on(table.voidedTransactionId)
      .where(sql`${table.voidedTransactionId} is not null`),
    check(
      "loyalty_transactions_type",
      sql`${table.type} in ('welcome_bonus', 'enroll', 'earn', 'stamp', 'redeem', 'adjust', 'expire', 'void')`,
    ),
    check(
      "loyalty_transactions_void_target",
      sql`(${table.type} = 'void') = (${table.voidedTransactionId} is not null)`,
    ),
    check(
      "loyalty_transactions_reason",
      sql`${table.type} not in ('adjust', 'void') or length(trim(${table.reason})) > 0`,
    ),
  ],
);

/** One "points expiring" notice per card and expiry date: the daily task never reminds twice. */
export const pointsExpiryNotices = pgTable(
  "points_expiry_notices",
  {
    cardId: uuid()
      .notNull()
      .references(() => loyaltyCards.id),
    expiresOn: date({ mode: "string" }).notNull(),
    expiringPoints: integer().notNull(),
    /** The queued email, or null when the shopper had turned reminders off. */
    emailLogId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.cardId, table.expiresOn] })],
);
