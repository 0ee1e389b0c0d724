import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { setPasswordWithToken } from "~/modules/auth/accounts.server";
import { findUsableToken } from "~/modules/auth/tokens.server";
import { Field, FormMessage, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/reset-password";
import { resetPasswordSchema } from "./password-schemas";

/** Lets the action's Retry-After reach the browser on a 429. */
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

/** Reset links and invitation links both land here: choose a password. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = token.length > 0 && token.length <= 200 ? await findUsableToken(context.db, token) : null;
  return { token: usable ? token : null };
}

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: resetPasswordSchema });
  if (submission.status !== "success") {
    return data(
      { result: submission.reply({ hideFields: ["password", "confirm"] }), invalid: false, rateLimited: false },
      { status: 400 },
    );
  }
  const refused = await refuseOverAddressLimit(context, "resetPassword", {
    result: submission.reply({ hideFields: ["password", "confirm"] }),
    invalid: false,
    rateLimited: true,
  });
  if (refused) return refused;
  const done = await setPasswordWithToken(context.db, submission.value.token, submission.value.password);
  if (!done)
    return data(
      { result: submission.reply({ hideFields: ["password", "confirm"] }), invalid: true, rateLimited: false },
      { status: 400 },
    );
  return redirect("/login?passwordSet=1");
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  const { form, fields, errorText } = useRouteForm({
    id: "reset-password",
    schema: resetPasswordSchema,
    lastResult: actionData?.result,
    namespace: "console",
    shouldRevalidate: "onInput",
  });
  const invalid = loaderData.token === null || actionData?.invalid;
  return (
    <main id="main" className="page page-narrow">
      <title>{t("resetPassword.title")}</title>
      <h1>{t("resetPassword.title")}</h1>
      {invalid ? (
        <>
          <FormMessage tone="error">{t("resetPassword.invalid")}</FormMessage>
          <p>
            <Link to="/forgot-password">{t("resetPassword.askAgain")}</Link>
          </p>
        </>
      ) : (
        <>
          <p id="password-rules">{t("resetPassword.intro")}</p>
          {actionData?.rateLimited ? <FormMessage tone="error">{t("resetPassword.rateLimited")}</FormMessage> : null}
          <Form method="post" {...getFormProps(form)} noValidate>
            <input type="hidden" name="token" value={loaderData.token ?? ""} />
            {(["password", "confirm"] as const).map((key) => (
              <Field
                key={key}
                labelProps={{ children: t(`resetPassword.${key}`) }}
                inputProps={{
                  ...getInputProps(fields[key], { type: "password", value: false }),
                  id: key,
                  autoComplete: "new-password",
                  required: true,
                  maxLength: 200,
                }}
                errors={errorText(fields[key].errors)}
              />
            ))}
            <SubmitButton>{t("resetPassword.submit")}</SubmitButton>
          </Form>
        </>
      )}
    </main>
  );
}
