import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Link } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { requestPasswordReset } from "~/modules/auth/accounts.server";
import { EmailLinkPage } from "~/ui/email-link-page";
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
  return (
    <EmailLinkPage
      id="forgot-password"
      schema={forgotPasswordSchema}
      namespace="console"
      actionData={actionData}
      copy={{
        title: t("forgotPassword.title"),
        intro: t("forgotPassword.intro"),
        email: t("forgotPassword.email"),
        submit: t("forgotPassword.submit"),
        sent: t("forgotPassword.sent"),
        rateLimited: t("forgotPassword.rateLimited"),
      }}
      email={{ autoComplete: "username" }}
    >
      <p>
        <Link to="/login">{t("forgotPassword.back")}</Link>
      </p>
    </EmailLinkPage>
  );
}
