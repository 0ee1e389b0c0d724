import { requireRole } from "~/modules/auth/guards.server";
import { CustomerDataPage } from "~/ui/customer-data";
import { eraseFromPage, loadCustomerDataPage } from "../shared/customer-data.server";
import type { Route } from "./+types/customer-data";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return loadCustomerDataPage(context, request, actor, { kind: "platform" }, params.cardId);
}

export function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return eraseFromPage(context, request, actor, { kind: "platform" }, params.cardId);
}

export default function AdminCustomerData({ loaderData, params }: Route.ComponentProps) {
  return <CustomerDataPage data={loaderData} cardHref={`/admin/cards/${params.cardId}`} />;
}
