import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatNumber } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { platformDashboard } from "~/modules/ops/dashboard.server";
import { scopeOf } from "~/modules/scope/scope";
import { effectiveWalletConfig } from "~/modules/wallet/wallet-config.server";
import type { Route } from "./+types/dashboard";

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const wallet = await effectiveWalletConfig(context.db, context.config);
  return {
    stats: await platformDashboard(context.db, scopeOf(actor)),
    locale: context.locale,
    walletMissing: wallet.missing,
  };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  const { stats, locale, walletMissing } = loaderData;
  const n = (value: number) => formatNumber(locale, value);
  return (
    <>
      <title>{t("dashboard.title")}</title>
      <h1>{t("dashboard.title")}</h1>
      <ul className="stats">
        <li>
          <span className="stat-value">{n(stats.merchants)}</span>
          <span className="stat-label">{t("dashboard.merchants")}</span>
        </li>
        <li>
          <span className="stat-value">{n(stats.stores)}</span>
          <span className="stat-label">
            {t("dashboard.stores")} ({t("dashboard.storesWithLoyalty", { count: stats.loyaltyStores })})
          </span>
        </li>
        <li>
          <span className="stat-value">{n(stats.cards)}</span>
          <span className="stat-label">{t("dashboard.cards")}</span>
        </li>
        <li>
          <span className="stat-value" data-testid="enrollments-today">
            {n(stats.enrollmentsToday)}
          </span>
          <span className="stat-label">{t("dashboard.enrollmentsToday")}</span>
        </li>
      </ul>
      <h2>{t("dashboard.emailQueue")}</h2>
      {stats.oldestQueuedMinutes !== null && stats.oldestQueuedMinutes >= 10 ? (
        <p className="alert-warning" role="alert">
          {t("dashboard.queueStuck")}
        </p>
      ) : null}
      <ul className="stats">
        <li>
          <Link
            className="stat-value"
            to="/admin/email-logs?status=queued"
            aria-label={`${n(stats.queued)} ${t("dashboard.queued")}`}
          >
            {n(stats.queued)}
          </Link>
          <span className="stat-label">{t("dashboard.queued")}</span>
        </li>
        <li>
          <Link
            className="stat-value"
            to="/admin/email-logs?status=failed"
            aria-label={`${n(stats.failed)} ${t("dashboard.failed")}`}
          >
            {n(stats.failed)}
          </Link>
          <span className="stat-label">{t("dashboard.failed")}</span>
        </li>
        <li>
          <span className="stat-value">
            {stats.oldestQueuedMinutes === null
              ? t("dashboard.oldestQueuedNone")
              : t("dashboard.oldestQueuedAge", { minutes: stats.oldestQueuedMinutes })}
          </span>
          <span className="stat-label">{t("dashboard.oldestQueued")}</span>
        </li>
      </ul>
      <h2>{t("wallet.dashboard.heading")}</h2>
      {walletMissing.length > 0 ? (
        <p className="alert-warning" data-testid="wallet-status">
          {t("wallet.dashboard.notConfigured", {
            missing: walletMissing.map((key) => t(`wallet.missing.${key}`)).join(", "),
          })}
        </p>
      ) : (
        <p data-testid="wallet-status">{t("wallet.dashboard.ready")}</p>
      )}
      {stats.walletFailed > 0 ? (
        <p className="alert-warning" role="alert">
          {t("wallet.dashboard.failed", { count: stats.walletFailed })}
        </p>
      ) : null}
      <p>
        <Link to="/admin/wallet">{t("wallet.dashboard.link")}</Link>
      </p>
    </>
  );
}
