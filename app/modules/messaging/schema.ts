import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import type { Locale } from "~/i18n/locales";
import { users } from "~/modules/auth/schema";
import type { EmailTemplateKey } from "~/modules/outbox/kinds";
import { emailLogs } from "~/modules/outbox/schema";

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
