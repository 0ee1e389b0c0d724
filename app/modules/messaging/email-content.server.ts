import type { Executor } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import type { serverI18n } from "~/i18n/resources.server";
import { cardQrPng } from "~/modules/loyalty/qr.server";
import type { EmailParams, EmailTemplateKey, Placeholder } from "~/modules/outbox/kinds";
import type { emailLogs } from "~/modules/outbox/schema";
import type { DetailsTableProps, TransactionalEmailProps } from "../../../emails/transactional";
import type { EffectiveEmailConfig } from "./email-config.server";

export type EmailLog = typeof emailLogs.$inferSelect;
export type Attachment = { filename: string; content: Buffer; cid: string; contentType: string };
export type Translate = ReturnType<typeof serverI18n>["t"];

export interface RenderContext {
  platformOrigin: string;
  appSecret: string;
  /** The configuration this email is being sent with (the SMTP test email reports it). */
  emailConfig: EffectiveEmailConfig;
  /** Google Wallet is configured: card emails carry the "Add to Google Wallet" link. */
  walletLinks: boolean;
  /** A template preview's store and program (a real one, see `previewShop`); generic sample names without it. */
  previewShop?: PreviewShop;
}

/** The store and program a template preview shows, named as in the preview's language. */
export interface PreviewShop {
  store: string;
  program: string;
  brand: { name: string; color: string; logoUrl: string | null };
}

/** An email that can never be rendered (its records are gone, its parameters are wrong): retrying cannot help. */
export class UnrenderableEmailError extends Error {
  override name = "UnrenderableEmailError";
}

/** What the layout needs besides the copy: a value for each of the kind's placeholders and the blocks it adds. */
export interface EmailContent<K extends EmailTemplateKey = EmailTemplateKey> {
  values: Record<Placeholder<K>, string>;
  frame: Pick<TransactionalEmailProps, "brand" | "footer" | "unsubscribe">;
  card?: TransactionalEmailProps["card"];
  action?: TransactionalEmailProps["action"];
  details?: DetailsTableProps;
  attachments: Attachment[];
  /** Sent as List-Unsubscribe (reminders). */
  unsubscribeUrl?: string;
  /** Values that must not rest in the database copy (one-time links). */
  secrets: string[];
  /** Who the email speaks for, when not the platform: shopper emails go out in the store's name. */
  sender?: EmailSender;
}

/** The From display name (the address stays the platform's, which SPF and DKIM cover) and where replies go. */
export interface EmailSender {
  name: string;
  replyTo: string | null;
}

/** A queued row of one kind, its parameters checked against that kind. */
export type QueuedEmail<K extends EmailTemplateKey> = Omit<EmailLog, "templateKey" | "params"> & {
  templateKey: K;
  params: EmailParams<K>;
};

/** How one kind of email becomes content: from the records its row points to, or from sample data for a preview. */
export interface EmailKindRendering<K extends EmailTemplateKey> {
  load(db: Executor, email: QueuedEmail<K>, context: RenderContext): Promise<EmailContent<K>>;
  sample(locale: Locale, context: RenderContext): Promise<EmailContent<K>>;
}

export function amount(t: Translate, kind: "points" | "stamps", count: number): string {
  return t(`email:units.${kind}`, { count });
}

export const platformBrand = { name: "RewardFlow", color: "#1f4e79", logoUrl: null };
export const qrCid = "card-qr@rewardflow";

/** The card's QR code as an inline (CID) PNG attachment; it encodes the card number for the counter's scanner. */
export function cardQr(cardNumber: string): Attachment {
  return { filename: "card-qr.png", content: cardQrPng(cardNumber), cid: qrCid, contentType: "image/png" };
}
