import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { closeDatabase, createDatabase, type Database } from "~/db/client.server";
import { templateDatabase, withDatabase } from "./global-setup";

export interface TestDatabase {
  db: Database;
  url: string;
}

/** A fresh database for this test file, cloned from the migrated template, dropped after the file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("pgServerUrl");
  const name = `rewardflow_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${templateDatabase}`);
  const url = withDatabase(serverUrl, name);
  const db = createDatabase(url, { max: 30 });
  afterAll(async () => {
    await closeDatabase(db);
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { db, url };
}
