import type { Config } from "~/config.server";
import type { Database, Executor } from "~/db/client.server";
import { parseOrigins } from "~/google-endpoints";
import { parseServiceAccountKey, type ServiceAccountKey } from "~/google-service-account.server";
import type { Actor } from "~/modules/scope/scope";
import { decryptSecret, UnreadableSecretError } from "~/modules/settings/crypto.server";
import { readSettings, type SettingChange, type StoredSetting, saveSettings } from "~/modules/settings/settings.server";

export const walletSettingKeys = ["issuerId", "serviceAccountKey", "origins", "logoUrl"] as const;
export type WalletSettingKey = (typeof walletSettingKeys)[number];
export type WalletSettingSource = "database" | "environment" | "default";

/**
 * The Google Wallet configuration in force: each value saved in /admin/wallet when there is one,
 * else the environment's. Save links, the sync job and the admin page read this one object.
 */
export interface EffectiveWalletConfig {
  issuerId: string | null;
  key: ServiceAccountKey | null;
  origins: string[];
  logoUrl: string | null;
  /** GOOGLE_WALLET_API_URL: environment only, like the key file's token_uri it names Google's side. */
  apiUrl: string;
  sources: Record<WalletSettingKey, WalletSettingSource>;
  /** What is missing before a pass can be issued; empty when Wallet is ready. */
  missing: ("issuerId" | "serviceAccountKey")[];
  /** A key saved here that the current APP_SECRET cannot open (or that no longer parses). */
  keyUnreadable: boolean;
}

export type ReadyWalletConfig = EffectiveWalletConfig & { issuerId: string; key: ServiceAccountKey };

export function isWalletReady(wallet: EffectiveWalletConfig): wallet is ReadyWalletConfig {
  return wallet.issuerId !== null && wallet.key !== null;
}

export async function effectiveWalletConfig(db: Executor, config: Config): Promise<EffectiveWalletConfig> {
  return resolveWalletConfig(await readSettings(db, "wallet"), config);
}

/** The effective configuration from settings already read. */
export function resolveWalletConfig(saved: ReadonlyMap<string, StoredSetting>, config: Config): EffectiveWalletConfig {
  const sources = {} as Record<WalletSettingKey, WalletSettingSource>;
  const source = (key: WalletSettingKey, environmentValue: unknown) => {
    sources[key] = saved.has(key) ? "database" : environmentValue ? "environment" : "default";
    return saved.get(key);
  };
  const issuerRow = source("issuerId", config.GOOGLE_WALLET_ISSUER_ID);
  const issuerId = issuerRow ? issuerRow.value : (config.GOOGLE_WALLET_ISSUER_ID ?? null);
  const originsRow = source("origins", config.GOOGLE_WALLET_ORIGINS?.length);
  const origins = originsRow ? (parseOrigins(originsRow.value) ?? []) : (config.GOOGLE_WALLET_ORIGINS ?? []);
  const logoRow = source("logoUrl", config.GOOGLE_WALLET_LOGO_URL);
  const logoUrl = logoRow ? logoRow.value : (config.GOOGLE_WALLET_LOGO_URL ?? null);
  const keyRow = source("serviceAccountKey", config.googleWalletKey);
  let key = config.googleWalletKey;
  let keyUnreadable = false;
  if (keyRow) {
    key = null;
    try {
      const parsed = parseServiceAccountKey(decryptSecret(config.APP_SECRET, keyRow.value));
      if ("key" in parsed) key = parsed.key;
      else keyUnreadable = true;
    } catch (error) {
      if (!(error instanceof UnreadableSecretError)) throw error;
      keyUnreadable = true;
    }
  }
  const missing: EffectiveWalletConfig["missing"] = [];
  if (!issuerId) missing.push("issuerId");
  if (!key) missing.push("serviceAccountKey");
  return { issuerId, key, origins, logoUrl, apiUrl: config.GOOGLE_WALLET_API_URL, sources, missing, keyUnreadable };
}

/** Which key a form or page may name: its service account and key id, never the private key. */
export function describeKey(key: ServiceAccountKey | null) {
  return key ? { clientEmail: key.clientEmail, privateKeyId: key.privateKeyId, tokenUri: key.tokenUri } : null;
}

/** What /admin/wallet shows: saved overrides, the environment behind them, the effective values. */
export async function walletSettingsView(db: Executor, config: Config) {
  const saved = await readSettings(db, "wallet");
  const effective = resolveWalletConfig(saved, config);
  return {
    values: {
      issuerId: saved.get("issuerId")?.value ?? "",
      origins: saved.get("origins")?.value ?? "",
      logoUrl: saved.get("logoUrl")?.value ?? "",
    },
    environment: {
      issuerId: config.GOOGLE_WALLET_ISSUER_ID ?? null,
      origins: config.GOOGLE_WALLET_ORIGINS?.join(", ") || null,
      logoUrl: config.GOOGLE_WALLET_LOGO_URL ?? null,
      key: describeKey(config.googleWalletKey),
    },
    savedKey: saved.has("serviceAccountKey"),
    effective: {
      issuerId: effective.issuerId,
      key: describeKey(effective.key),
      origins: effective.origins,
      logoUrl: effective.logoUrl,
      apiUrl: effective.apiUrl,
      sources: effective.sources,
      missing: effective.missing,
      keyUnreadable: effective.keyUnreadable,
    },
  };
}

export interface WalletSettingsInput {
  issuerId: string | null;
  /** The text of a new key file, already checked; null keeps the saved one. */
  serviceAccountKey: string | null;
  clearKey: boolean;
  origins: string | null;
  logoUrl: string | null;
}

/** Saves the form: a filled field overrides the environment, an empty one removes the override. */
export async function saveWalletSettings(db: Database, actor: Actor, config: Config, input: WalletSettingsInput) {
  const changes: SettingChange[] = [
    { key: "issuerId", value: input.issuerId },
    { key: "origins", value: input.origins },
    { key: "logoUrl", value: input.logoUrl },
  ];
  if (input.serviceAccountKey !== null) {
    changes.push({ key: "serviceAccountKey", value: input.serviceAccountKey, secret: true });
  } else if (input.clearKey) {
    changes.push({ key: "serviceAccountKey", value: null });
  }
  await db.transaction((tx) => saveSettings(tx, actor, config.APP_SECRET, "wallet", changes));
}
