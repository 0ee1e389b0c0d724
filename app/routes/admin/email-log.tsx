import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { formatDate } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { emailLogById, retryEmail } from "~/modules/messaging/email-logs.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { recordOr404 } from "~/routes/shared/records.server";
import { FormMessage } from "~/ui/form";
import type { Route } from "./+types/email-log";
import { StatusBadge } from "./email-logs";

function loadLog(context: Route.LoaderArgs["context"], scope: Scope, id: string | undefined) {
  return recordOr404(id, (logId) => emailLogById(context.db, scope, logId));
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const { log, storeName, stuck } = await loadLog(context, scopeOf(actor), params.emailLogId);
  const when = (value: Date | null) =>
    value ? formatDate(context.locale, value, { withTime: true, timeZone: "Europe/Luxembourg" }) : null;
  return {
    log: {
      id: log.id,
      templateKey: log.templateKey,
      locale: log.locale,
      recipient: log.recipient,
      subject: log.subject,
      status: log.status,
      attempts: log.attempts,
      lastError: log.lastError,
      provider: log.provider,
      smtpHost: log.smtpHost,
      fromAddress: log.fromAddress,
      messageId: log.messageId,
      text: log.text,
      hasHtml: log.html !== null,
      createdAt: when(log.createdAt),
      updatedAt: when(log.updatedAt),
      sentAt: when(log.sentAt),
      storeName,
      cardId: log.cardId,
      preview: "preview" in log.params,
      retryable: log.status === "failed" || stuck,
      stuck,
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const { log } = await loadLog(context, scopeOf(actor), params.emailLogId);
  const retried = await retryEmail(context.db, actor, log.id);
  if (!retried) return data({ notFailed: true }, { status: 409 });
  return redirect(`/admin/email-logs/${log.id}?retried=1`);
}

export default function EmailLog({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const { log } = loaderData;
  const title = t("emailLogs.detailTitle", {
    email: t(`emailTemplates.keys.${log.templateKey}`),
    recipient: log.recipient,
  });
  const rows: [string, string | null][] = [
    [t("emailLogs.recipient"), log.recipient],
    [t("emailLogs.template"), `${t(`emailTemplates.keys.${log.templateKey}`)} (${log.locale})`],
    [t("emailLogs.subject"), log.subject],
    [t("emailLogs.store"), log.storeName],
    [t("emailLogs.attempts"), String(log.attempts)],
    [t("emailLogs.created"), log.createdAt],
    [t("emailLogs.sentAt"), log.sentAt],
    [t("emailLogs.provider"), log.provider ? t(`emailLogs.providers.${log.provider as "smtp"}`) : null],
    [t("emailLogs.smtpHost"), log.smtpHost],
    [t("emailLogs.from"), log.fromAddress],
    [t("emailLogs.messageId"), log.messageId],
  ];
  return (
    <>
      <p>
        <Link to="/admin/email-logs">{t("emailLogs.back")}</Link>
      </p>
      <title>{title}</title>
      <h1>{title}</h1>
      {searchParams.get("retried") ? <FormMessage tone="info">{t("emailLogs.retried")}</FormMessage> : null}
      {actionData?.notFailed ? <FormMessage tone="error">{t("emailLogs.notFailed")}</FormMessage> : null}
      <p>
        <StatusBadge status={log.status} />{" "}
        {log.preview ? <span className="muted">{t("emailLogs.previewEmail")}</span> : null}
      </p>
      {log.lastError ? (
        <div className="form-message form-message-error">
          <strong>{t("emailLogs.lastError")}</strong> <code>{log.lastError}</code>
        </div>
      ) : null}
      {log.stuck ? <FormMessage tone="error">{t("emailLogs.stuck")}</FormMessage> : null}
      {log.retryable ? (
        <Form method="post">
          <button type="submit" className="button button-primary">
            {t("emailLogs.retry")}
          </button>
        </Form>
      ) : null}
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? t("emailLogs.none")}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("emailLogs.rendered")}</h2>
      {log.hasHtml ? (
        <iframe
          className="email-frame"
          src={`/admin/email-logs/${log.id}/html`}
          title={t("emailLogs.renderedFrame", { subject: log.subject ?? "" })}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
        />
      ) : (
        <p>{t("emailLogs.notRendered")}</p>
      )}
      {log.text ? (
        <details>
          <summary>{t("emailLogs.textVersion")}</summary>
          <pre className="email-text">{log.text}</pre>
        </details>
      ) : null}
    </>
  );
}
