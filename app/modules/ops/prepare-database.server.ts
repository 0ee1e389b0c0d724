import type { Database } from "~/db/client.server";
import { migrateDatabase } from "~/db/migrate.server";
import type { AppLogger } from "~/logger.server";
import { ensureDefaultEmailTemplates } from "~/modules/messaging/templates.server";

/**
 * Brings a database to what this build expects: the schema migrations, then the reference data
 * the app cannot run without (the default email templates, inserted only where missing). Every
 * booting process and operations command calls this, never migrateDatabase alone.
 */
export async function prepareDatabase(db: Database, connectionString: string, logger: AppLogger): Promise<void> {
  await migrateDatabase(db, connectionString, logger);
  await ensureDefaultEmailTemplates(db);
}
