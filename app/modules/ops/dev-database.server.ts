import { sql } from "drizzle-orm";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import { seedDemoStaff } from "~/modules/auth/users.server";
import { seedDemoHistory } from "~/modules/ops/demo-history.server";
import { databaseIsEmpty, seedDemoData } from "~/modules/ops/demo-tenants.server";
import { seedDemoCounter } from "~/modules/terminal/demo-seed.server";
import { prepareDatabase } from "./prepare-database.server";

/** The flag that lets `npm run db:reset` drop a development database named by DATABASE_URL. */
export const resetExternalFlag = "--yes-really-reset";

/**
 * Why `npm run db:reset` must not run here, or null when it may. Production never; a database
 * named by DATABASE_URL (perhaps shared, perhaps not a throwaway) only with an explicit flag.
 */
export function resetRefusal(config: Pick<Config, "isProduction" | "DATABASE_URL">, args: string[]): string | null {
  if (config.isProduction) return "npm run db:reset refuses to run with NODE_ENV=production: it deletes every row.";
  if (config.DATABASE_URL && !args.includes(resetExternalFlag)) {
    return `npm run db:reset only resets the embedded development database; DATABASE_URL is set. To drop and recreate the database it names, run: npm run db:reset -- ${resetExternalFlag}`;
  }
  return null;
}

/** Why `npm run seed` must not run here, or null when it may. */
export async function seedRefusal(config: Pick<Config, "isProduction">, db: Database | null): Promise<string | null> {
  if (config.isProduction) {
    return "npm run seed refuses to run with NODE_ENV=production: the demo data includes staff accounts with published passwords.";
  }
  if (db && !(await databaseIsEmpty(db))) {
    return "npm run seed only seeds an empty database, and this one already has merchants. To start over: npm run db:reset";
  }
  return null;
}

/** Drops every table, job and migration record, then migrates from scratch. Development only. */
export async function resetDatabase(db: Database, connectionString: string, logger: AppLogger): Promise<void> {
  await db.execute(sql`drop schema if exists graphile_worker cascade`);
  await db.execute(sql`drop schema if exists drizzle cascade`);
  await db.execute(sql`drop schema if exists public cascade`);
  await db.execute(sql`create schema public`);
  await prepareDatabase(db, connectionString, logger);
}

/**
 * The development demo, the one path `npm start`, `npm run seed` and `npm run db:reset` share: into an
 * empty database the demo tenants and a year of their history; at every call the development staff
 * accounts and the counter (staff with PINs, a fresh pairing code per store), whose lines the boot
 * log prints.
 */
export async function seedDevelopmentData(
  db: Database,
): Promise<{ merchants: number; history: Awaited<ReturnType<typeof seedDemoHistory>> | null; counterLines: string[] }> {
  let merchants = 0;
  let history = null;
  if (await databaseIsEmpty(db)) {
    ({ created: merchants } = await seedDemoData(db));
    history = await seedDemoHistory(db);
  }
  await seedDemoStaff(db);
  const counterLines = await seedDemoCounter(db);
  return { merchants, history, counterLines };
}
