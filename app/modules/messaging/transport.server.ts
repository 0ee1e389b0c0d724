import nodemailer from "nodemailer";
import type { Config } from "~/config.server";
import type { Executor } from "~/db/client.server";
import { emailOutbox } from "./schema";

export interface OutgoingMessage {
  emailLogId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: Buffer; cid: string; contentType: string }[];
}

/** The delivery route actually in use; its description is what the log row records. */
export interface EmailTransport {
  provider: "smtp" | "outbox";
  host: string | null;
  from: string;
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
  close(): void;
}

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** SMTP when SMTP_URL is set, otherwise the development outbox table. */
export function createEmailTransport(config: Config, db: Executor): EmailTransport {
  const from = config.EMAIL_FROM;
  if (config.SMTP_URL) {
    const url = new URL(config.SMTP_URL);
    const transporter = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === "smtps:" ? 465 : 587),
      secure: url.protocol === "smtps:",
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      pool: true,
      maxConnections: 5,
      ...timeouts,
    });
    return {
      provider: "smtp",
      host: `${url.hostname}:${url.port || (url.protocol === "smtps:" ? 465 : 587)}`,
      from,
      async send(message) {
        const info = await transporter.sendMail({ from, ...mailFields(message) });
        return { messageId: info.messageId };
      },
      close: () => transporter.close(),
    };
  }
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    provider: "outbox",
    host: null,
    from,
    async send(message) {
      const info = await builder.sendMail({ from, ...mailFields(message) });
      await db.insert(emailOutbox).values({
        emailLogId: message.emailLogId,
        recipient: message.to,
        subject: message.subject,
        raw: (info.message as Buffer).toString("utf8"),
      });
      return { messageId: info.messageId };
    },
    close: () => builder.close(),
  };
}

function mailFields(message: OutgoingMessage) {
  return {
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    attachments: message.attachments,
    date: new Date(),
  };
}
