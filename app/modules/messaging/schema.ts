import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale } from "~/i18n/locales";
import { users } from "~/modules/auth/schema";
import { customers, loyaltyCards } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";

export const emailTemplateKeys = [
  "loyalty_enrollment",
  "loyalty_welcome_bonus",
  "loyalty_reward_ready",
  "loyalty_points_expiring",
  "loyalty_card_link",
  "password_reset",
  "staff_invitation",
  "smtp_test",
] as const;
export type EmailTemplateKey = (typeof emailTemplateKeys)[number];

/** The words of one email in one language; layout and branding live in `emails/`. */
export const emailTemplates = pgTable(
  "email_templates",
  {
    id: uuid().primaryKey().defaultRandom(),
    key: text().$type<EmailTemplateKey>().notNull(),
    locale: text().$type<Locale>().notNull(),
    subject: text().notNull(),
    preheader: text().notNull(),
    body: text().notNull(),
    updatedBy: uuid().references(() => users.id),
    ...timestamps,
  },
  (table) => [uniqueIndex("email_templates_key_locale").on(table.key, table.locale)],
);

export const emailStatuses = ["queued", "sending", "sent", "failed"] as const;
export type EmailStatus = (typeof emailStatuses)[number];

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
    /** What the renderer needs beyond the linked records (a reward, a preview draft), checked per template. */
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

/** Development delivery target when no SMTP server is configured: the raw MIME message. */
export const emailOutbox = pgTable("email_outbox", {
  id: uuid().primaryKey().defaultRandom(),
  emailLogId: uuid()
    .notNull()
    .references(() => emailLogs.id),
  recipient: text().notNull(),
  subject: text().notNull(),
  raw: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
