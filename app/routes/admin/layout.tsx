import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { ConsoleShell } from "~/ui/console-shell";
import type { Route } from "./+types/layout";

export function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return { userName: actor.name, locale: context.locale };
}

export default function AdminLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <ConsoleShell
      title={t("shell.admin")}
      userName={loaderData.userName}
      locale={loaderData.locale}
      nav={[
        { to: "/admin", label: t("shell.nav.dashboard"), end: true },
        { to: "/admin/merchants", label: t("shell.nav.merchants") },
        { to: "/admin/stores", label: t("shell.nav.stores") },
        { to: "/admin/loyalty/programs", label: t("shell.nav.programs") },
        { to: "/admin/cards", label: t("shell.nav.cards") },
        { to: "/admin/users", label: t("shell.nav.users") },
        { to: "/admin/email-templates", label: t("shell.nav.emailTemplates") },
        { to: "/admin/email-logs", label: t("shell.nav.emailLogs") },
        { to: "/admin/settings", label: t("shell.nav.settings") },
        { to: "/admin/wallet", label: t("wallet.nav") },
      ]}
    >
      <Outlet />
    </ConsoleShell>
  );
}
