import path from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import { type AppLogger, graphileLogger } from "~/logger.server";
import type { Database } from "./client.server";

export const migrationsFolder = path.resolve(import.meta.dirname, "../../drizzle");

/** Applies the app's drizzle migrations, then Graphile Worker's own schema. */
export async function migrateDatabase(db: Database, connectionString: string, logger: AppLogger): Promise<void> {
  await migrate(db, { migrationsFolder });
  await runMigrations({ connectionString, logger: graphileLogger(logger) });
}

/** True when every committed migration has been applied. */
export async function migrationsAreCurrent(db: Database): Promise<boolean> {
  const expected = readMigrationFiles({ migrationsFolder }).length;
  const rows = await db.execute<{ count: number }>(
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  return (rows[0]?.count ?? 0) >= expected;
}
