import type { Config } from "~/config.server";
import type { Executor } from "~/db/client.server";
import { decryptSecret } from "~/modules/settings/crypto.server";
import { readSettings, type StoredSetting } from "~/modules/settings/settings.server";
import type { SmtpSecurity } from "~/smtp-security";

export const emailSettingKeys = ["host", "port", "security", "user", "password", "fromAddress", "fromName"] as const;
export type EmailSettingKey = (typeof emailSettingKeys)[number];
export type SettingSource = "database" | "environment" | "default";

/**
 * The email configuration actually in force: each value from admin_settings when saved there,
 * else from the environment, else a default, with where it came from. The sender, the test
 * email and the log row all read this one object, so what they report is what was used.
 */
export interface EffectiveEmailConfig {
  /** `outbox`: no SMTP host anywhere and not in production, so mail goes to the email_outbox table. */
  provider: "smtp" | "outbox" | "unconfigured";
  host: string | null;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string;
  /** Extra certificate authorities trusted for TLS (SMTP_TLS_CA_FILE). */
  tlsCa: string | null;
  sources: Record<EmailSettingKey, SettingSource>;
}

export const defaultPorts: Record<SmtpSecurity, number> = { none: 25, starttls: 587, tls: 465 };

/** `host:port` as recorded in email_logs and named in error messages. */
export function smtpEndpoint(config: Pick<EffectiveEmailConfig, "host" | "port">): string | null {
  return config.host ? `${config.host}:${config.port}` : null;
}

/** Splits `Name <address>` or `address`. */
export function parseFrom(value: string): { name: string | null; address: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (match) return { name: match[1]?.replace(/^"|"$/g, "") || null, address: match[2] ?? "" };
  return { name: null, address: value.trim() };
}

/** The email settings the environment provides, by the names the settings form and table use. */
export function environmentEmailSettings(config: Config): Partial<Record<EmailSettingKey, string>> {
  const from = config.EMAIL_FROM ? parseFrom(config.EMAIL_FROM) : null;
  return {
    host: config.SMTP_HOST,
    port: config.SMTP_PORT?.toString(),
    security: config.SMTP_SECURITY,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
    fromAddress: from?.address,
    fromName: from?.name ?? undefined,
  };
}

/** `withPassword: false` leaves the secret sealed, for callers that only show or describe the configuration. */
export async function effectiveEmailConfig(
  db: Executor,
  config: Config,
  options: { withPassword?: boolean } = {},
): Promise<EffectiveEmailConfig> {
  return resolveEmailConfig(await readSettings(db, "email"), config, options);
}

/** The effective configuration from settings already read (see effectiveEmailConfig). */
export function resolveEmailConfig(
  saved: ReadonlyMap<string, StoredSetting>,
  config: Config,
  options: { withPassword?: boolean } = {},
): EffectiveEmailConfig {
  const withPassword = options.withPassword ?? true;
  const environment = environmentEmailSettings(config);
  const sources = {} as Record<EmailSettingKey, SettingSource>;
  const pick = (key: EmailSettingKey, options: { environment?: boolean } = {}): string | null => {
    const row = saved.get(key);
    if (row) {
      sources[key] = "database";
      if (!row.encrypted) return row.value;
      return withPassword ? decryptSecret(config.APP_SECRET, row.value) : null;
    }
    const fromEnvironment = options.environment === false ? undefined : environment[key];
    if (fromEnvironment !== undefined && fromEnvironment !== "") {
      sources[key] = "environment";
      return key === "password" && !withPassword ? null : fromEnvironment;
    }
    sources[key] = "default";
    return null;
  };
  const host = pick("host");
  const security = (pick("security") as SmtpSecurity | null) ?? "starttls";
  const port = Number(pick("port")) || defaultPorts[security];
  // The environment's credentials belong to the environment's server: never sent to a host saved here.
  const credentialsFromEnvironment = sources.host !== "database";
  const user = pick("user", { environment: credentialsFromEnvironment });
  const password = pick("password", { environment: credentialsFromEnvironment });
  const fromAddress = pick("fromAddress") ?? `no-reply@${config.PLATFORM_DOMAIN}`;
  const fromName = pick("fromName") ?? "RewardFlow";
  return {
    provider: host ? "smtp" : config.isProduction ? "unconfigured" : "outbox",
    host,
    port,
    security,
    user,
    password,
    fromAddress,
    fromName,
    tlsCa: config.smtpTlsCa,
    sources,
  };
}
