import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale } from "~/i18n/locales";
import { merchants, stores } from "~/modules/tenancy/schema";

export const roles = ["platform_admin", "merchant_owner", "store_manager", "store_staff"] as const;
export type Role = (typeof roles)[number];

/** Staff accounts. Scope: platform admins have none; owners a merchant; managers and staff a store. */
export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text(),
    role: text().$type<Role>().notNull(),
    merchantId: uuid().references(() => merchants.id),
    storeId: uuid().references(() => stores.id),
    preferredLanguage: text().$type<Locale>().notNull().default("en"),
    active: boolean().notNull().default(true),
    failedLoginCount: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastLoginAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("users_email_key").on(sql`lower(${table.email})`),
    check(
      "users_role_scope",
      sql`(${table.role} = 'platform_admin' and ${table.merchantId} is null and ${table.storeId} is null)
        or (${table.role} = 'merchant_owner' and ${table.merchantId} is not null and ${table.storeId} is null)
        or (${table.role} in ('store_manager', 'store_staff') and ${table.merchantId} is not null and ${table.storeId} is not null)`,
    ),
  ],
);

/** Database-backed sessions; the cookie carries a random token, the table only its SHA-256. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ipAddress: text(),
    userAgent: text(),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const userTokenPurposes = ["password_reset", "invitation"] as const;
export type UserTokenPurpose = (typeof userTokenPurposes)[number];

/** One-time tokens sent by email (password reset, invitation); only their hash is stored. */
export const userTokens = pgTable("user_tokens", {
  tokenHash: text().primaryKey(),
  userId: uuid()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  purpose: text().$type<UserTokenPurpose>().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  usedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
