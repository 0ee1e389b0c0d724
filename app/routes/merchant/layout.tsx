import { useTranslation } from "react-i18next";
import { Outlet } from "react-router";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { ConsoleShell } from "~/ui/console-shell";
import type { Route } from "./+types/layout";

export function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  return { userName: actor.name, locale: context.locale };
}

export default function MerchantLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  return (
    <ConsoleShell
      title={t("shell.merchant")}
      userName={loaderData.userName}
      locale={loaderData.locale}
      nav={[
        { to: "/merchant/cards", label: t("shell.nav.cards") },
        { to: "/merchant/analytics", label: t("shell.nav.analytics") },
        { to: "/merchant/stores", label: t("merchantStores.title") },
        { to: "/merchant/counter-staff", label: t("counter.nav.staff") },
        { to: "/merchant/devices", label: t("counter.nav.devices") },
      ]}
    >
      <Outlet />
    </ConsoleShell>
  );
}
