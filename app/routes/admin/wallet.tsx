import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useLocation, useSearchParams } from "react-router";
import { parseServiceAccountKey } from "~/google-service-account.server";
import { readForm } from "~/http/form.server";
import { formatDate } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { formatCardNumber } from "~/modules/loyalty/card-number";
import { scopeOf } from "~/modules/scope/scope";
import { checkWalletConfiguration, walletSyncHealth } from "~/modules/wallet/admin.server";
import { effectiveWalletConfig, saveWalletSettings, walletSettingsView } from "~/modules/wallet/wallet-config.server";
import { TableScroll } from "~/ui/data-table";
import {
  CheckboxField,
  Field,
  FormMessage,
  FormPageHeading,
  SubmitButton,
  TextareaField,
  useRouteForm,
} from "~/ui/form";
import type { Route } from "./+types/wallet";
import { walletSettingsSchema } from "./wallet-schema";

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const health = await walletSyncHealth(context.db, scopeOf(actor));
  return {
    settings: await walletSettingsView(context.db, context.config),
    health: {
      ...health,
      failures: health.failures.map((failure) => ({
        ...failure,
        cardNumber: formatCardNumber(failure.cardNumber),
        at: failure.at ? formatDate(context.locale, failure.at, { withTime: true }) : null,
      })),
    },
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const formData = await readForm(request);
  if (formData.get("intent") === "check") {
    return { checks: await checkWalletConfiguration(await effectiveWalletConfig(context.db, context.config)) };
  }
  const submission = parseWithZod(formData, { schema: walletSettingsSchema });
  // The key never travels back to the browser, not even to refill a refused form.
  if (submission.status !== "success") {
    return data({ settings: submission.reply({ hideFields: ["serviceAccountKey"] }) }, { status: 400 });
  }
  const value = submission.value;
  if (value.serviceAccountKey) {
    const parsed = parseServiceAccountKey(value.serviceAccountKey);
    if ("problem" in parsed) {
      return data(
        {
          settings: submission.reply({
            fieldErrors: { serviceAccountKey: [`wallet.errors.key.${parsed.problem}`] },
            hideFields: ["serviceAccountKey"],
          }),
        },
        { status: 400 },
      );
    }
  }
  await saveWalletSettings(context.db, actor, context.config, {
    issuerId: value.issuerId || null,
    serviceAccountKey: value.serviceAccountKey || null,
    clearKey: value.clearKey ?? false,
    origins: value.origins || null,
    logoUrl: value.logoUrl || null,
  });
  return redirect("/admin/wallet?saved=1");
}

type LoaderData = Route.ComponentProps["loaderData"];
type ActionData = Route.ComponentProps["actionData"];

export default function Wallet({ loaderData, actionData }: Route.ComponentProps) {
  // The redirect after saving mounts a fresh page: a pasted key never lingers in the form.
  const { key: locationKey } = useLocation();
  return <WalletPage key={locationKey} loaderData={loaderData} actionData={actionData} />;
}

