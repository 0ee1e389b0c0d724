import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { CardDetailView } from "~/ui/cards";
import { loadCardDetail } from "../shared/cards.server";
import type { Route } from "./+types/card";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const detail = await loadCardDetail(context, scopeOf(actor), params.cardId);
  // Data requests (copy, erasure) are the owner's: they span every store (ADR 019).
  return { ...detail, handlesDataRequests: actor.role === "merchant_owner" };
}

export default function MerchantCard({ loaderData, params }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <>
      <CardDetailView data={loaderData} backHref="/merchant/cards" />
      {loaderData.handlesDataRequests ? (
        <p>
          <Link to={`/merchant/cards/${params.cardId}/customer-data`}>{t("customerData.link")}</Link>
        </p>
      ) : null}
    </>
  );
}
