import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.server";

const base = { DATA_DIR: "/tmp/rewardflow-config-test", APP_SECRET: "s".repeat(32) };

describe("loadConfig", () => {
  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SMTP_URL: "smtp://mail" }, "SMTP_URL"],
    [{ SMTP_PORT: "0" }, "SMTP_PORT"],
    [{ SMTP_SECURITY: "ssl" }, "SMTP_SECURITY"],
    [{ SMTP_HOST: "smtp://mail" }, "SMTP_HOST"],
    [{ SMTP_TLS_CA_FILE: "/nonexistent/ca.pem" }, "SMTP_TLS_CA_FILE"],
    [{ WORKER: "maybe" }, "WORKER"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ APP_SECRET: "short" }, "APP_SECRET"],
    [{ PLATFORM_DOMAIN: "http://x" }, "PLATFORM_DOMAIN"],
    [{ EMAIL_FROM: "nobody" }, "EMAIL_FROM"],
  ])("refuses %o naming the variable", (env, variable) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("requires APP_SECRET and DATABASE_URL in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: base.DATA_DIR })).toThrow(/APP_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", APP_SECRET: base.APP_SECRET })).toThrow(/DATABASE_URL/);
  });

  it("refuses the demo seed in production, whose staff accounts have published passwords", () => {
    const production = { ...base, NODE_ENV: "production", DATABASE_URL: "postgres://db/x" };
    expect(() => loadConfig({ ...production, SEED_DEMO: "on" })).toThrow(
      /^Invalid configuration: SEED_DEMO=on .*NODE_ENV=production/,
    );
    expect(loadConfig({ ...production, SEED_DEMO: "off" }).SEED_DEMO).toBe("off");
    expect(loadConfig({ ...base, NODE_ENV: "development", SEED_DEMO: "on" }).SEED_DEMO).toBe("on");
  });

  it("the web process exits with 78 and one line naming SEED_DEMO and NODE_ENV, before touching a database", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const run = spawnSync(process.execPath, ["scripts/launch.js", "server.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        ...base,
        NODE_ENV: "production",
        DATABASE_URL: "postgres://127.0.0.1:1/none",
        SEED_DEMO: "on",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(78);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SEED_DEMO.*NODE_ENV/);
  });

  it("derives the public origin", () => {
    expect(loadConfig({ ...base, PORT: "3000" }).platformOrigin).toBe("http://localhost:3000");
    expect(
      loadConfig({
        ...base,
        NODE_ENV: "production",
        DATABASE_URL: "postgres://db/x",
        SMTP_HOST: "mail",
        EMAIL_FROM: "Fashion Club <club@fashionhub.lu>",
        PLATFORM_DOMAIN: "rewardflow.lu",
      }).platformOrigin,
    ).toBe("https://rewardflow.lu");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ...base, PORT: "" }).PORT).toBe(3000);
  });
});
