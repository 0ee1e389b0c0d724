import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import type { Actor } from "~/modules/scope/scope";
import { encryptSecret } from "./crypto.server";
import { adminSettings, type SettingCategory } from "./schema";

export type StoredSetting = typeof adminSettings.$inferSelect;

/** Notified (by a trigger, migration 0017) at the commit of any change to admin_settings. */
export const settingsChannel = "rewardflow_settings";

/** The saved values of one category, by key; secrets still sealed. */
export async function readSettings(db: Executor, category: SettingCategory): Promise<Map<string, StoredSetting>> {
  const rows = await db.select().from(adminSettings).where(eq(adminSettings.category, category));
  return new Map(rows.map((row) => [row.key, row]));
}

/** One change: a value to save (sealed when secret), or null to remove the override. */
export interface SettingChange {
  key: string;
  value: string | null;
  secret?: boolean;
}

/**
 * Applies changes to one category on the caller's transaction and audits which keys changed
 * (never their values: some are secrets). A change that changes nothing is dropped.
 */
export async function saveSettings(
  tx: Executor,
  actor: Actor,
  appSecret: string,
  category: SettingCategory,
  requested: readonly SettingChange[],
): Promise<void> {
  const current = await readSettings(tx, category);
  const changes = requested.filter((change) => {
    const row = current.get(change.key);
    if (change.value === null) return row !== undefined;
    // A secret is sealed with a fresh nonce: a new value always counts as a change.
    return change.secret || row?.value !== change.value;
  });
  const removed = changes.filter((change) => change.value === null).map((change) => change.key);
  if (removed.length > 0) {
    await tx
      .delete(adminSettings)
      .where(and(eq(adminSettings.category, category), inArray(adminSettings.key, removed)));
  }
  for (const change of changes) {
    if (change.value === null) continue;
    const value = change.secret ? encryptSecret(appSecret, change.value) : change.value;
    const row = { category, key: change.key, value, encrypted: Boolean(change.secret), updatedBy: actor.userId };
    await tx
      .insert(adminSettings)
      .values(row)
      .onConflictDoUpdate({
        target: [adminSettings.category, adminSettings.key],
        set: { value, encrypted: row.encrypted, updatedBy: actor.userId },
      });
  }
  if (changes.length > 0) {
    await recordAudit(tx, actor, {
      action: "settings.updated",
      entityType: "admin_settings",
      entityId: null,
      details: { category, keys: changes.map((change) => change.key) },
    });
  }
}
