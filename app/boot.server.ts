import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { type Config, ConfigError, loadConfig } from "./config.server";
import { closeDatabase, createDatabase, type Database } from "./db/client.server";
import { startEmbeddedPostgres } from "./db/embedded.server";
import type { AppLogger } from "./logger.server";

/** Loads the configuration or exits with the one line that names the bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

export interface OpenDatabase {
  url: string;
  db: Database;
  embedded: boolean;
  close(): Promise<void>;
}

const databaseName = "rewardflow";

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR (started here). */
export async function openDatabase(config: Config, logger: AppLogger): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    const db = createDatabase(config.DATABASE_URL);
    return { url: config.DATABASE_URL, db, embedded: false, close: () => closeDatabase(db) };
  }
  const started = Date.now();
  const embedded = await startEmbeddedPostgres(path.join(config.dataDir, "postgres"), logger);
  const admin = postgres(embedded.serverUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${databaseName}`;
    if (!exists) await admin.unsafe(`create database ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = embedded.urlFor(databaseName);
  writeFileSync(runningFile(config), JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
  logger.info({ ms: Date.now() - started, dataDir: config.dataDir }, "embedded PostgreSQL ready");
  const db = createDatabase(url, { max: 20 });
  return {
    url,
    db,
    embedded: true,
    async close() {
      await closeDatabase(db);
      rmSync(runningFile(config), { force: true });
      await embedded.stop();
    },
  };
}

/** For `npm run worker` beside `npm start` in development: the embedded database already running. */
export function runningEmbeddedDatabaseUrl(config: Config): string | null {
  const file = runningFile(config);
  if (!existsSync(file)) return null;
  const { url, pid } = JSON.parse(readFileSync(file, "utf8")) as { url: string; pid: number };
  try {
    process.kill(pid, 0);
    return url;
  } catch {
    return null;
  }
}

const runningFile = (config: Config) => path.join(config.dataDir, "postgres.json");

/**
 * The database for an operations command (`npm run seed`, `db:reset`, `cleanup`): DATABASE_URL,
 * else the embedded database of a running `npm start`, else the embedded database started here.
 */
export async function openDatabaseForCommand(config: Config, logger: AppLogger): Promise<OpenDatabase> {
  const running = config.DATABASE_URL ? null : runningEmbeddedDatabaseUrl(config);
  if (!running) return openDatabase(config, logger);
  const db = createDatabase(running, { max: 2 });
  return { url: running, db, embedded: true, close: () => closeDatabase(db) };
}
