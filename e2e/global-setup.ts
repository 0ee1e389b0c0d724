import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, createWriteStream, existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { freePort } from "../app/free-port.server";
import { startFakeGoogleWallet } from "../app/test/google-wallet-fake";
import { type E2eState, e2eEnv } from "./env";
import globalTeardown from "./global-teardown";
import { startMailCapture } from "./mail-capture";

/**
 * Runs once in Playwright's runner process, before any worker starts:
 *
 * 1. a fresh temporary directory (under os.tmpdir(), readable by the `postgres` user) holding
 *    the app's DATA_DIR (embedded PostgreSQL), the captured mail and the app log;
 * 2. a capturing SMTP server on a free port (e2e/mail-capture.ts) writing each message as JSON;
 * 3. a fake of Google's token endpoint and Wallet API (app/test/google-wallet-fake.ts) on a free
 *    port: the app's GOOGLE_WALLET_API_URL; a spec configures Wallet with a key naming its token_uri;
 * 4. the app (`node scripts/launch.js server.ts`, as `npm start` runs it) on a free port, sending
 *    its mail to that SMTP server; ready once GET /readyz answers status "ok" (database migrated,
 *    seeded, worker running).
 *
 * Workers learn the port and the mail directory from environment variables set here (workers
 * are forked afterwards and inherit process.env). e2e/global-teardown.ts stops everything.
 */

const root = path.resolve(import.meta.dirname, "..");
/**
 * The self-signed certificate of the in-process STARTTLS server journey 8 starts
 * (app/test/smtp.ts); the app trusts it like an operator trusts a private CA. The capture
 * server below speaks plain SMTP (SMTP_SECURITY none), so it does not use it.
 */
const smtpTestCertificateFile = path.join(root, "app", "test", "fixtures", "smtp-test-cert.pem");
const readyTimeoutMs = 180_000; // a cold start may rebuild the app first (ensureBuild)

export default async function globalSetup(_config: FullConfig): Promise<void> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), "rewardflow-e2e-"));
  // mkdtemp creates 0700; PostgreSQL runs as the `postgres` user and must traverse it.
  chmodSync(tmpDir, 0o755);
  const state: E2eState = { tmpDir, app: null, mail: null, googleWallet: null };
  globalThis.__rewardflowE2e = state;
  try {
    const mailDir = path.join(tmpDir, "mail");
    state.mail = await startMailCapture(mailDir);
    state.googleWallet = await startFakeGoogleWallet();
    const port = await freePort();
    const logFile = path.join(tmpDir, "app.log");
    state.app = startApp({
      port,
      dataDir: path.join(tmpDir, "data"),
      smtpPort: state.mail.port,
      walletApiUrl: state.googleWallet.apiUrl,
      logFile,
    });
    await waitUntilReady(state.app, port, logFile);

    process.env[e2eEnv.port] = String(port);
    process.env[e2eEnv.mailDir] = mailDir;
    process.env[e2eEnv.platformDomain] = "localhost";
    process.env[e2eEnv.appLog] = logFile;
    // Port of the capture server, so a spec that points the app elsewhere can check it is back.
    process.env.E2E_SMTP_PORT = String(state.mail.port);
    process.env[e2eEnv.googleWalletApiUrl] = state.googleWallet.apiUrl;
    process.stdout.write(
      `[e2e] app on http://localhost:${port}, SMTP on 127.0.0.1:${state.mail.port}, files in ${tmpDir}\n`,
    );
  } catch (error) {
    await globalTeardown();
    throw error;
  }
}

function startApp(options: {
  port: number;
  dataDir: string;
  smtpPort: number;
  walletApiUrl: string;
  logFile: string;
}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Whatever the developer's shell points at, the journeys use their own embedded database and mailbox.
  for (const name of [
    "DATABASE_URL",
    "APP_SECRET",
    "PUBLIC_PORT",
    "PUBLIC_PROTOCOL",
    "TRUST_PROXY",
    "SEED_DEMO",
    "WORKER",
    "ENROLL_RATE_WINDOW_SECONDS",
    "SMTP_URL",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TLS_CA_FILE",
    "GOOGLE_WALLET_ISSUER_ID",
    "GOOGLE_WALLET_SERVICE_ACCOUNT_FILE",
    "GOOGLE_WALLET_ORIGINS",
    "GOOGLE_WALLET_LOGO_URL",
  ]) {
    delete env[name];
  }
  Object.assign(env, {
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    PLATFORM_DOMAIN: "localhost",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(options.smtpPort),
    SMTP_SECURITY: "none",
    SMTP_TLS_CA_FILE: smtpTestCertificateFile,
    EMAIL_FROM: "RewardFlow E2E <no-reply@rewardflow.localhost>",
    LOG_LEVEL: "warn",
    ENROLL_RATE_LIMIT: "1000",
    LOGIN_RATE_LIMIT: "1000",
    // Wallet starts unconfigured; only Google's API is pointed at the fake (the key names its token endpoint).
    GOOGLE_WALLET_API_URL: options.walletApiUrl,
  });
  const log = createWriteStream(options.logFile);
  // `npm start` without npm: the node process itself, so SIGTERM reaches the app's shutdown handler.
  const child = spawn(process.execPath, ["scripts/launch.js", "server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once("exit", () => log.end());
  return child;
}

async function waitUntilReady(app: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (app.exitCode !== null || app.signalCode !== null) {
      throw new Error(
        `The app exited during start (code ${app.exitCode}, signal ${app.signalCode}). Log:\n${tail(logFile)}`,
      );
    }
    try {
      // Node does not resolve *.localhost: talk to the loopback address directly.
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) });
      const body = (await response.json()) as { status?: string };
      if (body.status === "ok") return;
      last = `HTTP ${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `The app was not ready within ${readyTimeoutMs / 1000} s (last /readyz: ${last}). Log:\n${tail(logFile)}`,
  );
}

function tail(file: string, lines = 60): string {
  if (!existsSync(file)) return "(no log)";
  return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}
