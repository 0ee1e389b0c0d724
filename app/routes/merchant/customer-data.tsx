import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CustomerDataPage } from "~/ui/customer-data";
import { eraseFromPage, loadCustomerDataPage } from "../shared/customer-data.server";
import type { Route } from "./+types/customer-data";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return loadCustomerDataPage(context, request, actor, scopeOf(actor), params.cardId);
}

export function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return eraseFromPage(context, request, actor, scopeOf(actor), params.cardId);
}

export default function MerchantCustomerData({ loaderData, params }: Route.ComponentProps) {
  return <CustomerDataPage data={loaderData} cardHref={`/merchant/cards/${params.cardId}`} />;
}