function WalletPage({ loaderData, actionData }: { loaderData: LoaderData; actionData: ActionData }) {
  const { t } = useTranslation("console");
  const [searchParams] = useSearchParams();
  const { settings } = loaderData;
  const { effective, environment } = settings;
  const { form, fields, errorText, errorSummary } = useRouteForm({
    id: "wallet",
    schema: walletSettingsSchema,
    lastResult: actionData && "settings" in actionData ? actionData.settings : undefined,
    namespace: "console",
    defaultValue: settings.values,
  });
  const keys = ["issuerId", "serviceAccountKey", "origins", "logoUrl"] as const;
  const summary = errorSummary(Object.fromEntries(keys.map((key) => [`wallet-${key}`, fields[key]])));
  const environmentHint = (value: string | null) =>
    value ? t("wallet.fromEnvironment", { value }) : t("wallet.notInEnvironment");
  const missing = effective.missing.map((key) => t(`wallet.missing.${key}`)).join(", ");
  return (
    <>
      <FormPageHeading
        title={t("wallet.title")}
        errors={summary}
        notices={[searchParams.get("saved") ? t("wallet.saved") : null]}
      />
      <p>{t("wallet.intro")}</p>
      {effective.missing.length === 0 ? (
        <FormMessage tone="info">{t("wallet.ready")}</FormMessage>
      ) : (
        <FormMessage tone="error">{t("wallet.notConfigured", { missing })}</FormMessage>
      )}
      {effective.keyUnreadable ? <FormMessage tone="error">{t("wallet.keyUnreadable")}</FormMessage> : null}
      <p>{t("wallet.demoMode")}</p>
      <ul>
        <li>
          <a href="https://pay.google.com/business/console" target="_blank" rel="noreferrer">
            {t("wallet.consoleLink")}
          </a>
        </li>
        <li>
          <a href="https://console.cloud.google.com/iam-admin/serviceaccounts" target="_blank" rel="noreferrer">
            {t("wallet.serviceAccountsLink")}
          </a>
        </li>
      </ul>
      <EffectiveConfiguration effective={effective} />
      <section aria-labelledby="wallet-form-heading">
        <h2 id="wallet-form-heading">{t("wallet.formHeading")}</h2>
        <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
          <Field
            labelProps={{ children: t("wallet.issuerId") }}
            hint={`${t("wallet.issuerIdHint")} ${environmentHint(environment.issuerId)}`}
            inputProps={{
              ...getInputProps(fields.issuerId, { type: "text" }),
              autoComplete: "off",
              inputMode: "numeric",
              maxLength: 30,
            }}
            errors={errorText(fields.issuerId.errors)}
          />
          <TextareaField
            labelProps={{ children: t("wallet.serviceAccountKey") }}
            hint={
              settings.savedKey && effective.key
                ? t("wallet.keySaved", { email: effective.key.clientEmail })
                : environment.key
                  ? t("wallet.keyFromEnvironment", { email: environment.key.clientEmail })
                  : t("wallet.keyNone")
            }
            textareaProps={{
              ...getTextareaProps(fields.serviceAccountKey),
              defaultValue: "",
              rows: 6,
              spellCheck: false,
              autoComplete: "off",
              maxLength: 20_000,
            }}
            errors={errorText(fields.serviceAccountKey.errors)}
          />
          {settings.savedKey ? (
            <CheckboxField
              labelProps={{ children: t("wallet.clearKey") }}
              inputProps={getInputProps(fields.clearKey, { type: "checkbox" })}
            />
          ) : null}
          <Field
            labelProps={{ children: t("wallet.origins") }}
            hint={`${t("wallet.originsHint")} ${environmentHint(environment.origins)}`}
            inputProps={{ ...getInputProps(fields.origins, { type: "text" }), autoComplete: "off", maxLength: 2000 }}
            errors={errorText(fields.origins.errors)}
          />
          <Field
            labelProps={{ children: t("wallet.logoUrl") }}
            hint={`${t("wallet.logoUrlHint")} ${environmentHint(environment.logoUrl)}`}
            inputProps={{ ...getInputProps(fields.logoUrl, { type: "url" }), autoComplete: "off", maxLength: 2000 }}
            errors={errorText(fields.logoUrl.errors)}
          />
          <SubmitButton>{t("wallet.save")}</SubmitButton>
        </Form>
      </section>
      <ConfigurationCheck actionData={actionData} effective={effective} />
      <PassUpdates health={loaderData.health} />
    </>
  );
}

