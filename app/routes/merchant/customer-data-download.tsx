import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { downloadCustomerData } from "../shared/customer-data.server";
import type { Route } from "./+types/customer-data-download";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return downloadCustomerData(context, actor, scopeOf(actor), params.cardId, params.format);
}
