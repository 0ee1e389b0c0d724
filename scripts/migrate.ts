import { loadConfigOrExit } from "~/boot.server";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { createLogger } from "~/logger.server";
import { prepareDatabase } from "~/modules/ops/prepare-database.server";

/** `npm run migrate`: applies migrations and exits, for a release step before web replicas roll. */
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
if (!config.DATABASE_URL) {
  process.stderr.write("Invalid configuration: DATABASE_URL is required for `npm run migrate`\n");
  process.exit(78);
}
const db = createDatabase(config.DATABASE_URL, { max: 2 });
try {
  await prepareDatabase(db, config.DATABASE_URL, logger);
  logger.info("migrations applied");
} finally {
  await closeDatabase(db);
}
