import type { ChildProcess } from "node:child_process";
import type { FakeGoogleWallet } from "../app/test/google-wallet-fake";
import type { MailCapture } from "./mail-capture";

/** Environment variables through which e2e/global-setup.ts tells the spec workers where things are. */
export const e2eEnv = {
  /** Port of the app (every store host shares it). */
  port: "E2E_APP_PORT",
  /** Directory where the capturing SMTP server writes one JSON file per message. */
  mailDir: "E2E_MAIL_DIR",
  /** PLATFORM_DOMAIN the app was started with: stores live at <subdomain>.<domain>. */
  platformDomain: "E2E_PLATFORM_DOMAIN",
  /** The app's stdout/stderr, for diagnosing a failure. */
  appLog: "E2E_APP_LOG",
  /** The fake Wallet API the app talks to (its token endpoint is `<origin>/token`). */
  googleWalletApiUrl: "E2E_GOOGLE_WALLET_API_URL",
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the journeys with \`npx playwright test\` (e2e/global-setup.ts sets it)`);
  }
  return value;
}

/** What global setup started, kept in the runner process for global teardown. */
export interface E2eState {
  tmpDir: string;
  app: ChildProcess | null;
  mail: MailCapture | null;
  googleWallet: FakeGoogleWallet | null;
}

declare global {
  var __rewardflowE2e: E2eState | undefined;
}
