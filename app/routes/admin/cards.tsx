import { requireRole } from "~/modules/auth/guards.server";
import { CardSearch } from "~/ui/cards";
import { loadCardSearch } from "../shared/cards.server";
import type { Route } from "./+types/cards";

export function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, request, ["platform_admin"]);
  return loadCardSearch(context, request, { kind: "platform" });
}

export default function AdminCards({ loaderData }: Route.ComponentProps) {
  return <CardSearch data={loaderData} basePath="/admin/cards" />;
}
