import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { scopeOf } from "~/modules/scope/scope";
import { CardDetailView } from "~/ui/cards";
import { cardCorrectionAction, loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return loadCardDetail(context, scopeOf(actor), params.cardId, { actor, request });
}

export function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return cardCorrectionAction(context, request, actor, params.cardId, "/admin/cards");
}

export default function AdminCard({ loaderData, actionData, params }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <>
      <CardDetailView
        data={loaderData}
        backHref="/admin/cards"
        cardHref={`/admin/cards/${params.cardId}`}
        reply={actionData}
      />
      <p>
        <Link to={`/admin/cards/${params.cardId}/customer-data`}>{t("customerData.link")}</Link>
      </p>
    </>
  );
}
