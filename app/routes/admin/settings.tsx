import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useLocation, useSearchParams } from "react-router";
import { readForm } from "~/http/form.server";
import { requireRole } from "~/modules/auth/guards.server";
import { smtpEndpoint } from "~/modules/messaging/email-config.server";
import { emailSettingsView, saveEmailSettings, sendTestEmail } from "~/modules/messaging/email-settings.server";
import { EmailDeliveryError, smtpTimeouts } from "~/modules/messaging/transport.server";
import type { SmtpSecurity } from "~/smtp-security";
import { TableScroll } from "~/ui/data-table";
import {
  CheckboxField,
  Field,
  FormMessage,
  FormPageHeading,
  PasswordField,
  SelectField,
  SubmitButton,
  useRouteForm,
} from "~/ui/form";
import type { Route } from "./+types/settings";
import { emailSettingsSchema, testEmailSchema } from "./settings-schema";

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  return {
    settings: await emailSettingsView(context.db, context.config),
    testTo: actor.email,
    timeoutSeconds: smtpTimeouts.connectionSeconds,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const formData = await readForm(request);
  if (formData.get("intent") === "test") {
    const submission = parseWithZod(formData, { schema: testEmailSchema });
    if (submission.status !== "success") return data({ test: submission.reply() }, { status: 400 });
    const outcome = await sendTestEmail(context, actor, submission.value.to, context.locale);
    if (outcome.status === "sent") {
      const endpoint = smtpEndpoint(outcome.config);
      return data({ testSent: { to: submission.value.to, endpoint, provider: outcome.config.provider } });
    }
    if (outcome.status === "skipped" || outcome.status === "busy") {
      throw new Error("a test email just created was not sendable");
    }
    const error = outcome.error;
    return data(
      {
        testFailed: {
          problem: error instanceof EmailDeliveryError ? error.problem : ("other" as const),
          seconds: error instanceof EmailDeliveryError ? (error.seconds ?? null) : null,
          endpoint: outcome.config ? (smtpEndpoint(outcome.config) ?? "") : "",
          detail: error.message,
        },
      },
      { status: 502 },
    );
  }
  const submission = parseWithZod(formData, { schema: emailSettingsSchema });
  // The password never travels back to the browser, not even to refill a refused form.
  if (submission.status !== "success") {
    return data({ settings: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const value = submission.value;
  await saveEmailSettings(context.db, actor, context.config, {
    host: value.host || null,
    port: value.port ?? null,
    security: value.security ?? null,
    user: value.user || null,
    password: value.password ? value.password : null,
    clearPassword: value.clearPassword ?? false,
    fromAddress: value.fromAddress || null,
    fromName: value.fromName || null,
  });
  return redirect("/admin/settings?saved=1");
}

type LoaderData = Route.ComponentProps["loaderData"];
type ActionData = Route.ComponentProps["actionData"];

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  // A new location (the redirect after saving) mounts a fresh page: conform takes the saved values as
  // its defaults, and a typed password never lingers.
  const { key: locationKey } = useLocation();
  return <SettingsPage key={locationKey} loaderData={loaderData} actionData={actionData} />;
}

function SettingsPage({ loaderData, actionData }: { loaderData: LoaderData; actionData: ActionData }) {
  const { t } = useTranslation(["console", "common", "email"]);
  const [searchParams] = useSearchParams();
  const { settings } = loaderData;
  const { form, fields, errorText, errorSummary } = useRouteForm({
    id: "smtp",
    schema: emailSettingsSchema,
    lastResult: actionData && "settings" in actionData ? actionData.settings : undefined,
    namespace: "console",
    defaultValue: settings.values,
  });
  const keys = ["host", "port", "security", "user", "password", "fromAddress", "fromName"] as const;
  const summary = errorSummary(Object.fromEntries(keys.map((key) => [`smtp-${key}`, fields[key]])));
  const environmentHint = (value: string | null) =>
    value ? t("settings.fromEnvironment", { value }) : t("settings.notInEnvironment");
  /** A value saved here over the environment's: the hint says what the environment has. */
  const overrideField = (
    key: "host" | "port" | "user" | "fromAddress" | "fromName",
    props: { maxLength: number; type?: "email"; inputMode?: "numeric" },
  ) => (
    <Field
      labelProps={{ children: t(`settings.${key}`) }}
      hint={environmentHint(settings.environment[key])}
      inputProps={{
        ...getInputProps(fields[key], { type: props.type ?? "text" }),
        autoComplete: "off",
        maxLength: props.maxLength,
        inputMode: props.inputMode,
      }}
      errors={errorText(fields[key].errors)}
    />
  );
  return (
    <>
      <FormPageHeading
        title={t("settings.title")}
        errors={summary}
        notices={[searchParams.get("saved") ? t("settings.saved") : null]}
      />
      <p>{t("settings.intro")}</p>
      {settings.passwordUnreadable ? <FormMessage tone="error">{t("settings.passwordUnreadable")}</FormMessage> : null}
      <EffectiveConfiguration settings={settings} />
      <section aria-labelledby="smtp-heading">
        <h2 id="smtp-heading">{t("settings.smtpHeading")}</h2>
        <p>{t("settings.smtpIntro")}</p>
        <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
          {overrideField("host", { maxLength: 253 })}
          {overrideField("port", { maxLength: 5, inputMode: "numeric" })}
          <SelectField
            labelProps={{ children: t("settings.security") }}
            selectProps={getSelectProps(fields.security)}
            options={[
              {
                value: "",
                label: t("settings.securityFromEnvironment", {
                  value: t(
                    `email:smtpTest.securityModes.${(settings.environment.security ?? "starttls") as SmtpSecurity}`,
                  ),
                }),
              },
              { value: "none", label: t("email:smtpTest.securityModes.none") },
              { value: "starttls", label: t("email:smtpTest.securityModes.starttls") },
              { value: "tls", label: t("email:smtpTest.securityModes.tls") },
            ]}
            errors={errorText(fields.security.errors)}
          />
          {overrideField("user", { maxLength: 254 })}
          <PasswordField
            labelProps={{ children: t("settings.password") }}
            hint={
              settings.savedPassword
                ? t("settings.passwordKeep")
                : settings.environmentPassword
                  ? t("settings.passwordFromEnvironment")
                  : t("settings.passwordNone")
            }
            inputProps={{
              ...getInputProps(fields.password, { type: "password", value: false }),
              autoComplete: "new-password",
              maxLength: 512,
            }}
            errors={errorText(fields.password.errors)}
            showLabel={t("settings.showPassword")}
          />
          {settings.savedPassword ? (
            <CheckboxField
              labelProps={{ children: t("settings.clearPassword") }}
              inputProps={getInputProps(fields.clearPassword, { type: "checkbox" })}
            />
          ) : null}
          {overrideField("fromAddress", { maxLength: 254, type: "email" })}
          {overrideField("fromName", { maxLength: 100 })}
          <SubmitButton>{t("settings.save")}</SubmitButton>
        </Form>
      </section>
      <TestEmail loaderData={loaderData} actionData={actionData} />
    </>
  );
}

/** What the worker uses right now, each value with where it comes from (saved here, environment, default). */
function EffectiveConfiguration({ settings }: { settings: LoaderData["settings"] }) {
  const { t } = useTranslation(["console", "email"]);
  const effective = settings.effective;
  const sourceLabel = (key: keyof typeof effective.sources) => t(`email:smtpTest.sources.${effective.sources[key]}`);
  const rows = [
    ["host", t("settings.host"), effective.host ?? t("emailLogs.none")],
    ["port", t("settings.port"), String(effective.port)],
    ["security", t("settings.security"), t(`email:smtpTest.securityModes.${effective.security}`)],
    ["user", t("settings.user"), effective.user ?? t("email:smtpTest.noUser")],
    [
      "password",
      t("settings.password"),
      t(settings.savedPassword || settings.environmentPassword ? "settings.passwordSet" : "settings.passwordNotSet"),
    ],
    ["fromAddress", t("settings.fromAddress"), effective.fromAddress],
    ["fromName", t("settings.fromName"), effective.fromName],
  ] as const;
  return (
    <section aria-labelledby="effective-heading">
      <h2 id="effective-heading">{t("settings.effectiveHeading")}</h2>
      {effective.provider === "outbox" ? <p>{t("settings.outbox")}</p> : null}
      {effective.provider === "unconfigured" ? (
        <FormMessage tone="error">{t("settings.unconfigured")}</FormMessage>
      ) : null}
      <TableScroll label={t("settings.effectiveHeading")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("email:smtpTest.setting")}</th>
              <th scope="col">{t("email:smtpTest.value")}</th>
              <th scope="col">{t("email:smtpTest.source")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([key, label, value]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>{value}</td>
                <td>{sourceLabel(key)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/** Sends a test email at once with the effective configuration and shows what happened. */
function TestEmail({ loaderData, actionData }: { loaderData: LoaderData; actionData: ActionData }) {
  const { t } = useTranslation("console");
  const { form, fields, errorText } = useRouteForm({
    id: "smtp-test",
    schema: testEmailSchema,
    lastResult: actionData && "test" in actionData ? actionData.test : undefined,
    namespace: "console",
    defaultValue: { to: loaderData.testTo },
  });
  const testSent = actionData && "testSent" in actionData ? actionData.testSent : null;
  const testFailed = actionData && "testFailed" in actionData ? actionData.testFailed : null;
  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading">{t("settings.testHeading")}</h2>
      <p>{t("settings.testIntro", { seconds: loaderData.timeoutSeconds })}</p>
      {testSent ? (
        <FormMessage tone="info">
          {testSent.endpoint
            ? t("settings.testSent", { email: testSent.to, endpoint: testSent.endpoint })
            : t("settings.testSentOutbox", { email: testSent.to })}
        </FormMessage>
      ) : null}
      {testFailed ? (
        <FormMessage tone="error">
          <p>
            {t(`settings.testFailed.${testFailed.problem as "other"}`, {
              endpoint: testFailed.endpoint,
              seconds: testFailed.seconds ?? loaderData.timeoutSeconds,
            })}
          </p>
          <p>
            {t("settings.technicalDetail")} <code>{testFailed.detail}</code>
          </p>
        </FormMessage>
      ) : null}
      <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
        <input type="hidden" name="intent" value="test" />
        <Field
          labelProps={{ children: t("settings.testTo") }}
          inputProps={{
            ...getInputProps(fields.to, { type: "email" }),
            autoComplete: "email",
            required: true,
            maxLength: 254,
          }}
          errors={errorText(fields.to.errors)}
        />
        <SubmitButton>{t("settings.sendTest")}</SubmitButton>
      </Form>
    </section>
  );
}
