import { describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { createUser } from "~/modules/auth/users.server";
import { saveSettings } from "~/modules/settings/settings.server";
import { createTestDatabase } from "~/test/database";
import { effectiveEmailConfig } from "./email-config.server";

const { db } = await createTestDatabase();
const config = loadConfig({
  DATA_DIR: "/tmp/rewardflow-email-config-test",
  APP_SECRET: "c".repeat(32),
  SMTP_HOST: "smtp.operator.example",
  SMTP_USER: "operator",
  SMTP_PASSWORD: "operator secret",
  EMAIL_FROM: "Fashion Club <club@fashionhub.example>",
});

describe("effectiveEmailConfig", () => {
  it("takes each value from the environment and says so", async () => {
    const effective = await effectiveEmailConfig(db, config);
    expect(effective).toMatchObject({
      provider: "smtp",
      host: "smtp.operator.example",
      port: 587,
      security: "starttls",
      user: "operator",
      password: "operator secret",
      fromAddress: "club@fashionhub.example",
      fromName: "Fashion Club",
    });
    expect(effective.sources).toMatchObject({ host: "environment", port: "default", user: "environment" });
  });

  it("never hands the environment's credentials to a host saved by an admin", async () => {
    const admin = await createUser(db, {
      email: "admin@example.com",
      name: "Admin",
      password: null,
      role: "platform_admin",
    });
    const actor = { ...admin, userId: admin.id, preferredLanguage: "en" as const };
    await db.transaction((tx) =>
      saveSettings(tx, actor, config.APP_SECRET, "email", [{ key: "host", value: "mail.elsewhere.example" }]),
    );
    const effective = await effectiveEmailConfig(db, config);
    expect(effective).toMatchObject({ host: "mail.elsewhere.example", user: null, password: null });
    expect(effective.sources).toMatchObject({ host: "database", user: "default", password: "default" });
  });
});
