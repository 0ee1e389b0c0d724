import { recordAudit } from "~/modules/audit/audit.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { countCards } from "~/modules/loyalty/card-detail.server";
import { cardsCsv } from "~/modules/loyalty/card-export.server";
import { scopeOf } from "~/modules/scope/scope";
import type { Route } from "./+types/cards-csv";

/** The cards in the actor's scope as a CSV file in the reader's language (see `cardsCsv`). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const scope = scopeOf(actor);
  await recordAudit(context.db, actor, {
    action: "cards.export",
    entityType: "loyalty_card",
    merchantId: actor.merchantId,
    details: { rows: await countCards(context.db, scope) },
  });
  const body = cardsCsv(context.db, scope, { locale: context.locale, t: context.i18n.t });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rewardflow-cards-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
