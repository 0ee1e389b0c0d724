import path from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import postgres from "postgres";
import { type AppLogger, graphileLogger } from "~/logger.server";
import { repositoryRoot } from "~/repository-root.server";
import type { Database } from "./client.server";

export const migrationsFolder = path.join(repositoryRoot, "drizzle");

/** Arbitrary, fixed: the advisory lock every booting process takes around migrations. */
const migrationLockId = 7_283_019_464;

/**
 * Applies the app's drizzle migrations, then Graphile Worker's own schema. Replicas booting at
 * once queue on an advisory lock, so each migration runs exactly once.
 */
export async function migrateDatabase(db: Database, connectionString: string, logger: AppLogger): Promise<void> {
  const lock = postgres(connectionString, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${migrationLockId})`;
    await migrate(db, { migrationsFolder });
    await runMigrations({ connectionString, logger: graphileLogger(logger) });
  } finally {
    await lock.end({ timeout: 5 });
  }
}

/** The migrations this build ships with: read from disk once, not on every /readyz probe. */
let shippedMigrations: number | null = null;

/** True when every committed migration has been applied. */
export async function migrationsAreCurrent(db: Database): Promise<boolean> {
  shippedMigrations ??= readMigrationFiles({ migrationsFolder }).length;
  const expected = shippedMigrations;
  const rows = await db.execute<{ count: number }>(
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  return (rows[0]?.count ?? 0) >= expected;
}
