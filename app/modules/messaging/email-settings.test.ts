import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { createUser } from "~/modules/auth/users.server";
import type { Actor } from "~/modules/scope/scope";
import { createTestDatabase } from "~/test/database";
import { effectiveEmailConfig } from "./email-config.server";
import { type EmailSettingsInput, saveEmailSettings } from "./email-settings.server";

const { db } = await createTestDatabase();
const config = loadConfig({ DATA_DIR: "/tmp/rewardflow-email-settings-test", APP_SECRET: "d".repeat(32) });
let actor: Actor;

const form: EmailSettingsInput = {
  host: "smtp.first.example",
  port: 587,
  security: "starttls",
  user: "club",
  password: null,
  clearPassword: false,
  fromAddress: null,
  fromName: null,
};

beforeAll(async () => {
  const admin = await createUser(db, {
    email: "admin@example.com",
    name: "Admin",
    password: null,
    role: "platform_admin",
  });
  actor = { ...admin, userId: admin.id, preferredLanguage: "en" };
});

async function savedWithPassword() {
  await saveEmailSettings(db, actor, config, { ...form, password: "first secret" });
  expect((await effectiveEmailConfig(db, config)).password).toBe("first secret");
}

describe("saveEmailSettings", () => {
  it("keeps the saved password when the server stays the same (host in any letter case)", async () => {
    await savedWithPassword();
    await saveEmailSettings(db, actor, config, { ...form, host: "SMTP.First.example", fromName: "Club" });
    expect((await effectiveEmailConfig(db, config)).password).toBe("first secret");
  });

  it.each([
    ["host", { host: "smtp.elsewhere.example" }],
    ["port", { port: 2525 }],
    ["security", { security: "tls" as const, port: 587 }],
  ])("drops the saved password when the %s changes and no password is typed", async (_field, change) => {
    await savedWithPassword();
    await saveEmailSettings(db, actor, config, { ...form, ...change });
    const effective = await effectiveEmailConfig(db, config);
    expect(effective.password).toBeNull();
    expect(effective.sources.password).toBe("default");
  });

  it("takes a password typed with the new host", async () => {
    await savedWithPassword();
    await saveEmailSettings(db, actor, config, { ...form, host: "smtp.elsewhere.example", password: "second secret" });
    expect(await effectiveEmailConfig(db, config)).toMatchObject({
      host: "smtp.elsewhere.example",
      password: "second secret",
    });
  });
});
