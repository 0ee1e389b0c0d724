import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, redirectDocument, useSearchParams } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit, tooManyRequests } from "~/http/rate-limit.server";
import { locales } from "~/i18n/locales";
import { safeRedirectPath, sessionCookie } from "~/modules/auth/guards.server";
import { authenticate } from "~/modules/auth/login.server";
import { homePath } from "~/modules/auth/roles";
import { createSession, endSession, sessionCookieName, sessionMaxHours } from "~/modules/auth/sessions.server";
import { Field, FormMessage, PasswordField, SubmitButton, useRouteForm } from "~/ui/form";
import { LanguageSwitcher } from "~/ui/language-switcher";
import type { Route } from "./+types/login";
import { loginSchema } from "./login-schema";

export function loader({ context, request }: Route.LoaderArgs) {
  if (context.actor) {
    const redirectTo = new URL(request.url).searchParams.get("redirectTo");
    throw redirect(safeRedirectPath(redirectTo, homePath(context.actor.role)));
  }
  return { locale: context.locale };
}

export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: loginSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), failure: null }, { status: 400 });
  const { db, config } = context;
  const refused = await refuseOverAddressLimit(context, "login", {
    result: submission.reply({ hideFields: ["password"] }),
    failure: "rateLimited" as const,
  });
  if (refused) return refused;
  const outcome = await authenticate(db, submission.value.email, submission.value.password, context.clientAddress);
  if (!outcome.ok && "retryAfterSeconds" in outcome) {
    return tooManyRequests(
      {
        result: submission.reply({ hideFields: ["password"] }),
        failure: "throttled" as const,
        retryAfterSeconds: outcome.retryAfterSeconds,
      },
      outcome.retryAfterSeconds,
    );
  }
  if (!outcome.ok) {
    return data(
      { result: submission.reply({ hideFields: ["password"] }), failure: "failed" as const },
      { status: 401 },
    );
  }
  // A new session id at every sign-in (no fixation); any session this browser had ends.
  if (context.sessionToken) await endSession(db, context.sessionToken);
  const token = await createSession(db, outcome.userId, {
    ipAddress: context.clientAddress,
    userAgent: request.headers.get("user-agent"),
  });
  const cookie = sessionCookie(sessionCookieName(config.isProduction), token, {
    secure: config.isProduction,
    maxAgeSeconds: sessionMaxHours * 3600,
  });
  const target = safeRedirectPath(submission.value.redirectTo || null, homePath(outcome.role));
  // A full page load after sign-in, so the console renders in the user's saved language.
  return redirectDocument(target, { headers: { "Set-Cookie": cookie } });
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const failureMessage = (failure: { failure: "failed" | "rateLimited" | "throttled"; retryAfterSeconds?: number }) => {
    if (failure.failure !== "throttled") return t(`login.${failure.failure}`);
    const seconds = failure.retryAfterSeconds ?? 1;
    return seconds < 60
      ? t("login.throttledSeconds", { count: seconds })
      : t("login.throttledMinutes", { count: Math.ceil(seconds / 60) });
  };
  const { form, fields, errorText } = useRouteForm({
    id: "login",
    schema: loginSchema,
    lastResult: actionData?.result,
    namespace: "console",
  });
  return (
    <>
      <header className="site-header">
        <div className="site-header-inner">
          <span className="brand">{t("common:appName")}</span>
          <LanguageSwitcher current={loaderData.locale} languages={[...locales]} />
        </div>
      </header>
      <main id="main" className="page page-narrow">
        <title>{t("login.title")}</title>
        <h1>{t("login.heading")}</h1>
        <p>{t("login.intro")}</p>
        {searchParams.get("signedOut") ? <FormMessage tone="info">{t("login.signedOut")}</FormMessage> : null}
        {searchParams.get("passwordSet") ? <FormMessage tone="info">{t("login.passwordSet")}</FormMessage> : null}
        {actionData?.failure ? <FormMessage tone="error">{failureMessage(actionData)}</FormMessage> : null}
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <Field
            labelProps={{ children: t("login.email") }}
            inputProps={{
              ...getInputProps(fields.email, { type: "email" }),
              id: "email",
              autoComplete: "username",
              required: true,
              maxLength: 254,
            }}
            errors={errorText(fields.email.errors)}
          />
          <PasswordField
            labelProps={{ children: t("login.password") }}
            inputProps={{
              ...getInputProps(fields.password, { type: "password", value: false }),
              id: "password",
              autoComplete: "current-password",
              required: true,
              maxLength: 200,
            }}
            errors={errorText(fields.password.errors)}
            showLabel={t("login.showPassword")}
          />
          <SubmitButton>{t("login.submit")}</SubmitButton>
        </Form>
        <p>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
      </main>
    </>
  );
}
