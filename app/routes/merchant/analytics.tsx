import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { z } from "zod";
import { formatDate, formatNumber } from "~/i18n/format";
import type { Locale } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { analyticsTimeZone, cohortMonths, loyaltyAnalytics } from "~/modules/loyalty/analytics.server";
import { scopeOf } from "~/modules/scope/scope";
import { Chart, Metric } from "~/ui/charts";
import { TableScroll } from "~/ui/data-table";
import { FormMessage, SubmitButton } from "~/ui/form";
import type { Route } from "./+types/analytics";

// PostgreSQL has no year 0 and nobody enrolled before 2000: a year outside that is a bad range.
const isoDate = z.iso.date().refine((value) => value >= "2000-01-01" && value <= "9999-12-31");
const day = 86_400_000;
const iso = (time: number) => new Date(time).toISOString().slice(0, 10);
/** Today's date in the platform's home zone, the presets' reference (events count in their store's zone). */
const today = () => Date.parse(new Intl.DateTimeFormat("en-CA", { timeZone: analyticsTimeZone }).format(new Date()));

/** ?from=&to= when valid (from ≤ to, at most a year), else the last 30 days and a note saying so. */
function parseRange(url: URL) {
  const now = today();
  const fallback = { from: iso(now - 29 * day), to: iso(now) };
  const from = url.searchParams.get("from");
  const to = url.searchParams.get("to");
  if (!from && !to) return { range: fallback, invalid: false };
  const parsed = z.object({ from: isoDate, to: isoDate }).safeParse({ from, to });
  if (!parsed.success) return { range: fallback, invalid: true };
  const span = (Date.parse(parsed.data.to) - Date.parse(parsed.data.from)) / day;
  if (span < 0 || span > 366) return { range: fallback, invalid: true };
  return { range: parsed.data, invalid: false };
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const { range, invalid } = parseRange(new URL(request.url));
  const result = await loyaltyAnalytics(context.db, scopeOf(actor), range);
  const now = today();
  return {
    locale: context.locale,
    range,
    invalid,
    monthOffsets: Array.from({ length: cohortMonths }, (_, index) => index + 1),
    presets: [30, 90, 365].map((days) => ({ days, from: iso(now - (days - 1) * day), to: iso(now) })),
    ...result,
  };
}

