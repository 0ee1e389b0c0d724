import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/logger.server";
import { adminSettings } from "~/modules/settings/schema";
import { createTestDatabase } from "~/test/database";
import { eventually } from "~/test/eventually";
import { cachedReads } from "./delivery-reads.server";
import { emailTemplates } from "./schema";
import { ensureDefaultEmailTemplates } from "./templates.server";

const { db } = await createTestDatabase();
await ensureDefaultEmailTemplates(db);
const logger = createLogger("silent");

/** A change its table's trigger does not announce, to see what the cache answers without a notification. */
async function silently(table: "email_templates" | "admin_settings", change: () => Promise<unknown>) {
  const trigger = `${table}_notify_change`;
  await db.execute(sql.raw(`alter table ${table} disable trigger ${trigger}`));
  try {
    await change();
  } finally {
    await db.execute(sql.raw(`alter table ${table} enable trigger ${trigger}`));
  }
}

const frenchEnrollment = and(eq(emailTemplates.key, "loyalty_enrollment_with_bonus"), eq(emailTemplates.locale, "fr"));

describe("what the worker reads to deliver an email", () => {
  it("keeps the copy until a change to email_templates is notified, from any connection", async () => {
    const reads = cachedReads(db, logger);
    expect(await reads.listening).toBe(true);
    const original = await reads.template("loyalty_enrollment_with_bonus", "fr");
    expect(original?.subject).toBeTruthy();

    await silently("email_templates", () =>
      db.update(emailTemplates).set({ subject: "Changé sans le dire" }).where(frenchEnrollment),
    );
    expect((await reads.template("loyalty_enrollment_with_bonus", "fr"))?.subject).toBe(original?.subject);

    await db.update(emailTemplates).set({ subject: "Bienvenue, nouvelle version" }).where(frenchEnrollment);
    const edited = await eventually(
      () => reads.template("loyalty_enrollment_with_bonus", "fr"),
      (row) => row?.subject === "Bienvenue, nouvelle version",
    );
    expect(edited?.subject).toBe("Bienvenue, nouvelle version");
    // Other languages are their own entries.
    expect((await reads.template("loyalty_enrollment_with_bonus", "de"))?.locale).toBe("de");
  });

  it("keeps the saved settings until a change to admin_settings is notified", async () => {
    const reads = cachedReads(db, logger);
    expect(await reads.listening).toBe(true);
    expect((await reads.settings("email")).get("host")).toBeUndefined();

    await silently("admin_settings", () =>
      db.insert(adminSettings).values({ category: "email", key: "host", value: "quiet.example", encrypted: false }),
    );
    expect((await reads.settings("email")).get("host")).toBeUndefined();

    await db.update(adminSettings).set({ value: "smtp.example" }).where(eq(adminSettings.key, "host"));
    const saved = await eventually(
      () => reads.settings("email"),
      (settings) => settings.get("host")?.value === "smtp.example",
    );
    expect(saved.get("host")?.value).toBe("smtp.example");
    // A category is cached apart from the others.
    expect((await reads.settings("wallet")).size).toBe(0);
  });
});
