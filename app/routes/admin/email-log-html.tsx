import { eq } from "drizzle-orm";
import { z } from "zod";
import { requireRole } from "~/modules/auth/guards.server";
import { loyaltyCards } from "~/modules/loyalty/schema";
import { cardQr } from "~/modules/messaging/email-content.server";
import { emailDocument } from "~/modules/messaging/email-document.server";
import { emailLogById } from "~/modules/messaging/email-logs.server";
import { scopeOf } from "~/modules/scope/scope";
import type { Route } from "./+types/email-log-html";

/** The rendered email as it was sent (secrets redacted), for the log viewer's frame. */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const parsed = z.uuid().safeParse(params.emailLogId);
  const row = parsed.success ? await emailLogById(context.db, scopeOf(actor), parsed.data) : null;
  const html = row?.log.html;
  if (!row || !html)
    return emailDocument.problems(context.locale, context.i18n.t("common:errors.notFound.title"), [], 404);
  const { log } = row;
  const attachments = [];
  if (log.cardId && html.includes("cid:")) {
    const [card] = await context.db
      .select({ cardNumber: loyaltyCards.cardNumber })
      .from(loyaltyCards)
      .where(eq(loyaltyCards.id, log.cardId));
    // Attachments are not kept: draw the card's QR again so the viewer shows what the shopper saw.
    if (card) attachments.push(cardQr(card.cardNumber));
  }
  return emailDocument.email(
    { html, attachments },
    context.i18n.t("console:emailTemplates.previewSubject", { subject: log.subject ?? "" }),
  );
}
