import type { Database, Executor } from "~/db/client.server";
import { notifiedCache } from "~/db/notified-cache.server";
import type { Locale } from "~/i18n/locales";
import type { AppLogger } from "~/logger.server";
import type { EmailTemplateKey } from "~/modules/outbox/kinds";
import type { SettingCategory } from "~/modules/settings/schema";
import { readSettings, type StoredSetting, settingsChannel } from "~/modules/settings/settings.server";
import { emailTemplatesChannel, templateFor } from "./templates.server";

type TemplateRow = Awaited<ReturnType<typeof templateFor>>;

/** What delivering an email reads besides the email's own records: the saved settings and the copy. */
export interface DeliveryReads {
  settings(category: SettingCategory): Promise<ReadonlyMap<string, StoredSetting>>;
  template(key: EmailTemplateKey, locale: Locale): Promise<TemplateRow>;
}

/** Read from the database each time (the web's one-off sends, tests). */
export function directReads(db: Executor): DeliveryReads {
  return {
    settings: (category) => readSettings(db, category),
    template: (key, locale) => templateFor(db, key, locale),
  };
}

/**
 * Kept in the worker's memory until PostgreSQL notifies a change to admin_settings or
 * email_templates (triggers, migration 0017): an admin's save reaches the next email, and the
 * worker saves two of its round trips per email.
 */
export function cachedReads(db: Database, logger: AppLogger): DeliveryReads & { listening: Promise<boolean> } {
  const settings = notifiedCache<ReadonlyMap<string, StoredSetting>>(db, settingsChannel, logger);
  const templates = notifiedCache<TemplateRow>(db, emailTemplatesChannel, logger);
  return {
    settings: (category) => settings.get(category, () => readSettings(db, category)),
    template: (key, locale) => templates.get(`${key}:${locale}`, () => templateFor(db, key, locale)),
    listening: Promise.all([settings.listening, templates.listening]).then((heard) => heard.every(Boolean)),
  };
}
