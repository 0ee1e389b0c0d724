import { recordAudit } from "~/modules/audit/audit.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { cardsForExport, countCards, type ExportedCard } from "~/modules/loyalty/card-detail.server";
import { csvLine } from "~/modules/loyalty/csv";
import { scopeOf } from "~/modules/scope/scope";
import type { Route } from "./+types/cards-csv";

/**
 * The cards in the actor's scope as CSV (UTF-8 with BOM so spreadsheets read accents right),
 * streamed batch by batch: a merchant with hundreds of thousands of cards costs one batch of memory.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const scope = scopeOf(actor);
  await recordAudit(context.db, actor, {
    action: "cards.export",
    entityType: "loyalty_card",
    merchantId: actor.merchantId,
    details: { rows: await countCards(context.db, scope) },
  });
  const { t } = context.i18n;
  const header = `\uFEFF${csvLine([
    t("console:cards.cardNumber"),
    t("console:card.customer"),
    t("console:card.email"),
    t("console:card.phone"),
    t("console:card.birthday"),
    t("console:card.language"),
    t("console:card.marketing"),
    t("console:cards.store"),
    t("console:cards.balance"),
    t("console:card.status"),
    t("console:cards.enrolledOn"),
  ])}`;
  const batches = cardsForExport(context.db, scope);
  const encoder = new TextEncoder();
  const toCsv = (row: ExportedCard) =>
    csvLine([
      row.cardNumber,
      `${row.firstName} ${row.lastName}`,
      row.email,
      row.phone,
      row.birthDate,
      row.language,
      row.marketingConsentAt?.toISOString() ?? "",
      row.storeName,
      row.kind === "points" ? row.pointsBalance : row.stampsBalance,
      row.status,
      row.createdAt.toISOString(),
    ]);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(header));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(toCsv).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rewardflow-cards-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
