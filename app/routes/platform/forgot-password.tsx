import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { requestPasswordReset } from "~/modules/auth/accounts.server";
import { FormMessage, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/forgot-password";
import { forgotPasswordSchema } from "./password-schemas";

export function loader() {
  return null;
}

export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: forgotPasswordSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), outcome: null }, { status: 400 });
  const refused = await refuseOverAddressLimit(context, "forgotPassword", {
    result: submission.reply(),
    outcome: "rateLimited" as const,
  });
  if (refused) return refused;
  // Same answer whether or not the account exists: the link only ever goes to the mailbox.
  await requestPasswordReset(context.db, submission.value.email, context.locale);
  return { result: submission.reply({ resetForm: true }), outcome: "sent" as const };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const { t } = useTranslation("console");
  const errorText = useErrorText("console");
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <main id="main" className="page page-narrow">
      <title>{t("forgotPassword.title")}</title>
      <h1>{t("forgotPassword.title")}</h1>
      <p>{t("forgotPassword.intro")}</p>
      {actionData?.outcome === "sent" ? <FormMessage tone="info">{t("forgotPassword.sent")}</FormMessage> : null}
      {actionData?.outcome === "rateLimited" ? (
        <FormMessage tone="error">{t("forgotPassword.rateLimited")}</FormMessage>
      ) : null}
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField
          id="email"
          name={fields.email.name}
          type="email"
          label={t("forgotPassword.email")}
          autoComplete="username"
          required
          maxLength={254}
          defaultValue={fields.email.initialValue}
          errors={errorText(fields.email.errors)}
        />
        <SubmitButton>{t("forgotPassword.submit")}</SubmitButton>
      </Form>
      <p>
        <Link to="/login">{t("forgotPassword.back")}</Link>
      </p>
    </main>
  );
}