/** What save links and the sync job use right now, each value with where it comes from. */
function EffectiveConfiguration({ effective }: { effective: LoaderData["settings"]["effective"] }) {
  const { t } = useTranslation("console");
  const source = (key: keyof typeof effective.sources) => t(`wallet.sources.${effective.sources[key]}`);
  const none = t("wallet.none");
  const rows = [
    ["issuerId", t("wallet.issuerId"), effective.issuerId ?? none, source("issuerId")],
    ["serviceAccount", t("wallet.serviceAccount"), effective.key?.clientEmail ?? none, source("serviceAccountKey")],
    ["tokenUri", t("wallet.tokenUri"), effective.key?.tokenUri ?? none, source("serviceAccountKey")],
    ["origins", t("wallet.origins"), effective.origins.join(", ") || none, source("origins")],
    ["logoUrl", t("wallet.logoUrl"), effective.logoUrl ?? none, source("logoUrl")],
    ["apiUrl", t("wallet.apiUrl"), effective.apiUrl, t("wallet.sources.environment")],
  ] as const;
  return (
    <section aria-labelledby="wallet-effective-heading">
      <h2 id="wallet-effective-heading">{t("wallet.effectiveHeading")}</h2>
      <TableScroll label={t("wallet.effectiveHeading")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("wallet.setting")}</th>
              <th scope="col">{t("wallet.value")}</th>
              <th scope="col">{t("wallet.source")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([key, label, value, from]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>{value}</td>
                <td>{from}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/** The validator: one line per check, passed or failed, with how to fix a failure. */
function ConfigurationCheck({
  actionData,
  effective,
}: {
  actionData: ActionData;
  effective: LoaderData["settings"]["effective"];
}) {
  const { t } = useTranslation("console");
  const checks = actionData && "checks" in actionData ? actionData.checks : null;
  return (
    <section aria-labelledby="wallet-check-heading">
      <h2 id="wallet-check-heading">{t("wallet.checkHeading")}</h2>
      <p>{t("wallet.checkIntro")}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="check" />
        <SubmitButton>{t("wallet.check")}</SubmitButton>
      </Form>
      {checks ? (
        <ul className="wallet-checks" aria-label={t("wallet.checkResults")}>
          {checks.map((line) => (
            <li key={line.check} data-check={line.check} data-outcome={line.outcome}>
              <strong>{t(`wallet.checks.${line.check}.name`)}</strong>: {t(`wallet.outcome.${line.outcome}`)}
              {line.outcome === "failed" ? (
                <>
                  <br />
                  {t("wallet.howToFix")}{" "}
                  {t(`wallet.checks.${line.check}.fix`, {
                    tokenUri: effective.key?.tokenUri ?? "",
                    email: effective.key?.clientEmail ?? "",
                  })}
                </>
              ) : null}
              {line.detail && line.outcome !== "skipped" ? (
                <>
                  <br />
                  {t("wallet.detail")} <code>{line.detail}</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function PassUpdates({ health }: { health: LoaderData["health"] }) {
  const { t } = useTranslation("console");
  const statuses = ["synced", "retrying", "failed"] as const;
  return (
    <section aria-labelledby="wallet-sync-heading">
      <h2 id="wallet-sync-heading">{t("wallet.syncHeading")}</h2>
      <p>{t("wallet.syncIntro")}</p>
      <ul className="stats">
        <li>
          <span className="stat-value">{health.passes}</span>
          <span className="stat-label">{t("wallet.passes")}</span>
        </li>
        {statuses.map((status) => (
          <li key={status}>
            <span className="stat-value" data-testid={`wallet-${status}`}>
              {health.byStatus[status] ?? 0}
            </span>
            <span className="stat-label">{t(`wallet.status.${status}`)}</span>
          </li>
        ))}
      </ul>
      <h3>{t("wallet.failuresHeading")}</h3>
      {health.failures.length === 0 ? (
        <p>{t("wallet.noFailures")}</p>
      ) : (
        <TableScroll label={t("wallet.failuresHeading")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("wallet.card")}</th>
                <th scope="col">{t("wallet.when")}</th>
                <th scope="col">{t("wallet.error")}</th>
              </tr>
            </thead>
            <tbody>
              {health.failures.map((failure) => (
                <tr key={failure.cardId}>
                  <th scope="row">
                    <Link to={`/admin/cards/${failure.cardId}`}>
                      {failure.cardNumber} · {failure.holder}
                    </Link>
                  </th>
                  <td>{failure.at}</td>
                  <td>
                    <code>{failure.error}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
