import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/logger.server";
import { createTestDatabase } from "~/test/database";
import {
  resetDatabase,
  resetExternalFlag,
  resetRefusal,
  seedDevelopmentData,
  seedRefusal,
} from "./dev-database.server";

const { db, url } = await createTestDatabase();
const logger = createLogger("silent");
const development = { isProduction: false, DATABASE_URL: undefined };

describe("npm run db:reset", () => {
  it("refuses in production, even with the flag, and a DATABASE_URL without the flag", () => {
    expect(resetRefusal({ isProduction: true, DATABASE_URL: "postgres://db/app" }, [resetExternalFlag])).toMatch(
      /NODE_ENV=production/,
    );
    expect(resetRefusal({ isProduction: false, DATABASE_URL: "postgres://db/app" }, [])).toContain(resetExternalFlag);
    expect(resetRefusal({ isProduction: false, DATABASE_URL: "postgres://db/app" }, [resetExternalFlag])).toBeNull();
    expect(resetRefusal(development, [])).toBeNull();
  });

  it("drops every row and job, migrates again and seeds the demo tenants", async () => {
    await seedDevelopmentData(db);
    await db.execute(sql`insert into merchants (name, slug) values ('Left over', 'left-over')`);
    await db.execute(sql`select graphile_worker.add_job('send_email', '{}'::json)`);
    await resetDatabase(db, url, logger);
    const [empty] = await db.execute<{ merchants: number; jobs: number }>(
      sql`select (select count(*)::int from merchants) as merchants, (select count(*)::int from graphile_worker.jobs) as jobs`,
    );
    expect(empty).toEqual({ merchants: 0, jobs: 0 });
    const { merchants } = await seedDevelopmentData(db);
    expect(merchants).toBeGreaterThan(0);
    const [admin] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from users where role = 'platform_admin'`,
    );
    expect(admin?.n).toBe(1);
  });
});

describe("npm run seed", () => {
  it("refuses in production and on a database that already has merchants", async () => {
    expect(await seedRefusal({ isProduction: true }, null)).toMatch(/NODE_ENV=production/);
    expect(await seedRefusal({ isProduction: false }, db)).toMatch(/empty database/);
    await resetDatabase(db, url, logger);
    expect(await seedRefusal({ isProduction: false }, db)).toBeNull();
  });
});
