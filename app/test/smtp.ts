import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface TestSmtpServerOptions {
  port?: number;
  /** `starttls`: plain connection that must be upgraded; `tls`: TLS from the first byte (port 465 style). */
  security?: "none" | "starttls" | "tls";
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** Wait this long before accepting each message (to catch a worker mid-batch). */
  acceptDelayMs?: number;
}

const fixtures = path.resolve(import.meta.dirname, "fixtures");
/** The self-signed certificate the TLS modes present; tests trust it through SMTP_TLS_CA_FILE. */
export const testCertificateFile = path.join(fixtures, "smtp-test-cert.pem");

export interface TestSmtpServer {
  port: number;
  /** The environment variables that point RewardFlow at this server. */
  env: Record<string, string>;
  /** Users that authenticated, in order. */
  logins: string[];
  messages: ParsedMail[];
  /** How each message of `messages` (same index) arrived: over TLS or not, and as which user. */
  sessions: { secure: boolean; user: string | null }[];
  /** Connection errors the server reported (a client that vanished mid-message), instead of crashing the test. */
  errors: Error[];
  /** Makes the server answer RCPT TO with this SMTP error until cleared. */
  rejectRecipients(code: number | null): void;
  waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server in this process that keeps every message it accepts; TLS and AUTH on request. */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  const logins: string[] = [];
  const sessions: TestSmtpServer["sessions"] = [];
  const errors: Error[] = [];
  let rejectCode: number | null = null;
  const security = options.security ?? "none";
  const tls =
    security === "none"
      ? {}
      : {
          key: readFileSync(path.join(fixtures, "smtp-test-key.pem")),
          cert: readFileSync(testCertificateFile),
        };
  const disabledCommands = [...(security === "starttls" ? [] : ["STARTTLS"]), ...(options.auth ? [] : ["AUTH"])];
  const config: SMTPServerOptions = {
    ...tls,
    secure: security === "tls",
    disabledCommands,
    authOptional: !options.auth,
    // Credentials only travel over TLS, as a real submission server insists.
    allowInsecureAuth: security === "none",
    logger: false,
    // Tests end with pooled client connections still open: drop them instead of waiting 30 s.
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        logins.push(auth.username ?? "");
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (rejectCode) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: rejectCode });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream, { keepCidLinks: true })
        .then(async (mail) => {
          if (options.acceptDelayMs) await new Promise((resolve) => setTimeout(resolve, options.acceptDelayMs));
          messages.push(mail);
          sessions.push({ secure: session.secure, user: typeof session.user === "string" ? session.user : null });
          callback();
        })
        .catch(callback);
    },
  };
  const server = new SMTPServer(config);
  // Without a listener, a client dropping mid-message (a killed worker) would be an uncaught exception.
  server.on("error", (error) => errors.push(error));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    env: {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(port),
      SMTP_SECURITY: security,
      ...(security === "none" ? {} : { SMTP_TLS_CA_FILE: testCertificateFile }),
      ...(options.auth ? { SMTP_USER: options.auth.user, SMTP_PASSWORD: options.auth.pass } : {}),
    },
    logins,
    messages,
    sessions,
    errors,
    rejectRecipients(code) {
      rejectCode = code;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no matching email within ${timeoutMs} ms (received ${messages.length})`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
