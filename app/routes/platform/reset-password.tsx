import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { setPasswordWithToken } from "~/modules/auth/accounts.server";
import { findUsableToken } from "~/modules/auth/tokens.server";
import { FormMessage, SubmitButton, TextField, useErrorText } from "~/ui/form";
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
  const errorText = useErrorText("console");
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
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
            <TextField
              id="password"
              name={fields.password.name}
              type="password"
              label={t("resetPassword.password")}
              autoComplete="new-password"
              required
              maxLength={200}
              errors={errorText(fields.password.errors)}
            />
            <TextField
              id="confirm"
              name={fields.confirm.name}
              type="password"
              label={t("resetPassword.confirm")}
              autoComplete="new-password"
              required
              maxLength={200}
              errors={errorText(fields.confirm.errors)}
            />
            <SubmitButton>{t("resetPassword.submit")}</SubmitButton>
          </Form>
        </>
      )}
    </main>
  );
}
