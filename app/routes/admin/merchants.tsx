import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageFrom } from "~/db/pagination";
import { requireRole } from "~/modules/auth/guards.server";
import { scopeOf } from "~/modules/scope/scope";
import { listMerchants } from "~/modules/tenancy/tenant-admin.server";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/merchants";

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const page = pageFrom(request);
  const { rows, pages } = await listMerchants(context.db, scope, page);
  return {
    page,
    pages,
    merchants: rows.map(({ merchant, storeCount }) => ({
      id: merchant.id,
      name: merchant.name,
      slug: merchant.slug,
      defaultLanguage: merchant.defaultLanguage,
      storeCount: storeCount ?? 0,
    })),
  };
}

export default function Merchants({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("tenancy.merchants")}</title>
      <div className="toolbar">
        <h1>{t("tenancy.merchants")}</h1>
        <Link className="button button-primary" to="/admin/merchants/new">
          {t("tenancy.newMerchant")}
        </Link>
      </div>
      {loaderData.merchants.length === 0 ? (
        <p className="panel">{t("tenancy.noMerchants")}</p>
      ) : (
        <>
          <DataTable
            caption={t("tenancy.merchants")}
            rows={loaderData.merchants}
            rowKey={(merchant) => merchant.id}
            columns={[
              {
                header: t("tenancy.merchantName"),
                cell: (merchant) => <Link to={`/admin/merchants/${merchant.id}`}>{merchant.name}</Link>,
              },
              { header: t("tenancy.slug"), cell: (merchant) => merchant.slug },
              {
                header: t("tenancy.defaultLanguage"),
                cell: (merchant) => t(`common:languageNames.${merchant.defaultLanguage}`),
              },
              { header: t("tenancy.storeCount"), cell: (merchant) => merchant.storeCount, numeric: true },
            ]}
          />
          <Pagination page={loaderData.page} pages={loaderData.pages} />
        </>
      )}
    </>
  );
}
