import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageFrom } from "~/db/pagination";
import { requireRole } from "~/modules/auth/guards.server";
import { listPrograms } from "~/modules/loyalty/program-admin.server";
import { translatedName } from "~/modules/loyalty/programs.server";
import { scopeOf } from "~/modules/scope/scope";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/programs";

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const page = pageFrom(request);
  const { rows, pages } = await listPrograms(context.db, scope, page);
  return {
    page,
    pages,
    programs: rows.map(({ program, merchantName, rewardCount }) => ({
      id: program.id,
      merchantName,
      name: translatedName(program, context.locale),
      kind: program.kind,
      welcomeBonus: program.welcomeBonus,
      rewardCount,
      active: program.active,
    })),
  };
}

export default function Programs({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("programs.title")}</title>
      <div className="toolbar">
        <h1>{t("programs.title")}</h1>
        <Link className="button button-primary" to="/admin/loyalty/programs/new">
          {t("programs.new")}
        </Link>
      </div>
      {loaderData.programs.length === 0 ? (
        <p className="panel">{t("programs.empty")}</p>
      ) : (
        <>
          <DataTable
            caption={t("programs.title")}
            rows={loaderData.programs}
            rowKey={(program) => program.id}
            columns={[
              { header: t("programs.merchant"), cell: (program) => program.merchantName },
              {
                header: t("programs.name"),
                cell: (program) => <Link to={`/admin/loyalty/programs/${program.id}`}>{program.name}</Link>,
              },
              { header: t("programs.kind"), cell: (program) => t(`kinds.${program.kind}`) },
              {
                header: t("programs.welcomeBonus"),
                cell: (program) => t(`common:units.${program.kind}`, { count: program.welcomeBonus }),
                numeric: true,
              },
              { header: t("programs.rewards"), cell: (program) => program.rewardCount, numeric: true },
              {
                header: t("programs.status"),
                cell: (program) => (
                  <span className={program.active ? "badge badge-on" : "badge badge-off"}>
                    {program.active ? t("programs.active") : t("programs.inactive")}
                  </span>
                ),
              },
            ]}
          />
          <Pagination page={loaderData.page} pages={loaderData.pages} />
        </>
      )}
    </>
  );
}
