import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale, PartialTranslations } from "~/i18n/locales";

export const merchants = pgTable("merchants", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  defaultLanguage: text().$type<Locale>().notNull().default("en"),
  /** The merchant's own privacy notice; the platform's default notice (/privacy) when unset. */
  privacyUrl: text(),
  ...timestamps,
});

export const stores = pgTable(
  "stores",
  {
    id: uuid().primaryKey().defaultRandom(),
    merchantId: uuid()
      .notNull()
      .references(() => merchants.id),
    code: text().notNull().unique(),
    subdomain: text().notNull(),
    customDomain: text(),
    name: text().notNull(),
    description: text().notNull().default(""),
    descriptionTranslations: jsonb().$type<PartialTranslations>().notNull().default({}),
    defaultLanguage: text().$type<Locale>().notNull().default("en"),
    enabledLanguages: text().array().$type<Locale[]>().notNull().default(sql`'{fr,de,lb,en}'::text[]`),
    websiteUrl: text(),
    /** Where replies to the store's emails go (their Reply-To); without one they go to the platform's sender. */
    contactEmail: text(),
    /** The shop's postal address as it is written on a letter, lines separated by newlines. */
    address: text(),
    timezone: text().notNull().default("Europe/Luxembourg"),
    loyaltyEnabled: boolean().notNull().default(false),
    /** Sells online only, with no counter: shoppers are never told to show their card at one (ADR 033). */
    onlineOnly: boolean().notNull().default(false),
    /** Minutes without a touch before a counter terminal locks and asks for a PIN again. */
    terminalIdleLockMinutes: integer().notNull().default(5),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("stores_subdomain_key").on(sql`lower(${table.subdomain})`),
    uniqueIndex("stores_custom_domain_key").on(sql`lower(${table.customDomain})`),
    check("stores_terminal_idle_lock_minutes", sql`${table.terminalIdleLockMinutes} between 1 and 240`),
    check("stores_default_language_enabled", sql`${table.defaultLanguage} = any(${table.enabledLanguages})`),
  ],
);

/** The tenant columns of a row that belongs to one store, and through it to the store's merchant. */
export const storeOwned = {
  merchantId: uuid()
    .notNull()
    .references(() => merchants.id),
  storeId: uuid()
    .notNull()
    .references(() => stores.id),
};
