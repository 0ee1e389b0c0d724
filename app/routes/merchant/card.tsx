import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CardDetailView } from "~/ui/cards";
import { cardCorrectionAction, loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const detail = await loadCardDetail(context, scopeOf(actor), params.cardId, { actor, request });
  // Data requests (copy, erasure) are the owner's: they span every store (ADR 019).
  return { ...detail, handlesDataRequests: actor.role === "merchant_owner" };
}

export function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return cardCorrectionAction(context, request, actor, params.cardId, "/merchant/cards");
}

export default function MerchantCard({ loaderData, actionData, params }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <>
      <CardDetailView
        data={loaderData}
        backHref="/merchant/cards"
        cardHref={`/merchant/cards/${params.cardId}`}
        reply={actionData}
      />
      {loaderData.handlesDataRequests ? (
        <p>
          <Link to={`/merchant/cards/${params.cardId}/customer-data`}>{t("customerData.link")}</Link>
        </p>
      ) : null}
    </>
  );
}
