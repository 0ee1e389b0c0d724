import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { enrollTestShopper } from "~/modules/privacy/test-shoppers";
import { createTestDatabase } from "~/test/database";

/** The operations commands as an operator runs them: their own process, arguments and exit codes. */

const { db, url } = await createTestDatabase();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "rewardflow-ops-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const root = path.resolve(import.meta.dirname, "..");

/** As `npm run <command>` runs it: compiled by scripts/launch.js, in a process of its own. */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["scripts/launch.js", `scripts/${script}`, ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATA_DIR: dataDir,
          LOG_LEVEL: "silent",
          DATABASE_URL: url,
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const customerCount = async () =>
  (await db.execute<{ n: number }>(sql`select count(*)::int as n from customers`))[0]?.n ?? -1;

beforeAll(async () => {
  await seedDemoData(db);
  await enrollTestShopper(db, "FASHIONHUB", "one@example.com");
  await enrollTestShopper(db, "LUXWEB", "kept@post.lu");
});

describe("npm run cleanup", () => {
  it("prints what it would delete and deletes nothing without --apply", async () => {
    const result = await run("cleanup.ts", ["--email-pattern", "%@example.com"]);
    expect(result.stdout).toContain("Dry run");
    expect(result.stdout).toContain("one@example.com");
    expect(result.stdout).not.toContain("kept@post.lu");
    expect(result.code).toBe(0);
    expect(await customerCount()).toBe(2);
  });

  it("explains its usage and refuses a pattern that matches everyone", async () => {
    const none = await run("cleanup.ts", []);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain("usage: npm run cleanup");
    const everyone = await run("cleanup.ts", ["--email-pattern", "%@%", "--apply"]);
    expect(everyone.code).toBe(1);
    expect(everyone.stderr).toContain("literal domain");
    expect(await customerCount()).toBe(2);
  });

  it("deletes with --apply", async () => {
    const result = await run("cleanup.ts", ["--store", "FASHIONHUB", "--apply"]);
    expect(result.stdout).toContain("Deleted:");
    expect(result.code).toBe(0);
    expect(await customerCount()).toBe(1);
  });
});

describe("npm run db:reset and npm run seed", () => {
  const production = { NODE_ENV: "production", APP_SECRET: "x".repeat(40) };

  it("db:reset refuses in production and, without its flag, a DATABASE_URL", async () => {
    const inProduction = await run("db-reset.ts", ["--yes-really-reset"], production);
    expect(inProduction.code).toBe(1);
    expect(inProduction.stderr).toContain("NODE_ENV=production");
    const external = await run("db-reset.ts", []);
    expect(external.code).toBe(1);
    expect(external.stderr).toContain("--yes-really-reset");
    expect(await customerCount()).toBe(1);
  });

  it("seed refuses in production and on a database with merchants", async () => {
    const inProduction = await run("seed.ts", [], production);
    expect(inProduction.code).toBe(1);
    expect(inProduction.stderr).toContain("NODE_ENV=production");
    const notEmpty = await run("seed.ts", []);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toContain("only seeds an empty database");
  });
});
