import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { CardDetailView } from "~/ui/cards";
import { loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export function loader({ context, request, params }: Route.LoaderArgs) {
  requireRole(context, request, ["platform_admin"]);
  return loadCardDetail(context, { kind: "platform" }, params.cardId);
}

export default function AdminCard({ loaderData, params }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <>
      <CardDetailView data={loaderData} backHref="/admin/cards" />
      <p>
        <Link to={`/admin/cards/${params.cardId}/customer-data`}>{t("customerData.link")}</Link>
      </p>
    </>
  );
}
