import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CardDetailView } from "~/ui/cards";
import { cardCorrectionAction, loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return loadCardDetail(context, scopeOf(actor), params.cardId, { actor, request });
}

export function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return cardCorrectionAction(context, request, actor, params.cardId, "/merchant/cards");
}

export default function MerchantCard({ loaderData, actionData, params }: Route.ComponentProps) {
  return (
    <CardDetailView
      data={loaderData}
      backHref="/merchant/cards"
      cardHref={`/merchant/cards/${params.cardId}`}
      reply={actionData}
    />
  );
}
