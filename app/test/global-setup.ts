import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "~/db/embedded.server";
import { createLogger } from "~/logger.server";
import { prepareDatabase } from "~/modules/ops/prepare-database.server";

export const templateDatabase = "rewardflow_test_template";

/**
 * One PostgreSQL server for the run (embedded unless DATABASE_URL names one) and a migrated
 * template database; each test file clones its own database from the template.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger("warn");
  let embedded: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    serverUrl = url.toString();
  } else {
    dir = mkdtempSync(path.join(os.tmpdir(), "rewardflow-test-"));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the directory.
    chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres(path.join(dir, "postgres"), logger);
    serverUrl = embedded.serverUrl;
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`);
  await admin.unsafe(`create database ${templateDatabase}`);
  const templateUrl = withDatabase(serverUrl, templateDatabase);
  const db = createDatabase(templateUrl, { max: 2 });
  await prepareDatabase(db, templateUrl, logger);
  await closeDatabase(db);
  await admin.end();
  project.provide("pgServerUrl", serverUrl);

  return async () => {
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}
