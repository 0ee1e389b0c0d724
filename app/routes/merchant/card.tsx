import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CardDetailView } from "~/ui/cards";
import { loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return loadCardDetail(context, scopeOf(actor), params.cardId);
}

export default function MerchantCard({ loaderData }: Route.ComponentProps) {
  return <CardDetailView data={loaderData} backHref="/merchant/cards" />;
}
