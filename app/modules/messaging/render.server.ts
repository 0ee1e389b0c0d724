import { render, toPlainText } from "@react-email/render";
import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import type { Executor } from "~/db/client.server";
import { serverI18n } from "~/i18n/resources.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { programBalance, translatedName } from "~/modules/loyalty/programs.server";
import { customers, loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import { LoyaltyEmail } from "../../../emails/loyalty";
import { renderStaffEmail } from "./render-staff.server";
import type { emailLogs } from "./schema";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; content: Buffer; cid: string; contentType: string }[];
  /** What email_logs keeps for the admin viewer when it must differ from what was sent (secrets redacted). */
  stored?: { html: string; text: string };
}

type EmailLog = typeof emailLogs.$inferSelect;

const qrCid = "card-qr@rewardflow";

/** Renders any queued email from the records it points to, in the row's locale. */
export function renderEmail(db: Executor, log: EmailLog, platformOrigin: string): Promise<RenderedEmail> {
  if (log.templateKey === "password_reset" || log.templateKey === "staff_invitation") {
    return renderStaffEmail(db, log, platformOrigin);
  }
  return renderLoyaltyEmail(db, log, platformOrigin);
}

/** Renders a queued loyalty email from the records it points to, in the row's locale. */
export async function renderLoyaltyEmail(db: Executor, log: EmailLog, platformOrigin: string): Promise<RenderedEmail> {
  if (!log.cardId) throw new Error(`email ${log.id} (${log.templateKey}) has no card`);
  const [row] = await db
    .select({ card: loyaltyCards, program: loyaltyPrograms, customer: customers, store: stores, merchant: merchants })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(stores, eq(stores.id, log.storeId ?? loyaltyCards.enrolledStoreId))
    .innerJoin(merchants, eq(merchants.id, loyaltyCards.merchantId))
    .where(eq(loyaltyCards.id, log.cardId))
    .limit(1);
  if (!row) throw new Error(`email ${log.id}: card ${log.cardId} not found`);
  const { card, program, customer, store } = row;
  const { t } = serverI18n(log.locale);
  const vars = { store: store.name, program: translatedName(program, log.locale), firstName: customer.firstName };
  const cardUrl = `${storeOrigin(platformOrigin, store)}/loyalty/card/${card.publicToken}?lang=${log.locale}`;
  const balance = programBalance(program, card);
  const unit = program.kind === "points" ? "Points" : "Stamps";

  let subject: string;
  let preheader: string;
  let paragraphs: string[];
  let withQr = false;
  switch (log.templateKey) {
    case "loyalty_enrollment":
      subject = t("email:enrollment.subject", vars);
      preheader = t("email:enrollment.preheader", vars);
      paragraphs = [t("email:enrollment.body", vars)];
      withQr = true;
      break;
    case "loyalty_welcome_bonus":
      subject = t("email:welcomeBonus.subject", vars);
      preheader = t("email:welcomeBonus.preheader", vars);
      paragraphs = [
        t(`email:welcomeBonus.body${unit}`, { ...vars, count: program.welcomeBonus }),
        t(`email:welcomeBonus.balance${unit}`, { ...vars, count: balance }),
      ];
      break;
    case "loyalty_card_link":
      subject = t("email:cardLink.subject", vars);
      preheader = t("email:cardLink.preheader", vars);
      paragraphs = [t("email:cardLink.body", vars)];
      withQr = true;
      break;
    default:
      throw new Error(`email ${log.id}: no renderer for template ${log.templateKey}`);
  }

  const attachments: RenderedEmail["attachments"] = [];
  if (withQr) {
    const png = await QRCode.toBuffer(card.cardNumber, {
      type: "png",
      scale: 8, // whole pixels per module: no resampling, 4× cheaper than a fixed width
      margin: 2,
      errorCorrectionLevel: "M",
    });
    attachments.push({ filename: "card-qr.png", content: png, cid: qrCid, contentType: "image/png" });
  }
  const element = LoyaltyEmail({
    lang: log.locale,
    storeName: store.name,
    brandColor: program.brandColor,
    logoUrl: program.logoUrl,
    preheader,
    footer: t("email:footer", vars),
    greeting: t("email:greeting", vars),
    paragraphs,
    cardNumberLine: t("email:cardNumber", { number: formatCardNumber(card.cardNumber) }),
    cardUrl,
    openCard: t("email:openCard"),
    qr: withQr ? { src: `cid:${qrCid}`, alt: t("email:qrAlt"), hint: t("email:qrHint"), href: cardUrl } : undefined,
  });
  const html = await render(element);
  return { subject, html, text: toPlainText(html), attachments };
}
