import { rootCertificates } from "node:tls";
import nodemailer, { type Transporter } from "nodemailer";
import type { Executor } from "~/db/client.server";
import { isLoopbackHost } from "~/smtp-security";
import { type EffectiveEmailConfig, smtpEndpoint } from "./email-config.server";
import type { EmailSender } from "./email-content.server";
import { emailOutbox } from "./schema";

export interface OutgoingMessage {
  emailLogId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: Buffer; cid: string; contentType: string }[];
  /** One-click unsubscribe URL (RFC 8058): sets List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
  /** Sent in someone else's name (a store's): the From display name and Reply-To. */
  sender?: EmailSender;
}

/** Seconds before an unreachable or silent server is given up: a blocked port fails within seconds. */
export const smtpTimeouts = { connectionSeconds: 5, greetingSeconds: 5, socketSeconds: 20 };

/** A send that did not go through, described with the endpoint it was meant for. */
export class EmailDeliveryError extends Error {
  override name = "EmailDeliveryError";
  constructor(
    message: string,
    /** What went wrong, for a localized explanation: see `deliveryProblem`. */
    readonly problem: DeliveryProblem,
    /** True when retrying cannot help (the server answered 5xx). */
    readonly permanent: boolean,
    readonly responseCode?: number,
    /** For a timeout: the limit that ran out. */
    readonly seconds?: number,
  ) {
    super(message);
  }
}

export type DeliveryProblem = "timeout" | "refused" | "dns" | "tls" | "auth" | "rejected" | "unconfigured" | "other";

/** Sends through the effective configuration; SMTP connections are pooled per configuration. */
export interface Mailer {
  send(config: EffectiveEmailConfig, message: OutgoingMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** `maxConnections`: SMTP connections kept open per configuration (match the worker's concurrency). */
export function createMailer(db: Executor, options: { maxConnections?: number } = {}): Mailer {
  let pooled: { key: string; transporter: Transporter } | null = null;
  const outbox = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });

  const smtpTransporter = (config: EffectiveEmailConfig): Transporter => {
    const key = JSON.stringify([config.host, config.port, config.security, config.user, config.password, config.tlsCa]);
    if (pooled?.key === key) return pooled.transporter;
    pooled?.transporter.close();
    const transporter = nodemailer.createTransport({
      host: config.host ?? undefined,
      port: config.port,
      secure: config.security === "tls",
      requireTLS: config.security === "starttls",
      ignoreTLS: config.security === "none",
      // Node's `ca` replaces the default roots: keep them and add the operator's (a private CA).
      tls: config.tlsCa ? { ca: [...rootCertificates, config.tlsCa] } : undefined,
      auth: config.user ? { user: config.user, pass: config.password ?? "" } : undefined,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      connectionTimeout: smtpTimeouts.connectionSeconds * 1000,
      greetingTimeout: smtpTimeouts.greetingSeconds * 1000,
      socketTimeout: smtpTimeouts.socketSeconds * 1000,
    });
    pooled = { key, transporter };
    return transporter;
  };

  return {
    async send(config, message) {
      const fields = mailFields(config, message);
      if (config.provider === "unconfigured") {
        throw new EmailDeliveryError(
          "SMTP is not configured: set SMTP_HOST or save a host in /admin/settings",
          "unconfigured",
          false,
        );
      }
      if (config.provider === "outbox") {
        const info = await outbox.sendMail(fields);
        await db.insert(emailOutbox).values({
          emailLogId: message.emailLogId,
          recipient: message.to,
          subject: message.subject,
          raw: (info.message as Buffer).toString("utf8"),
        });
        return { messageId: info.messageId };
      }
      if (config.user && config.security === "none" && !isLoopbackHost(config.host)) {
        throw new EmailDeliveryError(
          `${smtpEndpoint(config)}: refusing to send SMTP credentials without TLS (security "none")`,
          "tls",
          true,
        );
      }
      try {
        const info = await smtpTransporter(config).sendMail(fields);
        return { messageId: info.messageId };
      } catch (error) {
        throw describeSmtpFailure(error, config);
      }
    },
    close() {
      pooled?.transporter.close();
      outbox.close();
    },
  };
}

function mailFields(config: EffectiveEmailConfig, message: OutgoingMessage) {
  return {
    from: { name: message.sender?.name ?? config.fromName, address: config.fromAddress },
    replyTo: message.sender?.replyTo ?? undefined,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    attachments: message.attachments,
    date: new Date(),
    // Stable per email: a receiving system can recognise a resend after a crash as the same message.
    messageId: `<${message.emailLogId}@${config.fromAddress.split("@")[1] ?? "rewardflow"}>`,
    ...(message.unsubscribeUrl
      ? {
          list: { unsubscribe: message.unsubscribeUrl },
          headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        }
      : {}),
  };
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** Names the endpoint and classifies the failure, so logs and the settings page can say what to fix. */
function describeSmtpFailure(error: unknown, config: EffectiveEmailConfig): EmailDeliveryError {
  const { code, responseCode, message = String(error) } = (error ?? {}) as NodemailerError;
  const endpoint = smtpEndpoint(config) ?? "(no host)";
  const permanent = typeof responseCode === "number" && responseCode >= 500 && responseCode < 600;
  const problem = classify(code, responseCode, message);
  const seconds = problem === "timeout" ? timeoutThatRanOut(message) : undefined;
  const prefix = seconds ? `${endpoint} did not answer within ${seconds} s` : `${endpoint} (${config.security})`;
  return new EmailDeliveryError(
    `${prefix}: ${message}${code ? ` [${code}]` : ""}`,
    problem,
    permanent,
    responseCode,
    seconds,
  );
}

/** Nodemailer names the stage: "Connection timeout", "Greeting never received", else the socket went idle. */
function timeoutThatRanOut(message: string): number {
  if (/connection timeout/i.test(message)) return smtpTimeouts.connectionSeconds;
  if (/greeting/i.test(message)) return smtpTimeouts.greetingSeconds;
  return smtpTimeouts.socketSeconds;
}

function classify(code: string | undefined, responseCode: number | undefined, message: string): DeliveryProblem {
  if (code === "ETIMEDOUT" || /timeout/i.test(message)) return "timeout";
  if (/ECONNREFUSED/.test(message)) return "refused";
  if (/ENOTFOUND|EAI_AGAIN/.test(message) || code === "EDNS") return "dns";
  if (code === "EAUTH") return "auth";
  if (code === "ETLS" || /certificate|TLS|SSL|wrong version number/i.test(message)) return "tls";
  if (typeof responseCode === "number" && responseCode >= 400) return "rejected";
  return "other";
}
