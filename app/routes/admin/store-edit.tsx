import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantOptions } from "~/modules/loyalty/program-admin.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { createStore, storeById, TenancyFieldError, updateStore } from "~/modules/tenancy/tenant-admin.server";
import { FieldError, FormPageHeading, SelectField, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/store-edit";
import { createStoreSchema, storeSchema } from "./tenancy-schema";

async function loadStore(context: Route.LoaderArgs["context"], scope: Scope, storeId: string | undefined) {
  if (storeId === undefined) return null;
  const id = z.uuid().safeParse(storeId);
  const store = id.success ? await storeById(context.db, scope, id.data) : null;
  if (!store) throw data({ code: "notFound" }, { status: 404 });
  return store;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const store = await loadStore(context, scope, params.storeId);
  const merchants = await merchantOptions(context.db, scope);
  return {
    merchants,
    timezones: Intl.supportedValuesOf("timeZone"),
    platformDomain: context.config.PLATFORM_DOMAIN,
    store: store && {
      name: store.name,
      merchantName: merchants.find((m) => m.id === store.merchantId)?.name ?? "",
      values: {
        name: store.name,
        code: store.code,
        subdomain: store.subdomain,
        customDomain: store.customDomain ?? "",
        defaultLanguage: store.defaultLanguage,
        enabledLanguages: store.enabledLanguages,
        websiteUrl: store.websiteUrl ?? "",
        timezone: store.timezone,
        description: store.descriptionTranslations,
        loyaltyEnabled: store.loyaltyEnabled ? "on" : "",
      },
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const existing = await loadStore(context, scopeOf(actor), params.storeId);
  const submission = parseWithZod(await readForm(request), { schema: existing ? storeSchema : createStoreSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const domain = context.config.PLATFORM_DOMAIN;
  try {
    if (existing) {
      await updateStore(context.db, actor, existing.id, submission.value, domain);
      return redirect(`/admin/stores/${existing.id}?saved=1`);
    }
    const merchantId = submission.value.merchantId ?? "";
    const store = await createStore(context.db, actor, merchantId, submission.value, domain);
    return redirect(`/admin/stores/${store.id}?saved=1`);
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

export default function StoreEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const errorText = useErrorText("console");
  const [searchParams] = useSearchParams();
  const creating = loaderData.store === null;
  const [form, fields] = useForm<z.input<typeof storeSchema>>({
    id: "store",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: loaderData.store?.values ?? {
      defaultLanguage: "fr",
      enabledLanguages: [...locales],
      timezone: "Europe/Luxembourg",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: creating ? createStoreSchema : storeSchema }),
  });
  const description = fields.description.getFieldset();
  const title = loaderData.store ? loaderData.store.name : t("tenancy.newStore");
  const keys = [
    "merchantId",
    "code",
    "name",
    "subdomain",
    "customDomain",
    "defaultLanguage",
    "enabledLanguages",
    "websiteUrl",
    "timezone",
    "loyaltyEnabled",
  ] as const;
  const summary = [
    ...keys.flatMap((key) => errorText(fields[key].errors).map((text) => ({ href: `#store-${key}`, text }))),
    ...locales.flatMap((locale) =>
      errorText(description[locale].errors).map((text) => ({ href: `#store-description-${locale}`, text })),
    ),
  ];
  const selectField = (
    key: "merchantId" | "defaultLanguage" | "timezone",
    label: string,
    options: { value: string; label: string }[],
  ) => (
    <SelectField
      id={`store-${key}`}
      name={fields[key].name}
      label={label}
      defaultValue={fields[key].initialValue}
      errors={errorText(fields[key].errors)}
      options={options}
    />
  );
  const languageOptions = locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }));
  const enabledErrors = errorText(fields.enabledLanguages.errors);
  const loyaltyErrors = errorText(fields.loyaltyEnabled.errors);
  return (
    <>
      <FormPageHeading
        title={title}
        errors={summary}
        notices={[searchParams.get("saved") ? t("programs.saved") : null]}
      />
      <Form method="post" {...getFormProps(form)} noValidate>
        {creating ? (
          selectField("merchantId", t("programs.form.merchant"), [
            { value: "", label: t("programs.form.chooseMerchant") },
            ...loaderData.merchants.map((merchant) => ({ value: merchant.id, label: merchant.name })),
          ])
        ) : (
          <p>
            {t("programs.form.merchant")}: <strong>{loaderData.store?.merchantName}</strong>
          </p>
        )}
        <div className="columns">
          <TextField
            id="store-name"
            name={fields.name.name}
            label={t("tenancy.storeName")}
            autoComplete="off"
            required
            maxLength={120}
            defaultValue={fields.name.initialValue}
            errors={errorText(fields.name.errors)}
          />
          <TextField
            id="store-code"
            name={fields.code.name}
            label={t("tenancy.code")}
            hint={t("tenancy.codeHint")}
            autoComplete="off"
            required
            maxLength={40}
            defaultValue={fields.code.initialValue}
            errors={errorText(fields.code.errors)}
          />
          <TextField
            id="store-subdomain"
            name={fields.subdomain.name}
            label={t("tenancy.subdomain")}
            hint={t("tenancy.subdomainHint", { domain: loaderData.platformDomain })}
            autoComplete="off"
            required
            maxLength={63}
            defaultValue={fields.subdomain.initialValue}
            errors={errorText(fields.subdomain.errors)}
          />
          <TextField
            id="store-customDomain"
            name={fields.customDomain.name}
            label={t("tenancy.customDomain")}
            hint={t("tenancy.customDomainHint")}
            autoComplete="off"
            maxLength={253}
            defaultValue={fields.customDomain.initialValue}
            errors={errorText(fields.customDomain.errors)}
          />
          <TextField
            id="store-websiteUrl"
            name={fields.websiteUrl.name}
            type="url"
            label={t("tenancy.websiteUrl")}
            hint={t("tenancy.websiteUrlHint")}
            autoComplete="off"
            maxLength={500}
            defaultValue={fields.websiteUrl.initialValue}
            errors={errorText(fields.websiteUrl.errors)}
          />
          {selectField(
            "timezone",
            t("tenancy.timezone"),
            loaderData.timezones.map((zone) => ({ value: zone, label: zone })),
          )}
        </div>
        <fieldset
          className={enabledErrors.length ? "field field-invalid" : "field"}
          id="store-enabledLanguages"
          aria-describedby={enabledErrors.length ? "store-enabledLanguages-error" : undefined}
        >
          <legend>{t("tenancy.enabledLanguages")}</legend>
          <FieldError id="store-enabledLanguages-error" errors={enabledErrors} />
          {locales.map((locale) => (
            <div key={locale} className="checkbox-field">
              <input
                type="checkbox"
                id={`store-language-${locale}`}
                name={fields.enabledLanguages.name}
                value={locale}
                defaultChecked={(fields.enabledLanguages.initialValue as string[] | undefined)?.includes(locale)}
              />
              <label htmlFor={`store-language-${locale}`}>{t(`common:languageNames.${locale}`)}</label>
            </div>
          ))}
        </fieldset>
        {selectField("defaultLanguage", t("tenancy.defaultLanguage"), languageOptions)}
        <fieldset className="field">
          <legend>{t("tenancy.description")}</legend>
          <p className="field-hint">{t("tenancy.descriptionHint")}</p>
          <div className="translations">
            {locales.map((locale) => {
              const errors = errorText(description[locale].errors);
              return (
                <div key={locale} className={errors.length ? "field field-invalid" : "field"}>
                  <label htmlFor={`store-description-${locale}`}>{t(`common:languageNames.${locale}`)}</label>
                  <FieldError id={`store-description-${locale}-error`} errors={errors} />
                  <textarea
                    id={`store-description-${locale}`}
                    name={description[locale].name}
                    defaultValue={description[locale].initialValue}
                    lang={locale}
                    rows={4}
                    maxLength={2000}
                    aria-invalid={errors.length ? true : undefined}
                    aria-describedby={errors.length ? `store-description-${locale}-error` : undefined}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
        <div className={loyaltyErrors.length ? "field checkbox-field field-invalid" : "field checkbox-field"}>
          <FieldError id="store-loyaltyEnabled-error" errors={loyaltyErrors} />
          <input {...getInputProps(fields.loyaltyEnabled, { type: "checkbox" })} id="store-loyaltyEnabled" />
          <label htmlFor="store-loyaltyEnabled">{t("tenancy.loyaltyEnabled")}</label>
        </div>
        <SubmitButton>{t("tenancy.save")}</SubmitButton>
      </Form>
    </>
  );
}
