import { asc, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { formatDate } from "~/i18n/format";
import type { Locale } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import { customers, loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { type EmailTemplateKey, emailKinds, type Placeholder } from "~/modules/outbox/kinds";
import { merchants, stores } from "~/modules/tenancy/schema";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import {
  amount,
  cardQr,
  type EmailContent,
  type EmailKindRendering,
  type EmailLog,
  type EmailSender,
  type PreviewShop,
  qrCid,
  type RenderContext,
  type Translate,
  UnrenderableEmailError,
} from "../email-content.server";
import { unsubscribeUrl } from "../unsubscribe.server";

/** The placeholders every shopper email has. */
type ShopperPlaceholder = "firstName" | "lastName" | "store" | "program" | "cardNumber" | "cardUrl" | "balance";
type ShopperKind = {
  [K in EmailTemplateKey]: (typeof emailKinds)[K]["audience"] extends "shopper" ? K : never;
}[EmailTemplateKey];
/** What a kind adds to the shopper placeholders. */
export type ExtraValues<K extends ShopperKind> = Record<Exclude<Placeholder<K>, ShopperPlaceholder>, string>;

/** The card a shopper email is about, with its program, customer and store, in the email's language. */
export interface ShopperRecords {
  kind: ShopperKind;
  locale: Locale;
  t: Translate;
  card: typeof loyaltyCards.$inferSelect;
  program: typeof loyaltyPrograms.$inferSelect;
  customer: typeof customers.$inferSelect;
  store: typeof stores.$inferSelect;
  origin: string;
  cardUrl: string;
}

/** Loads the card of a shopper email; the store is the one that caused it, else where the card was enrolled. */
export async function loadShopper(
  db: Executor,
  log: Pick<EmailLog, "id" | "locale" | "cardId" | "storeId"> & { templateKey: ShopperKind },
  context: RenderContext,
): Promise<ShopperRecords> {
  if (!log.cardId) throw new UnrenderableEmailError(`email ${log.id} (${log.templateKey}) has no card`);
  const [row] = await db
    .select({ card: loyaltyCards, program: loyaltyPrograms, customer: customers, store: stores })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(stores, eq(stores.id, log.storeId ?? loyaltyCards.enrolledStoreId))
    .innerJoin(merchants, eq(merchants.id, loyaltyCards.merchantId))
    .where(eq(loyaltyCards.id, log.cardId))
    .limit(1);
  if (!row) throw new UnrenderableEmailError(`email ${log.id}: card ${log.cardId} not found`);
  const origin = storeOrigin(context.platformOrigin, row.store);
  return {
    ...row,
    kind: log.templateKey,
    locale: log.locale,
    t: serverI18n(log.locale).t,
    origin,
    cardUrl: `${origin}/loyalty/card/${row.card.publicToken}?lang=${log.locale}`,
  };
}

/** A shopper email from its card: the shared values, the kind's own, the card block, its QR and (reminders) the unsubscribe link. */
export async function shopperContent<K extends ShopperKind>(
  shopper: ShopperRecords & { kind: K },
  extra: ExtraValues<K>,
  context: RenderContext,
): Promise<EmailContent<K>> {
  const { t, card, program, customer, store, locale } = shopper;
  const programName = translatedName(program, locale);
  const values = {
    firstName: customer.firstName,
    lastName: customer.lastName,
    store: store.name,
    program: programName,
    cardNumber: formatCardNumber(card.cardNumber),
    cardUrl: shopper.cardUrl,
    balance: amount(t, program.kind, programBalance(program, card)),
    ...extra,
  } as Record<Placeholder<K>, string>;
  const unsubscribe = emailKinds[shopper.kind].reminder
    ? unsubscribeUrl(context.appSecret, shopper.origin, customer.id, locale)
    : undefined;
  return frameShopperEmail(shopper.kind, t, {
    values,
    brand: { name: store.name, color: program.brandColor, logoUrl: emailLogoUrl(program.logoUrl, shopper.origin) },
    sender: { name: store.name, replyTo: store.contactEmail },
    vars: { program: programName, store: store.name },
    cardNumber: card.cardNumber,
    cardUrl: shopper.cardUrl,
    onlineOnly: store.onlineOnly,
    walletUrl: context.walletLinks
      ? `${shopper.origin}/loyalty/card/${card.publicToken}/google-wallet?lang=${locale}`
      : undefined,
    unsubscribe,
    stamps:
      program.kind === "stamps"
        ? {
            collected: Math.min(card.stampsBalance, program.stampsPerCard),
            perCard: program.stampsPerCard,
            label: t("email:stampCard.label", {
              count: Math.min(card.stampsBalance, program.stampsPerCard),
              total: program.stampsPerCard,
            }),
          }
        : undefined,
  });
}

/**
 * The program's logo as an email can show it: absolute (a path is on the store's host), and not SVG,
 * which Gmail and Outlook do not display; without one the email names the store in its header.
 */
export function emailLogoUrl(logoUrl: string | null, storeOrigin: string): string | null {
  if (!logoUrl) return null;
  const url = new URL(logoUrl, storeOrigin);
  return url.pathname.toLowerCase().endsWith(".svg") ? null : url.href;
}

const sampleCardNumber = "6280000000000018";

/**
 * The store and program a template preview shows: the first active program (the oldest) and its
 * first store by name, so the admin sees a name a shopper would see rather than a store code.
 */
export async function previewShop(
  db: Executor,
  locale: Locale,
  platformOrigin: string,
): Promise<PreviewShop | undefined> {
  const [row] = await db
    .select({ program: loyaltyPrograms, store: stores })
    .from(loyaltyPrograms)
    .innerJoin(stores, eq(stores.merchantId, loyaltyPrograms.merchantId))
    .where(eq(loyaltyPrograms.active, true))
    .orderBy(asc(loyaltyPrograms.createdAt), asc(stores.name))
    .limit(1);
  if (!row) return undefined;
  return {
    store: row.store.name,
    program: translatedName(row.program, locale),
    brand: {
      name: row.store.name,
      color: row.program.brandColor,
      logoUrl: emailLogoUrl(row.program.logoUrl, storeOrigin(platformOrigin, row.store)),
    },
  };
}

/** A shopper email for the template preview: sample names and card, the preview's store and program when given. */
export async function sampleShopperContent<K extends ShopperKind>(
  kind: K,
  locale: Locale,
  context: RenderContext,
  extra: (t: Translate) => ExtraValues<K>,
): Promise<EmailContent<K>> {
  const { t } = serverI18n(locale);
  const cardUrl = `${context.platformOrigin}/loyalty/card/sample?lang=${locale}`;
  const shop = context.previewShop;
  const vars = { program: shop?.program ?? t("email:sample.program"), store: shop?.store ?? t("email:sample.store") };
  const values = {
    firstName: t("email:sample.firstName"),
    lastName: t("email:sample.lastName"),
    ...vars,
    cardNumber: formatCardNumber(sampleCardNumber),
    cardUrl,
    balance: amount(t, "points", 150),
    ...extra(t),
  } as Record<Placeholder<K>, string>;
  const content = await frameShopperEmail(kind, t, {
    values,
    brand: shop?.brand ?? { name: vars.store, color: "#1f4e79", logoUrl: null },
    sender: { name: vars.store, replyTo: null },
    vars,
    cardNumber: sampleCardNumber,
    cardUrl,
    walletUrl: context.walletLinks
      ? `${context.platformOrigin}/loyalty/card/sample/google-wallet?lang=${locale}`
      : undefined,
    unsubscribe: emailKinds[kind].reminder ? `${cardUrl}#unsubscribe` : undefined,
  });
  // A preview is never sent: no List-Unsubscribe header for it.
  return { ...content, unsubscribeUrl: undefined };
}

async function frameShopperEmail<K extends ShopperKind>(
  kind: K,
  t: Translate,
  email: {
    values: Record<Placeholder<K>, string>;
    brand: { name: string; color: string; logoUrl: string | null };
    sender: EmailSender;
    vars: { program: string; store: string };
    cardNumber: string;
    cardUrl: string;
    /** Only the emails that carry the card (its QR code) offer to add it to Google Wallet. */
    walletUrl: string | undefined;
    unsubscribe: string | undefined;
    stamps?: NonNullable<EmailContent<K>["card"]>["stamps"];
    /** A store with no counter: the QR's hint speaks of the card number given with an order. */
    onlineOnly?: boolean;
  },
): Promise<EmailContent<K>> {
  const withQr = emailKinds[kind].cardQr;
  return {
    values: email.values,
    frame: {
      brand: email.brand,
      footer: t(email.unsubscribe ? "email:reminderFooter" : "email:footer", email.vars),
      unsubscribe: email.unsubscribe ? { url: email.unsubscribe, label: t("email:unsubscribe") } : undefined,
    },
    card: {
      numberLine: t("email:cardNumber", { number: formatCardNumber(email.cardNumber) }),
      url: email.cardUrl,
      openLabel: t("email:openCard"),
      stamps: email.stamps,
      // The QR carries the card number for the counter's scanner; tapping it opens the card (or Wallet, once configured).
      qr: withQr
        ? {
            src: `cid:${qrCid}`,
            alt: t("email:qrAlt"),
            hint: t(email.onlineOnly ? "email:onlineOnly.qrHint" : "email:qrHint"),
            href: email.cardUrl,
          }
        : undefined,
      wallet: withQr && email.walletUrl ? { url: email.walletUrl, label: t("email:wallet.addToWallet") } : undefined,
    },
    attachments: withQr ? [cardQr(email.cardNumber)] : [],
    unsubscribeUrl: email.unsubscribe,
    secrets: [],
    sender: email.sender,
  };
}

/** A date in the email's language, e.g. "31 décembre 2026". */
export function longDate(locale: Locale, date: Date, timeZone?: string): string {
  return formatDate(locale, date, { shape: "long", timeZone });
}

/** The welcome emails (the card, the card with its bonus, a bonus alone) say the same things: the shopper and the bonus. */
export function welcomeBonusEmail<
  K extends "loyalty_enrollment" | "loyalty_enrollment_with_bonus" | "loyalty_welcome_bonus",
>(kind: K): EmailKindRendering<K> {
  return {
    async load(db, email, context) {
      const shopper = await loadShopper(db, email, context);
      return shopperContent(
        { ...shopper, kind },
        // Both kinds have exactly the `bonus` placeholder beyond the shopper's; TypeScript cannot see that through K.
        { bonus: amount(shopper.t, shopper.program.kind, shopper.program.welcomeBonus) } as ExtraValues<K>,
        context,
      );
    },
    sample: (locale, context) =>
      sampleShopperContent(kind, locale, context, (t) => ({ bonus: amount(t, "points", 50) })),
  };
}