export default function Analytics({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { locale, bucket } = loaderData;
  const periodLabel = (date: string) =>
    formatDate(locale as Locale, `${date}T00:00:00Z`, {
      shape: bucket === "month" ? "monthYear" : "dayMonth",
      timeZone: "UTC",
    });
  const count = (value: number) => formatNumber(locale as Locale, value);
  const euros = (cents: number) =>
    formatNumber(locale as Locale, cents / 100, { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  const percent = (share: number) =>
    formatNumber(locale as Locale, share, { style: "percent", maximumFractionDigits: 0 });
  const labelHeading = t(
    bucket === "day" ? "analytics.periodDay" : bucket === "week" ? "analytics.periodWeek" : "analytics.periodMonth",
  );

  const storeNames = [...new Set(loaderData.enrollments.map((row) => row.store))].sort();
  const enrollmentRows = loaderData.periods.map((periodStart) => ({
    label: periodLabel(periodStart),
    values: Object.fromEntries(
      loaderData.enrollments.filter((row) => row.day === periodStart).map((row) => [row.store, row.count]),
    ),
  }));
  const movementsByPeriod = new Map(loaderData.movements.map((row) => [row.day, row]));
  const movementRows = loaderData.periods.map((periodStart) => {
    const row = movementsByPeriod.get(periodStart);
    return {
      label: periodLabel(periodStart),
      values: { issued: row?.issued ?? 0, redeemed: row?.redeemed ?? 0, revenue: row?.revenue_cents ?? 0 },
    };
  });
  const totalRevenue = loaderData.movements.reduce((sum, row) => sum + row.revenue_cents, 0);
  const { summary } = loaderData;
  const rate = summary.reachable > 0 ? summary.redeemers / summary.reachable : 0;
  const cohortLabel = (month: string) =>
    formatDate(locale as Locale, `${month}-01T00:00:00Z`, { shape: "longMonthYear", timeZone: "UTC" });

  return (
    <>
      <title>{t("analytics.title")}</title>
      <div className="toolbar">
        <h1>{t("analytics.title")}</h1>
        <a className="button button-secondary" href="/merchant/cards.csv" download>
          {t("cards.export")}
        </a>
      </div>
      {loaderData.invalid ? <FormMessage tone="error">{t("analytics.rangeInvalid")}</FormMessage> : null}
      <section aria-labelledby="range-heading">
        <h2 id="range-heading">{t("analytics.range")}</h2>
        <ul className="range-presets">
          {loaderData.presets.map((preset) => (
            <li key={preset.days}>
              <Link to={`?from=${preset.from}&to=${preset.to}`}>
                {t(
                  preset.days === 30
                    ? "analytics.last30"
                    : preset.days === 90
                      ? "analytics.last90"
                      : "analytics.last365",
                )}
              </Link>
            </li>
          ))}
        </ul>
        <Form method="get" className="range-form">
          <div className="field">
            <label htmlFor="from">{t("analytics.from")}</label>
            <input id="from" name="from" type="date" defaultValue={loaderData.range.from} required />
          </div>
          <div className="field">
            <label htmlFor="to">{t("analytics.to")}</label>
            <input id="to" name="to" type="date" defaultValue={loaderData.range.to} required />
          </div>
          <SubmitButton>{t("analytics.apply")}</SubmitButton>
        </Form>
      </section>
      <ul className="stats">
        <Metric label={t("analytics.totalCards")} value={count(summary.cards)} />
        <Metric label={t("analytics.totalRevenue")} value={euros(totalRevenue)} />
        <Metric label={t("analytics.redemptionRate")} value={percent(rate)}>
          <span className="stat-label">{t("analytics.redemptionRateHint")}</span>
        </Metric>
      </ul>
      <Chart
        id="enrollments"
        kind="stacked-bars"
        title={t("analytics.enrollments")}
        series={storeNames.map((name) => ({ key: name, label: name }))}
        rows={enrollmentRows}
        formatValue={count}
        labelHeading={labelHeading}
        tableLabel={t("analytics.dataTable")}
        emptyText={t("analytics.noData")}
      />
      <Chart
        id="points"
        kind="lines"
        title={t("analytics.pointsIssuedRedeemed")}
        series={[
          { key: "issued", label: t("analytics.issued") },
          { key: "redeemed", label: t("analytics.redeemed") },
        ]}
        rows={movementRows}
        formatValue={count}
        labelHeading={labelHeading}
        tableLabel={t("analytics.dataTable")}
        emptyText={t("analytics.noData")}
      />
      <Chart
        id="revenue"
        kind="stacked-bars"
        title={t("analytics.revenue")}
        series={[{ key: "revenue", label: t("analytics.revenueSeries") }]}
        rows={movementRows}
        formatValue={euros}
        labelHeading={labelHeading}
        tableLabel={t("analytics.dataTable")}
        emptyText={t("analytics.noData")}
      />
      <section aria-labelledby="cohorts-heading">
        <h2 id="cohorts-heading">{t("analytics.cohorts")}</h2>
        <p className="muted">{t("analytics.cohortsHint")}</p>
        {loaderData.cohorts.length === 0 ? (
          <p>{t("analytics.noData")}</p>
        ) : (
          <TableScroll label={t("analytics.cohorts")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("analytics.cohort")}</th>
                  <th scope="col" className="numeric">
                    {t("analytics.cohortSize")}
                  </th>
                  {loaderData.monthOffsets.map((offset) => (
                    <th key={offset} scope="col" className="numeric">
                      {t("analytics.monthLater", { count: offset })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {loaderData.cohorts.map((row) => (
                  <tr key={row.cohort}>
                    <th scope="row">{cohortLabel(row.cohort)}</th>
                    <td className="numeric">{count(row.size)}</td>
                    {row.months.map((month) => (
                      <td key={month.monthsLater} className="numeric">
                        {month.share === null ? t("analytics.notYet") : percent(month.share)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}
