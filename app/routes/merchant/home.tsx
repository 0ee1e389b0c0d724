import { redirect } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import type { Route } from "./+types/home";

export function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, request, merchantPortalRoles);
  return redirect("/merchant/cards");
}
