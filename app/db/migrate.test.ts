import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, expect, inject, it } from "vitest";
import { locales } from "~/i18n/locales";
import { createLogger } from "~/logger.server";
import { prepareDatabase } from "~/modules/ops/prepare-database.server";
import { emailTemplateKeys } from "~/modules/outbox/kinds";
import { withDatabase } from "~/test/global-setup";
import { closeDatabase, createDatabase } from "./client.server";
import { migrationsAreCurrent } from "./migrate.server";

const admin = postgres(inject("pgServerUrl"), { max: 1, onnotice: () => {} });
const name = `rewardflow_migrate_${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

it("lets four replicas boot at once on an empty database: each migration and each default template lands exactly once", async () => {
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(inject("pgServerUrl"), name);
  const replicas = Array.from({ length: 4 }, () => createDatabase(url, { max: 2 }));
  try {
    await Promise.all(replicas.map((db) => prepareDatabase(db, url, createLogger("silent"))));
    const [db] = replicas;
    if (!db) throw new Error("no replica");
    expect(await migrationsAreCurrent(db)).toBe(true);
    const [templates] = await db.execute<{ count: number }>(sql`select count(*)::int as count from email_templates`);
    expect(templates?.count).toBe(locales.length * emailTemplateKeys.length);
  } finally {
    await Promise.all(replicas.map(closeDatabase));
  }
});
