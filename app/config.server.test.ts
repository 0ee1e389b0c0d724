import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.server";

const base = { DATA_DIR: "/tmp/rewardflow-config-test", APP_SECRET: "s".repeat(32) };

describe("loadConfig", () => {
  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ SMTP_URL: "http://mail" }, "SMTP_URL"],
    [{ WORKER: "maybe" }, "WORKER"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ APP_SECRET: "short" }, "APP_SECRET"],
    [{ PLATFORM_DOMAIN: "http://x" }, "PLATFORM_DOMAIN"],
    [{ EMAIL_FROM: "nobody" }, "EMAIL_FROM"],
  ])("refuses %o naming the variable", (env, variable) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("requires APP_SECRET, DATABASE_URL and SMTP_URL in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: base.DATA_DIR })).toThrow(/APP_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", APP_SECRET: base.APP_SECRET })).toThrow(/DATABASE_URL/);
    const production = { NODE_ENV: "production", APP_SECRET: base.APP_SECRET, DATABASE_URL: "postgres://db/x" };
    expect(() => loadConfig(production)).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ ...production, SMTP_URL: "smtp://mail:587" })).toThrow(/EMAIL_FROM/);
  });

  it("derives the public origin", () => {
    expect(loadConfig({ ...base, PORT: "3000" }).platformOrigin).toBe("http://localhost:3000");
    expect(
      loadConfig({
        ...base,
        NODE_ENV: "production",
        DATABASE_URL: "postgres://db/x",
        SMTP_URL: "smtp://mail:587",
        EMAIL_FROM: "Fashion Club <club@fashionhub.lu>",
        PLATFORM_DOMAIN: "rewardflow.lu",
      }).platformOrigin,
    ).toBe("https://rewardflow.lu");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ...base, PORT: "" }).PORT).toBe(3000);
  });
});
