import { requireRole } from "~/modules/auth/guards.server";
import { downloadCustomerData } from "../shared/customer-data.server";
import type { Route } from "./+types/customer-data-download";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return downloadCustomerData(context, actor, { kind: "platform" }, params.cardId, params.format);
}
