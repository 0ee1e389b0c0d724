import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CardSearch } from "~/ui/cards";
import { loadCardSearch } from "../shared/cards.server";
import type { Route } from "./+types/cards";

export function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return loadCardSearch(context, request, scopeOf(actor));
}

export default function MerchantCards({ loaderData }: Route.ComponentProps) {
  return <CardSearch data={loaderData} basePath="/merchant/cards" />;
}
