import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import { FieldError } from "~/errors";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { createMerchant, merchantById, updateMerchant } from "~/modules/tenancy/tenant-admin.server";
import { recordOr404 } from "~/routes/shared/records.server";
import { Field, FormPageHeading, SelectField, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/merchant-edit";
import { merchantSchema } from "./tenancy-schema";

/** The merchant being edited, or null on the "new" page. */
function loadMerchant(context: Route.LoaderArgs["context"], scope: Scope, merchantId: string | undefined) {
  return merchantId === undefined ? null : recordOr404(merchantId, (id) => merchantById(context.db, scope, id));
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const merchant = await loadMerchant(context, scope, params.merchantId);
  return {
    merchant: merchant && {
      name: merchant.name,
      slug: merchant.slug,
      defaultLanguage: merchant.defaultLanguage,
      privacyUrl: merchant.privacyUrl ?? "",
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const existing = await loadMerchant(context, scopeOf(actor), params.merchantId);
  const submission = parseWithZod(await readForm(request), { schema: merchantSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const fields = { ...submission.value, privacyUrl: submission.value.privacyUrl ?? null };
  try {
    if (existing) {
      await updateMerchant(context.db, actor, existing.id, fields);
      return redirect(`/admin/merchants/${existing.id}?saved=1`);
    }
    const merchant = await createMerchant(context.db, actor, fields);
    return redirect(`/admin/merchants/${merchant.id}?saved=1`);
  } catch (error) {
    if (error instanceof FieldError) {
      return data({ result: submission.reply({ fieldErrors: error.fieldErrors }) }, { status: 400 });
    }
    throw error;
  }
}

export default function MerchantEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const { form, fields, errorText, errorSummary } = useRouteForm({
    id: "merchant",
    schema: merchantSchema,
    lastResult: actionData?.result,
    namespace: "console",
    defaultValue: loaderData.merchant ?? { defaultLanguage: "fr" },
  });
  const title = loaderData.merchant ? loaderData.merchant.name : t("tenancy.newMerchant");
  return (
    <>
      <FormPageHeading
        title={title}
        errors={errorSummary({
          "merchant-name": fields.name,
          "merchant-slug": fields.slug,
          "merchant-defaultLanguage": fields.defaultLanguage,
          "merchant-privacyUrl": fields.privacyUrl,
        })}
        notices={[searchParams.get("saved") ? t("programs.saved") : null]}
      />
      <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
        <Field
          labelProps={{ children: t("tenancy.merchantName") }}
          inputProps={{
            ...getInputProps(fields.name, { type: "text" }),
            autoComplete: "organization",
            required: true,
            maxLength: 120,
          }}
          errors={errorText(fields.name.errors)}
        />
        <Field
          labelProps={{ children: t("tenancy.slug") }}
          hint={t("tenancy.slugHint")}
          inputProps={{
            ...getInputProps(fields.slug, { type: "text" }),
            autoComplete: "off",
            required: true,
            maxLength: 60,
          }}
          errors={errorText(fields.slug.errors)}
        />
        <SelectField
          labelProps={{ children: t("tenancy.defaultLanguage") }}
          selectProps={getSelectProps(fields.defaultLanguage)}
          options={locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }))}
          errors={errorText(fields.defaultLanguage.errors)}
        />
        <Field
          labelProps={{ children: t("tenancy.privacyUrl") }}
          hint={t("tenancy.privacyUrlHint")}
          inputProps={{ ...getInputProps(fields.privacyUrl, { type: "url" }), autoComplete: "url", maxLength: 500 }}
          errors={errorText(fields.privacyUrl.errors)}
        />
        <SubmitButton>{t("tenancy.save")}</SubmitButton>
      </Form>
    </>
  );
}
