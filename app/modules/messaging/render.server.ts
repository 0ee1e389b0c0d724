import { render, toPlainText } from "@react-email/render";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "~/db/client.server";
import { intlTags, type Locale } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { users } from "~/modules/auth/schema";
import { issueUserToken, tokenLifetimeHours } from "~/modules/auth/tokens.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import { cardQrPng } from "~/modules/loyalty/qr.server";
import { customers, loyaltyCards, loyaltyPrograms, loyaltyRewards } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import type { DetailsTableProps, TransactionalEmailProps } from "../../../emails/transactional";
import { TransactionalEmail } from "../../../emails/transactional";
import { type TemplateCopy, templateCatalog, templateVocabulary } from "./catalog";
import type { EffectiveEmailConfig } from "./email-config.server";
import { fillPlain, parseBody, parsePlain } from "./markup";
import { type EmailTemplateKey, type emailLogs, emailTemplates } from "./schema";
import { unsubscribeUrl } from "./unsubscribe.server";

type EmailLog = typeof emailLogs.$inferSelect;
type Attachment = { filename: string; content: Buffer; cid: string; contentType: string };

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  attachments: Attachment[];
  unsubscribeUrl?: string;
  /** What email_logs keeps for the admin viewer when it must differ from what was sent (secrets redacted). */
  stored?: { subject: string; html: string; text: string };
}

export interface RenderContext {
  platformOrigin: string;
  appSecret: string;
  /** The configuration this email is being sent with (the SMTP test email reports it). */
  emailConfig: EffectiveEmailConfig;
}

/** An email that can never be rendered (its records are gone, its parameters are wrong): retrying cannot help. */
export class UnrenderableEmailError extends Error {
  override name = "UnrenderableEmailError";
}

/** What the layout needs besides the copy: placeholder values and the blocks this kind of email adds. */
interface EmailContent {
  values: Record<string, string>;
  frame: Pick<TransactionalEmailProps, "brand" | "footer" | "unsubscribe">;
  card?: TransactionalEmailProps["card"];
  action?: TransactionalEmailProps["action"];
  details?: DetailsTableProps;
  attachments: Attachment[];
  unsubscribeUrl?: string;
  /** Values that must not rest in the database copy (one-time links). */
  secrets: string[];
}

/** Parameters a queued email carries beyond its linked records, checked before use. */
const draftSchema = z.object({ subject: z.string(), preheader: z.string(), body: z.string() });
const paramsSchema = z.object({
  rewardId: z.uuid().optional(),
  expiringPoints: z.int().positive().optional(),
  expiresOn: z.iso.date().optional(),
  /** Set on "send a preview" emails: the copy being edited, rendered with sample data. */
  preview: draftSchema.optional(),
});

const platformBrand = { name: "RewardFlow", color: "#1f4e79", logoUrl: null };
const qrCid = "card-qr@rewardflow";

/** Renders any queued email from the records it points to, in the row's locale, with the stored copy. */
export async function renderEmail(db: Executor, log: EmailLog, context: RenderContext): Promise<RenderedEmail> {
  const params = paramsSchema.safeParse(log.params);
  if (!params.success) throw new UnrenderableEmailError(`email ${log.id}: invalid params (${params.error.message})`);
  if (params.data.preview) {
    return composeEmail(log.templateKey, log.locale, params.data.preview, await sampleContent(log, context));
  }
  const copy = await loadTemplate(db, log.templateKey, log.locale);
  const content =
    templateCatalog[log.templateKey].audience === "shopper"
      ? await shopperContent(db, log, params.data, context)
      : await staffContent(db, log, context);
  return composeEmail(log.templateKey, log.locale, copy, content);
}

/** The admin preview: a draft rendered with sample data, nothing read from or written to the database. */
export async function renderPreview(
  key: EmailTemplateKey,
  locale: Locale,
  copy: TemplateCopy,
  context: RenderContext,
): Promise<RenderedEmail> {
  return composeEmail(key, locale, copy, await sampleContent({ templateKey: key, locale }, context));
}

