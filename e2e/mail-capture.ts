import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message as the SMTP server received it, stored as JSON so spec workers can read it. */
export interface CapturedEmail {
  /** Arrival order, zero-padded: file names sort in arrival order. */
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string[];
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments: {
    filename: string | null;
    contentType: string;
    contentDisposition: string | null;
    /** Content-ID header, e.g. "<card-qr@rewardflow>". */
    contentId: string | null;
    /** Content-ID without angle brackets, as referenced by `cid:` URLs. */
    cid: string | null;
    related: boolean;
    size: number;
  }[];
}

export interface MailCapture {
  port: number;
  dir: string;
  close(): Promise<void>;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
    group.value.flatMap((entry) => (entry.address ? [entry.address] : [])),
  );

/**
 * A plain SMTP server on 127.0.0.1 (no TLS, no AUTH) that writes every received message to
 * `dir/<sequence>.json`. Files are written under a temporary name and renamed, so a reader
 * never sees half a message.
 */
export async function startMailCapture(dir: string): Promise<MailCapture> {
  mkdirSync(dir, { recursive: true });
  let sequence = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    banner: "RewardFlow e2e mail capture",
    size: 20 * 1024 * 1024,
    onData(stream, session, callback) {
      const id = String(++sequence).padStart(6, "0");
      simpleParser(stream, { keepCidLinks: true })
        .then((parsed) => {
          const message: CapturedEmail = {
            id,
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            from: addresses(parsed.from),
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            text: parsed.text ?? "",
            attachments: parsed.attachments.map((attachment) => ({
              filename: attachment.filename ?? null,
              contentType: attachment.contentType,
              contentDisposition: attachment.contentDisposition ?? null,
              contentId: attachment.contentId ?? null,
              cid: attachment.cid ?? null,
              related: attachment.related ?? false,
              size: attachment.size,
            })),
          };
          const file = path.join(dir, `${id}.json`);
          writeFileSync(`${file}.tmp`, JSON.stringify(message, null, 2));
          renameSync(`${file}.tmp`, file);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => process.stderr.write(`[e2e smtp] ${String(error)}\n`));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
