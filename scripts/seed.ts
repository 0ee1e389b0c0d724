import { loadConfigOrExit, openDatabaseForCommand } from "~/boot.server";
import { createLogger } from "~/logger.server";
import { seedDevelopmentData, seedRefusal } from "~/modules/ops/dev-database.server";
import { prepareDatabase } from "~/modules/ops/prepare-database.server";

/** `npm run seed`: the demo tenants and staff, into an empty development database. */
const config = loadConfigOrExit();
if (config.isProduction) {
  process.stderr.write(`${await seedRefusal(config, null)}\n`);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);
const database = await openDatabaseForCommand(config, logger);
let code = 0;
try {
  await prepareDatabase(database.db, database.url, logger);
  const refusal = await seedRefusal(config, database.db);
  if (refusal) {
    process.stderr.write(`${refusal}\n`);
    code = 1;
  } else {
    const { merchants } = await seedDevelopmentData(database.db);
    process.stdout.write(`${merchants} demo merchants seeded\n`);
  }
} finally {
  await database.close();
}
process.exit(code);
