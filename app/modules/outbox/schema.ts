import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale } from "~/i18n/locales";
import { users } from "~/modules/auth/schema";
import { customers, loyaltyCards } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";
import type { EmailTemplateKey } from "./kinds";

export const emailStatuses = ["queued", "sending", "sent", "failed"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/** One row per intended email, written with its delivery job on the transaction that causes it. */
export const emailLogs = pgTable(
  "email_logs",
  {
    id: uuid().primaryKey().defaultRandom(),
    templateKey: text().$type<EmailTemplateKey>().notNull(),
    locale: text().$type<Locale>().notNull(),
    recipient: text().notNull(),
    subject: text(),
    status: text().$type<EmailStatus>().notNull().default("queued"),
    attempts: integer().notNull().default(0),
    /** The lease on a `sending` row: a fresh token per attempt, the sender (worker id) and since when. */
    claimToken: uuid(),
    claimedBy: text(),
    claimedAt: timestamp({ withTimezone: true }),
    lastError: text(),
    provider: text(),
    smtpHost: text(),
    fromAddress: text(),
    messageId: text(),
    html: text(),
    text: text(),
    merchantId: uuid().references(() => merchants.id),
    storeId: uuid().references(() => stores.id),
    customerId: uuid().references(() => customers.id),
    cardId: uuid().references(() => loyaltyCards.id),
    userId: uuid().references(() => users.id),
    /** What the renderer needs beyond the linked records (a reward, a preview draft), checked per kind. */
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    sentAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index("email_logs_status_idx").on(table.status, table.createdAt),
    index("email_logs_created_idx").on(table.createdAt),
    check("email_logs_status", sql`${table.status} in ('queued', 'sending', 'sent', 'failed')`),
  ],
);
