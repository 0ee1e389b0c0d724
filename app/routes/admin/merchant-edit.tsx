import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { createMerchant, merchantById, TenancyFieldError, updateMerchant } from "~/modules/tenancy/tenant-admin.server";
import { FormPageHeading, SelectField, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/merchant-edit";
import { merchantSchema } from "./tenancy-schema";

async function loadMerchant(context: Route.LoaderArgs["context"], scope: Scope, merchantId: string | undefined) {
  if (merchantId === undefined) return null;
  const id = z.uuid().safeParse(merchantId);
  const merchant = id.success ? await merchantById(context.db, scope, id.data) : null;
  if (!merchant) throw data({ code: "notFound" }, { status: 404 });
  return merchant;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const merchant = await loadMerchant(context, scope, params.merchantId);
  return {
    merchant: merchant && { name: merchant.name, slug: merchant.slug, defaultLanguage: merchant.defaultLanguage },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const existing = await loadMerchant(context, scopeOf(actor), params.merchantId);
  const submission = parseWithZod(await readForm(request), { schema: merchantSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    if (existing) {
      await updateMerchant(context.db, actor, existing.id, submission.value);
      return redirect(`/admin/merchants/${existing.id}?saved=1`);
    }
    const merchant = await createMerchant(context.db, actor, submission.value);
    return redirect(`/admin/merchants/${merchant.id}?saved=1`);
  } catch (error) {
    if (error instanceof TenancyFieldError) {
      return data(
        { result: submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }) },
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function MerchantEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const errorText = useErrorText("console");
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "merchant",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: loaderData.merchant ?? { defaultLanguage: "fr" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: merchantSchema }),
  });
  const title = loaderData.merchant ? loaderData.merchant.name : t("tenancy.newMerchant");
  const summary = (["name", "slug", "defaultLanguage"] as const).flatMap((key) =>
    errorText(fields[key].errors).map((text) => ({ href: `#merchant-${key}`, text })),
  );
  return (
    <>
      <FormPageHeading
        title={title}
        errors={summary}
        notices={[searchParams.get("saved") ? t("programs.saved") : null]}
      />
      <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
        <TextField
          id="merchant-name"
          name={fields.name.name}
          label={t("tenancy.merchantName")}
          autoComplete="organization"
          required
          maxLength={120}
          defaultValue={fields.name.initialValue}
          errors={errorText(fields.name.errors)}
        />
        <TextField
          id="merchant-slug"
          name={fields.slug.name}
          label={t("tenancy.slug")}
          hint={t("tenancy.slugHint")}
          autoComplete="off"
          required
          maxLength={60}
          defaultValue={fields.slug.initialValue}
          errors={errorText(fields.slug.errors)}
        />
        <SelectField
          id="merchant-defaultLanguage"
          name={fields.defaultLanguage.name}
          label={t("tenancy.defaultLanguage")}
          defaultValue={fields.defaultLanguage.initialValue}
          errors={errorText(fields.defaultLanguage.errors)}
          options={locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }))}
        />
        <SubmitButton>{t("tenancy.save")}</SubmitButton>
      </Form>
    </>
  );
}
