import { hostname } from "node:os";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import type { AppLogger } from "~/logger.server";
import { queueEmail } from "~/modules/outbox/queue.server";
import type { Actor } from "~/modules/scope/scope";
import { decryptSecret, UnreadableSecretError } from "~/modules/settings/crypto.server";
import { readSettings, type SettingChange, type StoredSetting, saveSettings } from "~/modules/settings/settings.server";
import type { SmtpSecurity } from "~/smtp-security";
import type { DeliveryOutcome } from "./deliver.server";
import { type EmailSettingKey, environmentEmailSettings, resolveEmailConfig } from "./email-config.server";
import { createMailer } from "./transport.server";

export interface EmailSettingsInput {
  host: string | null;
  port: number | null;
  security: SmtpSecurity | null;
  user: string | null;
  /** A new password; null keeps the saved one. */
  password: string | null;
  clearPassword: boolean;
  fromAddress: string | null;
  fromName: string | null;
}

type Shown = Exclude<EmailSettingKey, "password">;
const shownKeys: Shown[] = ["host", "port", "security", "user", "fromAddress", "fromName"];

/**
 * What the settings form shows: saved overrides, the environment's values behind them, and
 * whether a password is set; never the password itself.
 */
export async function emailSettingsView(db: Database, config: Config) {
  const saved = await readSettings(db, "email");
  const fromEnvironment = environmentEmailSettings(config);
  const environment = Object.fromEntries(shownKeys.map((key) => [key, fromEnvironment[key] ?? null])) as Record<
    Shown,
    string | null
  >;
  const values = Object.fromEntries(shownKeys.map((key) => [key, saved.get(key)?.value ?? ""])) as Record<
    Shown,
    string
  >;
  const effective = resolveEmailConfig(saved, config, { withPassword: false });
  let passwordUnreadable = false;
  const sealed = saved.get("password");
  if (sealed?.encrypted) {
    try {
      decryptSecret(config.APP_SECRET, sealed.value);
    } catch (error) {
      if (!(error instanceof UnreadableSecretError)) throw error;
      passwordUnreadable = true;
    }
  }
  return {
    values,
    environment,
    savedPassword: saved.has("password"),
    environmentPassword: Boolean(config.SMTP_PASSWORD),
    passwordUnreadable,
    effective: {
      provider: effective.provider,
      host: effective.host,
      port: effective.port,
      security: effective.security,
      user: effective.user,
      fromAddress: effective.fromAddress,
      fromName: effective.fromName,
      sources: effective.sources,
    },
  };
}

/** Saves the form: a filled field overrides the environment, an empty one removes the override. */
export async function saveEmailSettings(db: Database, actor: Actor, config: Config, input: EmailSettingsInput) {
  const changes: SettingChange[] = [
    { key: "host", value: input.host },
    { key: "port", value: input.port?.toString() ?? null },
    { key: "security", value: input.security },
    { key: "user", value: input.user },
    { key: "fromAddress", value: input.fromAddress },
    { key: "fromName", value: input.fromName },
  ];
  await db.transaction(async (tx) => {
    const saved = await readSettings(tx, "email");
    // A saved password belongs to the server it was typed for: a new host, port or security drops it.
    const moved = smtpDestination(saved, config) !== smtpDestination(withChanges(saved, changes), config);
    if (input.password !== null) changes.push({ key: "password", value: input.password, secret: true });
    else if (saved.has("password") && (input.clearPassword || moved)) changes.push({ key: "password", value: null });
    await saveSettings(tx, actor, config.APP_SECRET, "email", changes);
  });
}

/** Where the effective settings send mail: host, port and security. */
function smtpDestination(saved: ReadonlyMap<string, StoredSetting>, config: Config): string {
  const { host, port, security } = resolveEmailConfig(saved, config, { withPassword: false });
  return JSON.stringify([host?.toLowerCase() ?? null, port, security]);
}

/** The saved settings as they would be after these (non-secret) changes. */
function withChanges(saved: ReadonlyMap<string, StoredSetting>, changes: SettingChange[]) {
  const next = new Map(saved);
  for (const change of changes) {
    const current = saved.get(change.key);
    if (change.value === null) next.delete(change.key);
    else if (current) next.set(change.key, { ...current, value: change.value, encrypted: false });
    else
      next.set(change.key, {
        category: "email",
        key: change.key,
        value: change.value,
        encrypted: false,
      } as StoredSetting);
  }
  return next;
}

/**
 * Sends the SMTP test email now, with the effective configuration, and returns what happened.
 * The row and a fallback job are committed first: if this process dies mid-send, a worker sends
 * it once the send's lease has run out; if it finishes, the fallback job finds nothing left to do.
 */
export async function sendTestEmail(
  deps: { db: Database; config: Config; logger: AppLogger },
  actor: Actor,
  recipient: string,
  locale: Locale,
): Promise<DeliveryOutcome> {
  // The sender and its renderer (React Email, Prism) load on the first test email, not with every web process.
  const { deliverEmail, sendLeaseSeconds } = await import("./deliver.server");
  const id = await deps.db.transaction((tx) =>
    queueEmail(
      tx,
      { kind: "smtp_test", locale, recipient, userId: actor.userId },
      // After the lease of this send: it finds the row sent or failed, or (this process died) free to take.
      { delaySeconds: sendLeaseSeconds + 10 },
    ),
  );
  const mailer = createMailer(deps.db);
  try {
    return await deliverEmail({ ...deps, mailer, senderId: `web:${hostname()}:${process.pid}` }, id, {
      attempt: 1,
      maxAttempts: 1,
    });
  } finally {
    mailer.close();
  }
}