async function loadTemplate(db: Executor, key: EmailTemplateKey, locale: Locale): Promise<TemplateCopy> {
  const [row] = await db
    .select({ subject: emailTemplates.subject, preheader: emailTemplates.preheader, body: emailTemplates.body })
    .from(emailTemplates)
    .where(and(eq(emailTemplates.key, key), eq(emailTemplates.locale, locale)));
  if (!row) throw new UnrenderableEmailError(`no email template ${key} in ${locale}`);
  return row;
}

async function composeEmail(
  key: EmailTemplateKey,
  locale: Locale,
  copy: TemplateCopy,
  content: EmailContent,
): Promise<RenderedEmail> {
  const vocabulary = templateVocabulary(key);
  const subject = parsePlain(copy.subject, vocabulary.plain);
  const preheader = parsePlain(copy.preheader, vocabulary.plain);
  const body = parseBody(copy.body, vocabulary.body);
  if (!subject.ok || !preheader.ok || !body.ok) {
    // Saved templates are checked on save; this guards rows written some other way.
    throw new UnrenderableEmailError(`email template ${key} (${locale}) is invalid`);
  }
  const element = TransactionalEmail({
    lang: locale,
    ...content.frame,
    preheader: fillPlain(preheader.value, content.values),
    paragraphs: body.value,
    values: content.values,
    card: content.card,
    action: content.action,
    details: content.details,
  });
  const html = await render(element);
  const text = toPlainText(html);
  const rendered: RenderedEmail = {
    subject: fillPlain(subject.value, content.values),
    html,
    text,
    attachments: content.attachments,
    unsubscribeUrl: content.unsubscribeUrl,
  };
  if (content.secrets.length > 0) {
    const redact = (value: string) =>
      content.secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), value);
    rendered.stored = { subject: redact(rendered.subject), html: redact(html), text: redact(text) };
  }
  return rendered;
}

type Translate = ReturnType<typeof serverI18n>["t"];

function amount(t: Translate, kind: "points" | "stamps", count: number): string {
  return t(`email:units.${kind}`, { count });
}

/** The card's QR code as an inline (CID) PNG attachment; it encodes the card number for the counter's scanner. */
export async function cardQr(cardNumber: string): Promise<Attachment> {
  return { filename: "card-qr.png", content: await cardQrPng(cardNumber), cid: qrCid, contentType: "image/png" };
}

function cardBlock(t: Translate, cardNumber: string, cardUrl: string, withQr: boolean): EmailContent["card"] {
  return {
    numberLine: t("email:cardNumber", { number: formatCardNumber(cardNumber) }),
    url: cardUrl,
    openLabel: t("email:openCard"),
    // The QR carries the card number for the counter's scanner; tapping it opens the card (or Wallet, once configured).
    qr: withQr ? { src: `cid:${qrCid}`, alt: t("email:qrAlt"), hint: t("email:qrHint"), href: cardUrl } : undefined,
  };
}

const withCardQr = new Set<EmailTemplateKey>(["loyalty_enrollment", "loyalty_card_link"]);

