import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { z } from "zod";
import { pageFrom } from "~/db/pagination";
import { formatDate } from "~/i18n/format";
import { storeOptions } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { listEmailLogs } from "~/modules/messaging/email-logs.server";
import { emailTemplateKeys } from "~/modules/outbox/kinds";
import { emailStatuses } from "~/modules/outbox/schema";
import { scopeOf } from "~/modules/scope/scope";
import { DataTable } from "~/ui/data-table";
import { Pagination } from "~/ui/pagination";
import type { Route } from "./+types/email-logs";

/** Unknown filter values are ignored rather than refused: a shared link with a stale filter still opens. */
const filtersSchema = z.object({
  status: z.enum(emailStatuses).optional().catch(undefined),
  template: z.enum(emailTemplateKeys).optional().catch(undefined),
  store: z.uuid().optional().catch(undefined),
  recipient: z
    .string()
    .transform((value) => value.replace(/\p{Cc}/gu, "").trim())
    .pipe(z.string().max(254))
    .optional()
    .catch(undefined),
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const filters = filtersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = pageFrom(request);
  const [{ rows, pages }, stores] = await Promise.all([
    listEmailLogs(
      context.db,
      scope,
      {
        status: filters.status,
        template: filters.template,
        storeId: filters.store,
        recipient: filters.recipient || undefined,
      },
      page,
    ),
    storeOptions(context.db, scope),
  ]);
  return {
    filters: {
      status: filters.status ?? "",
      template: filters.template ?? "",
      store: filters.store ?? "",
      recipient: filters.recipient ?? "",
    },
    stores: stores.map((store) => ({ id: store.id, name: store.name })),
    page,
    pages,
    logs: rows.map((row) => ({
      ...row,
      createdAt: formatDate(context.locale, row.createdAt, { withTime: true, timeZone: "Europe/Luxembourg" }),
    })),
  };
}

export default function EmailLogs({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { filters } = loaderData;
  return (
    <>
      <title>{t("emailLogs.title")}</title>
      <h1>{t("emailLogs.title")}</h1>
      <Form method="get" className="filter-form" aria-label={t("emailLogs.filters")}>
        <div className="field">
          <label htmlFor="filter-status">{t("emailLogs.status")}</label>
          <select id="filter-status" name="status" defaultValue={filters.status}>
            <option value="">{t("emailLogs.any")}</option>
            {["queued", "sending", "sent", "failed"].map((status) => (
              <option key={status} value={status}>
                {t(`emailLogs.statuses.${status as "queued"}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-template">{t("emailLogs.template")}</label>
          <select id="filter-template" name="template" defaultValue={filters.template}>
            <option value="">{t("emailLogs.any")}</option>
            {emailTemplateKeys.map((key) => (
              <option key={key} value={key}>
                {t(`emailTemplates.keys.${key}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-store">{t("emailLogs.store")}</label>
          <select id="filter-store" name="store" defaultValue={filters.store}>
            <option value="">{t("emailLogs.any")}</option>
            {loaderData.stores.map((store) => (
              <option key={store.id} value={store.id}>
                {store.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-recipient">{t("emailLogs.recipient")}</label>
          <input
            id="filter-recipient"
            name="recipient"
            type="search"
            defaultValue={filters.recipient}
            maxLength={254}
          />
        </div>
        <button type="submit" className="button button-primary">
          {t("emailLogs.apply")}
        </button>
      </Form>
      {loaderData.logs.length === 0 ? (
        <p>{Object.values(filters).some(Boolean) ? t("emailLogs.empty") : t("emailLogs.emptyAll")}</p>
      ) : (
        <DataTable
          caption={t("emailLogs.title")}
          rows={loaderData.logs}
          rowKey={(log) => log.id}
          columns={[
            { header: t("emailLogs.created"), cell: (log) => log.createdAt },
            {
              header: t("emailLogs.recipient"),
              cell: (log) => <Link to={`/admin/email-logs/${log.id}`}>{log.recipient}</Link>,
            },
            {
              header: t("emailLogs.template"),
              cell: (log) => `${t(`emailTemplates.keys.${log.templateKey}`)} (${log.locale})`,
            },
            { header: t("emailLogs.store"), cell: (log) => log.storeName ?? t("emailLogs.noStore") },
            { header: t("emailLogs.status"), cell: (log) => <StatusBadge status={log.status} /> },
            { header: t("emailLogs.attempts"), cell: (log) => log.attempts, numeric: true },
          ]}
        />
      )}
      <Pagination page={loaderData.page} pages={loaderData.pages} />
    </>
  );
}

export function StatusBadge({ status }: { status: "queued" | "sending" | "sent" | "failed" }) {
  const { t } = useTranslation("console");
  const tone = status === "sent" ? "badge-on" : status === "failed" ? "badge-error" : "badge-off";
  return <span className={`badge ${tone}`}>{t(`emailLogs.statuses.${status}`)}</span>;
}
