import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { pageFrom } from "~/db/pagination";
import { formatDate } from "~/i18n/format";
import { listUsers } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { scopeOf } from "~/modules/scope/scope";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/users";

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const page = pageFrom(request);
  const { rows, pages } = await listUsers(context.db, scope, page);
  return {
    page,
    pages,
    users: rows.map(({ user, merchantName, storeName }) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      scope: storeName ?? merchantName ?? "",
      active: user.active,
      pending: user.passwordHash === null,
      lastLogin: user.lastLoginAt
        ? formatDate(context.locale, user.lastLoginAt, { withTime: true, timeZone: "Europe/Luxembourg" })
        : null,
    })),
  };
}

export default function Users({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <>
      <title>{t("users.title")}</title>
      <div className="toolbar">
        <h1>{t("users.title")}</h1>
        <Link className="button button-primary" to="/admin/users/new">
          {t("users.invite")}
        </Link>
      </div>
      <DataTable
        caption={t("users.title")}
        rows={loaderData.users}
        rowKey={(user) => user.id}
        columns={[
          { header: t("users.name"), cell: (user) => <Link to={`/admin/users/${user.id}`}>{user.name}</Link> },
          { header: t("users.email"), cell: (user) => user.email },
          { header: t("users.role"), cell: (user) => t(`users.roles.${user.role}`) },
          { header: t("users.scope"), cell: (user) => user.scope },
          {
            header: t("users.status"),
            cell: (user) => (
              <span className={user.active ? "badge badge-on" : "badge badge-off"}>
                {!user.active ? t("users.inactive") : user.pending ? t("users.pending") : t("users.active")}
              </span>
            ),
          },
          { header: t("users.lastLogin"), cell: (user) => user.lastLogin ?? t("users.never") },
        ]}
      />
      <Pagination page={loaderData.page} pages={loaderData.pages} />
    </>
  );
}