async function shopperContent(
  db: Executor,
  log: EmailLog,
  params: z.infer<typeof paramsSchema>,
  context: RenderContext,
): Promise<EmailContent> {
  if (!log.cardId) throw new UnrenderableEmailError(`email ${log.id} (${log.templateKey}) has no card`);
  const [row] = await db
    .select({ card: loyaltyCards, program: loyaltyPrograms, customer: customers, store: stores, merchant: merchants })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(stores, eq(stores.id, log.storeId ?? loyaltyCards.enrolledStoreId))
    .innerJoin(merchants, eq(merchants.id, loyaltyCards.merchantId))
    .where(eq(loyaltyCards.id, log.cardId))
    .limit(1);
  if (!row) throw new UnrenderableEmailError(`email ${log.id}: card ${log.cardId} not found`);
  const { card, program, customer, store } = row;
  const { t } = serverI18n(log.locale);
  const cardUrl = `${storeOrigin(context.platformOrigin, store)}/loyalty/card/${card.publicToken}?lang=${log.locale}`;
  const programName = translatedName(program, log.locale);
  const values: Record<string, string> = {
    firstName: customer.firstName,
    lastName: customer.lastName,
    store: store.name,
    program: programName,
    cardNumber: formatCardNumber(card.cardNumber),
    cardUrl,
    balance: amount(t, program.kind, programBalance(program, card)),
    bonus: amount(t, program.kind, program.welcomeBonus),
  };
  if (log.templateKey === "loyalty_reward_ready") {
    if (!params.rewardId) throw new UnrenderableEmailError(`email ${log.id}: reward_ready without a rewardId`);
    const [reward] = await db
      .select()
      .from(loyaltyRewards)
      .where(and(eq(loyaltyRewards.id, params.rewardId), eq(loyaltyRewards.programId, program.id)));
    if (!reward) throw new UnrenderableEmailError(`email ${log.id}: reward ${params.rewardId} not found`);
    values.reward = translatedName(reward, log.locale);
    values.rewardCost = amount(t, program.kind, reward.cost);
  }
  let unsubscribe: string | undefined;
  if (log.templateKey === "loyalty_points_expiring") {
    if (!params.expiringPoints || !params.expiresOn) {
      throw new UnrenderableEmailError(`email ${log.id}: points_expiring without expiringPoints and expiresOn`);
    }
    values.expiringPoints = amount(t, "points", params.expiringPoints);
    values.expiryDate = new Intl.DateTimeFormat(intlTags[log.locale], { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${params.expiresOn}T00:00:00Z`),
    );
    unsubscribe = unsubscribeUrl(
      context.appSecret,
      storeOrigin(context.platformOrigin, store),
      customer.id,
      log.locale,
    );
  }
  const withQr = withCardQr.has(log.templateKey);
  const vars = { program: programName, store: store.name };
  return {
    values,
    frame: {
      brand: { name: store.name, color: program.brandColor, logoUrl: program.logoUrl },
      footer: t(unsubscribe ? "email:reminderFooter" : "email:footer", vars),
      unsubscribe: unsubscribe ? { url: unsubscribe, label: t("email:unsubscribe") } : undefined,
    },
    card: cardBlock(t, card.cardNumber, cardUrl, withQr),
    attachments: withQr ? [await cardQr(card.cardNumber)] : [],
    unsubscribeUrl: unsubscribe,
    secrets: [],
  };
}

async function staffContent(db: Executor, log: EmailLog, context: RenderContext): Promise<EmailContent> {
  if (!log.userId) throw new UnrenderableEmailError(`email ${log.id} (${log.templateKey}) has no user`);
  const [user] = await db.select().from(users).where(eq(users.id, log.userId));
  if (!user) throw new UnrenderableEmailError(`email ${log.id}: user ${log.userId} not found`);
  const { t } = serverI18n(log.locale);
  const frame = { brand: platformBrand, footer: t("email:staffFooter") };
  if (log.templateKey === "smtp_test") {
    return {
      values: { name: user.name, ...smtpValues(t, context.emailConfig) },
      frame,
      details: smtpDetails(t, context.emailConfig),
      attachments: [],
      secrets: [],
    };
  }
  const purpose = log.templateKey === "password_reset" ? "password_reset" : "invitation";
  // The one-time link is made at send time, so it never rests in the database.
  const token = await issueUserToken(db, user.id, purpose);
  const link = `${context.platformOrigin}/reset-password?token=${token}&lang=${log.locale}`;
  const hours = tokenLifetimeHours[purpose];
  return {
    values: {
      name: user.name,
      link,
      hours: t("email:durations.hours", { count: hours }),
      days: t("email:durations.days", { count: Math.round(hours / 24) }),
      scope: await scopeName(db, user),
    },
    frame,
    action: {
      url: link,
      label: t(purpose === "password_reset" ? "email:passwordResetButton" : "email:invitationButton"),
    },
    attachments: [],
    secrets: [token],
  };
}

function smtpValues(t: Translate, config: EffectiveEmailConfig): Record<string, string> {
  return {
    host: config.host ?? t("email:smtpTest.sources.default"),
    port: String(config.port),
    security: t(`email:smtpTest.securityModes.${config.security}`),
    user: config.user ?? t("email:smtpTest.noUser"),
    from: `${config.fromName} <${config.fromAddress}>`,
  };
}

/** The configuration the test email was sent with, and where each value came from. */
function smtpDetails(t: Translate, config: EffectiveEmailConfig): DetailsTableProps {
  const values = smtpValues(t, config);
  const source = (key: keyof EffectiveEmailConfig["sources"]) => t(`email:smtpTest.sources.${config.sources[key]}`);
  const fromSource =
    config.sources.fromAddress === config.sources.fromName
      ? source("fromAddress")
      : `${source("fromName")} / ${source("fromAddress")}`;
  return {
    heading: t("email:smtpTest.heading"),
    columns: [t("email:smtpTest.setting"), t("email:smtpTest.value"), t("email:smtpTest.source")],
    rows: [
      { label: t("email:smtpTest.host"), value: values.host ?? "", source: source("host") },
      { label: t("email:smtpTest.port"), value: values.port ?? "", source: source("port") },
      { label: t("email:smtpTest.security"), value: values.security ?? "", source: source("security") },
      { label: t("email:smtpTest.user"), value: values.user ?? "", source: source("user") },
      { label: t("email:smtpTest.from"), value: values.from ?? "", source: fromSource },
    ],
  };
}

async function scopeName(db: Executor, user: typeof users.$inferSelect): Promise<string> {
  if (user.storeId) {
    const [store] = await db.select({ name: stores.name }).from(stores).where(eq(stores.id, user.storeId));
    return store?.name ?? "RewardFlow";
  }
  if (user.merchantId) {
    const [merchant] = await db
      .select({ name: merchants.name })
      .from(merchants)
      .where(eq(merchants.id, user.merchantId));
    return merchant?.name ?? "RewardFlow";
  }
  return "RewardFlow";
}

const sampleCardNumber = "6280000000000018";

/** Sample data for previews: every placeholder of every key has a plausible value in the locale. */
async function sampleContent(
  log: Pick<EmailLog, "templateKey" | "locale">,
  context: RenderContext,
): Promise<EmailContent> {
  const { t } = serverI18n(log.locale);
  const audience = templateCatalog[log.templateKey].audience;
  const cardUrl = `${context.platformOrigin}/loyalty/card/sample?lang=${log.locale}`;
  const link = `${context.platformOrigin}/reset-password?token=sample&lang=${log.locale}`;
  const values: Record<string, string> = {
    firstName: t("email:sample.firstName"),
    lastName: t("email:sample.lastName"),
    name: t("email:sample.staffName"),
    store: t("email:sample.store"),
    program: t("email:sample.program"),
    cardNumber: formatCardNumber(sampleCardNumber),
    cardUrl,
    balance: amount(t, "points", 150),
    bonus: amount(t, "points", 50),
    reward: t("email:sample.reward"),
    rewardCost: amount(t, "points", 100),
    expiringPoints: amount(t, "points", 40),
    expiryDate: new Intl.DateTimeFormat(intlTags[log.locale], { dateStyle: "long" }).format(new Date()),
    link,
    hours: t("email:durations.hours", { count: 1 }),
    days: t("email:durations.days", { count: 7 }),
    scope: t("email:sample.scope"),
    ...smtpValues(t, context.emailConfig),
  };
  if (audience === "staff") {
    const isTest = log.templateKey === "smtp_test";
    return {
      values,
      frame: { brand: platformBrand, footer: t("email:staffFooter") },
      action: isTest
        ? undefined
        : {
            url: link,
            label: t(log.templateKey === "password_reset" ? "email:passwordResetButton" : "email:invitationButton"),
          },
      details: isTest ? smtpDetails(t, context.emailConfig) : undefined,
      attachments: [],
      secrets: [],
    };
  }
  const withQr = withCardQr.has(log.templateKey);
  const reminder = log.templateKey === "loyalty_points_expiring";
  const vars = { program: values.program, store: values.store };
  return {
    values,
    frame: {
      brand: { name: values.store ?? "", color: "#1f4e79", logoUrl: null },
      footer: t(reminder ? "email:reminderFooter" : "email:footer", vars),
      unsubscribe: reminder ? { url: `${cardUrl}#unsubscribe`, label: t("email:unsubscribe") } : undefined,
    },
    card: cardBlock(t, sampleCardNumber, cardUrl, withQr),
    attachments: withQr ? [await cardQr(sampleCardNumber)] : [],
    secrets: [],
  };
}
