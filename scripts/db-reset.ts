import { loadConfigOrExit, openDatabaseForCommand } from "~/boot.server";
import { createLogger } from "~/logger.server";
import { resetDatabase, resetRefusal, seedDevelopmentData } from "~/modules/ops/dev-database.server";

/** `npm run db:reset`: drops the development database's tables, migrates and seeds the demo data. */
const config = loadConfigOrExit();
const refusal = resetRefusal(config, process.argv.slice(2));
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);
const database = await openDatabaseForCommand(config, logger);
try {
  await resetDatabase(database.db, database.url, logger);
  const { merchants } = await seedDevelopmentData(database.db);
  process.stdout.write(`database reset: migrations applied, ${merchants} demo merchants seeded\n`);
} finally {
  await database.close();
}
