import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageFrom } from "~/db/pagination";
import { requireRole } from "~/modules/auth/guards.server";
import { listPrograms } from "~/modules/loyalty/program-admin.server";
import { translatedName } from "~/modules/loyalty/programs.server";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/programs";

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, request, ["platform_admin"]);
  const page = pageFrom(request);
  const { rows, pages } = await listPrograms(context.db, page);
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
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("programs.merchant")}</th>
                  <th scope="col">{t("programs.name")}</th>
                  <th scope="col">{t("programs.kind")}</th>
                  <th scope="col" className="numeric">
                    {t("programs.welcomeBonus")}
                  </th>
                  <th scope="col" className="numeric">
                    {t("programs.rewards")}
                  </th>
                  <th scope="col">{t("programs.status")}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.programs.map((program) => (
                  <tr key={program.id}>
                    <td>{program.merchantName}</td>
                    <td>
                      <Link to={`/admin/loyalty/programs/${program.id}`}>{program.name}</Link>
                    </td>
                    <td>{t(`kinds.${program.kind}`)}</td>
                    <td className="numeric">{t(`common:units.${program.kind}`, { count: program.welcomeBonus })}</td>
                    <td className="numeric">{program.rewardCount}</td>
                    <td>
                      <span className={program.active ? "badge badge-on" : "badge badge-off"}>
                        {program.active ? t("programs.active") : t("programs.inactive")}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={loaderData.page} pages={loaderData.pages} />
        </>
      )}
    </>
  );
}
