import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDate } from "~/i18n/format";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { listTemplates } from "~/modules/messaging/templates.server";
import { emailKinds, emailTemplateKeys } from "~/modules/outbox/kinds";
import { TableScroll } from "~/ui/data-table";
import type { Route } from "./+types/email-templates";

export async function loader({ context, request }: Route.LoaderArgs) {
  requireRole(context, request, ["platform_admin"]);
  const rows = await listTemplates(context.db);
  const cell = (key: string, locale: string) => rows.find((row) => row.key === key && row.locale === locale);
  return {
    templates: emailTemplateKeys.map((key) => ({
      key,
      audience: emailKinds[key].audience,
      locales: locales.map((locale) => {
        const row = cell(key, locale);
        return {
          locale,
          subject: row?.subject ?? "",
          edited: row?.edited ? formatDate(context.locale, row.updatedAt, { timeZone: "Europe/Luxembourg" }) : null,
        };
      }),
    })),
  };
}

export default function EmailTemplates({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <title>{t("emailTemplates.title")}</title>
      <h1>{t("emailTemplates.title")}</h1>
      <p>{t("emailTemplates.intro")}</p>
      <TableScroll label={t("emailTemplates.caption")}>
        <table>
          <caption className="visually-hidden">{t("emailTemplates.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("emailTemplates.email")}</th>
              {locales.map((locale) => (
                <th key={locale} scope="col">
                  {t(`common:languageNames.${locale}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {loaderData.templates.map((template) => (
              <tr key={template.key}>
                <th scope="row">
                  {t(`emailTemplates.keys.${template.key}`)}
                  <br />
                  <span className="muted">{t(`emailTemplates.audiences.${template.audience}`)}</span>
                </th>
                {template.locales.map((cell) => (
                  <td key={cell.locale} className="cell-wrap">
                    <Link
                      to={`/admin/email-templates/${template.key}/${cell.locale}`}
                      aria-label={t("emailTemplates.editLink", {
                        email: t(`emailTemplates.keys.${template.key}`),
                        language: t(`common:languageNames.${cell.locale}`),
                      })}
                    >
                      {cell.subject}
                    </Link>
                    <br />
                    <span className="muted">
                      {cell.edited ? t("emailTemplates.editedOn", { date: cell.edited }) : t("emailTemplates.default")}
                    </span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
