import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isGoogleEndpointUrl, parseOrigins } from "~/google-endpoints";
import { keyProblemText, parseServiceAccountKey, type ServiceAccountKey } from "~/google-service-account.server";
import { smtpSecurityModes } from "~/smtp-security";

const booleanFlag = z.enum(["on", "off"]);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  PLATFORM_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "must be a bare host name such as localhost or rewardflow.lu")
    .default("localhost"),
  PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PUBLIC_PROTOCOL: z.enum(["http", "https"]).optional(),
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z
    .never({ error: "is no longer read: set SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER and SMTP_PASSWORD" })
    .optional(),
  SMTP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or IP address such as smtp.example.com")
    .optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURITY: z.enum(smtpSecurityModes, { error: "must be none, starttls or tls" }).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_TLS_CA_FILE: z.string().optional(),
  EMAIL_FROM: z
    .string()
    .regex(/^(.+<[^\s@]+@[^\s@]+>|[^\s@]+@[^\s@]+)$/, 'must be an address or "Name <address>"')
    .optional(),
  WORKER: booleanFlag.default("on"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: z.string().default(""),
  ENROLL_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  ENROLL_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  TERMINAL_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  TERMINAL_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  SEED_DEMO: booleanFlag.optional(),
  GOOGLE_WALLET_ISSUER_ID: z
    .string()
    .regex(/^\d{6,30}$/, "must be the numeric issuer id shown in the Google Pay & Wallet Console")
    .optional(),
  GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: z.string().optional(),
  GOOGLE_WALLET_ORIGINS: z
    .string()
    .refine((value) => parseOrigins(value) !== null, {
      error: "must be a comma-separated list of origins such as https://shop.example.com",
    })
    .transform((value) => parseOrigins(value) ?? [])
    .optional(),
  GOOGLE_WALLET_API_URL: z
    .string()
    .refine(isGoogleEndpointUrl, { error: "must be an https URL (http only on this machine)" })
    .transform((value) => value.replace(/\/+$/, ""))
    .default("https://walletobjects.googleapis.com/walletobjects/v1"),
  GOOGLE_WALLET_LOGO_URL: z.url({ protocol: /^https$/, error: "must be an https URL of an image" }).optional(),
  ADMIN_EMAIL: z.email("must be an email address").optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").max(200).optional(),
});

export type Config = Omit<
  z.infer<typeof envSchema>,
  "APP_SECRET" | "SMTP_URL" | "SMTP_TLS_CA_FILE" | "GOOGLE_WALLET_SERVICE_ACCOUNT_FILE"
> & {
  APP_SECRET: string;
  /** The Google Wallet service-account key read from GOOGLE_WALLET_SERVICE_ACCOUNT_FILE. */
  googleWalletKey: ServiceAccountKey | null;
  /** Extra certificate authorities to trust for SMTP TLS (PEM), read from SMTP_TLS_CA_FILE. */
  smtpTlsCa: string | null;
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  isProduction: boolean;
  /** Origin of the platform surface as users reach it, e.g. http://localhost:3000. */
  platformOrigin: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a ConfigError whose message names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join(".") ?? "environment";
    throw new ConfigError(`Invalid configuration: ${variable} ${issue?.message ?? "is invalid"}`);
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === "production";
  const dataDir = path.resolve(values.DATA_DIR);
  if (isProduction && !values.APP_SECRET) {
    throw new ConfigError("Invalid configuration: APP_SECRET is required in production (at least 32 characters)");
  }
  if (isProduction && !values.DATABASE_URL) {
    throw new ConfigError("Invalid configuration: DATABASE_URL is required in production");
  }
  if (isProduction && values.SEED_DEMO === "on") {
    throw new ConfigError(
      "Invalid configuration: SEED_DEMO=on is refused with NODE_ENV=production (the demo staff accounts have published passwords)",
    );
  }
  if (Boolean(values.ADMIN_EMAIL) !== Boolean(values.ADMIN_PASSWORD)) {
    throw new ConfigError("Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD go together (set both or neither)");
  }
  const appSecret = values.APP_SECRET ?? developmentSecret(dataDir);
  const {
    SMTP_URL: _retired,
    SMTP_TLS_CA_FILE: caFile,
    GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: walletKeyFile,
    ...rest
  } = values;
  const protocol = values.PUBLIC_PROTOCOL ?? (isProduction ? "https" : "http");
  const publicPort = values.PUBLIC_PORT ?? (isProduction ? undefined : values.PORT);
  const defaultPort = protocol === "https" ? 443 : 80;
  const portSuffix = publicPort && publicPort !== defaultPort ? `:${publicPort}` : "";
  return {
    ...rest,
    APP_SECRET: appSecret,
    smtpTlsCa: caFile ? readCaFile(caFile) : null,
    googleWalletKey: walletKeyFile ? readWalletKeyFile(walletKeyFile) : null,
    dataDir,
    isProduction,
    platformOrigin: `${protocol}://${values.PLATFORM_DOMAIN}${portSuffix}`,
  };
}

function readCaFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Invalid configuration: SMTP_TLS_CA_FILE cannot be read (${(error as Error).message})`);
  }
}

function readWalletKeyFile(file: string): ServiceAccountKey {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: GOOGLE_WALLET_SERVICE_ACCOUNT_FILE cannot be read (${(error as Error).message})`,
    );
  }
  const parsed = parseServiceAccountKey(text);
  if ("problem" in parsed) {
    throw new ConfigError(
      `Invalid configuration: GOOGLE_WALLET_SERVICE_ACCOUNT_FILE ${keyProblemText[parsed.problem]} (${file})`,
    );
  }
  return parsed.key;
}

/** Development only: a random secret generated once and kept in DATA_DIR. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
