import { sql } from "drizzle-orm";
import { boolean, check, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "~/modules/auth/schema";

export const settingCategories = ["email", "wallet"] as const;
export type SettingCategory = (typeof settingCategories)[number];

/**
 * Platform settings saved by admins, by category; they override the environment. Secret values
 * are stored encrypted (see crypto.server.ts) and flagged so no code path shows them.
 */
export const adminSettings = pgTable(
  "admin_settings",
  {
    category: text().$type<SettingCategory>().notNull(),
    key: text().notNull(),
    value: text().notNull(),
    encrypted: boolean().notNull().default(false),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdateFn(() => new Date()),
  },
  (table) => [
    primaryKey({ columns: [table.category, table.key] }),
    check("admin_settings_category", sql`${table.category} in ('email', 'wallet')`),
  ],
);
