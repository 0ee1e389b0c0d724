import { type FieldMetadata, getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import type { z } from "zod";
import { FieldError } from "~/errors";
import { readForm } from "~/http/form.server";
import { formatDate } from "~/i18n/format";
import { type Locale, locales } from "~/i18n/locales";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantOptions } from "~/modules/loyalty/program-admin.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import type { Store } from "~/modules/tenancy/stores.server";
import { createStore, storeById, updateStore } from "~/modules/tenancy/tenant-admin.server";
import { countryOfTimeZone, defaultCountry, timeZoneChoices } from "~/modules/tenancy/time-zones";
import { listCounterStaff } from "~/modules/terminal/counter-staff.server";
import { listDevices } from "~/modules/terminal/devices.server";
import { recordOr404 } from "~/routes/shared/records.server";
import { CounterStaffStatus, DeviceStatus } from "~/ui/counter";
import { DataTable } from "~/ui/data-table";
import {
  CheckboxField,
  ChoiceFieldset,
  type ErrorText,
  Field,
  FormPageHeading,
  SelectField,
  SubmitButton,
  TextareaField,
  useRouteForm,
} from "~/ui/form";
import type { Route } from "./+types/store-edit";
import { createStoreSchema, storeSchema } from "./tenancy-schema";

/** The store being edited, or null on the "new" page. */
function loadStore(context: Route.LoaderArgs["context"], scope: Scope, storeId: string | undefined) {
  return storeId === undefined ? null : recordOr404(storeId, (id) => storeById(context.db, scope, id));
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const store = await loadStore(context, scope, params.storeId);
  const merchants = await merchantOptions(context.db, scope);
  return {
    merchants,
    counter: store && (await storeCounter(context, scope, store)),
    // The store's own country first; a new store most likely sits in the platform's home market.
    timezones: timeZoneChoices(context.locale, store ? countryOfTimeZone(store.timezone) : defaultCountry),
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
        contactEmail: store.contactEmail ?? "",
        timezone: store.timezone,
        description: store.descriptionTranslations,
        loyaltyEnabled: store.loyaltyEnabled ? "on" : "",
        address: store.address ?? "",
        onlineOnly: store.onlineOnly ? "on" : "",
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
    if (error instanceof FieldError) {
      return data({ result: submission.reply({ fieldErrors: error.fieldErrors }) }, { status: 400 });
    }
    throw error;
  }
}

type StoreInput = z.input<typeof storeSchema>;

export default function StoreEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const creating = loaderData.store === null;
  const { form, fields, errorText, errorSummary } = useRouteForm<StoreInput, z.output<typeof storeSchema>>({
    id: "store",
    schema: creating ? createStoreSchema : storeSchema,
    lastResult: actionData?.result,
    namespace: "console",
    shouldRevalidate: "onInput",
    defaultValue: loaderData.store?.values ?? {
      defaultLanguage: "fr",
      enabledLanguages: [...locales],
      timezone: "Europe/Luxembourg",
    },
  });
  const description = fields.description.getFieldset();
  const title = loaderData.store ? loaderData.store.name : t("tenancy.newStore");
  const flat = [
    "merchantId",
    "code",
    "name",
    "subdomain",
    "customDomain",
    "defaultLanguage",
    "enabledLanguages",
    "websiteUrl",
    "contactEmail",
    "timezone",
    "loyaltyEnabled",
    "onlineOnly",
  ] as const;
  const summary = errorSummary({
    ...Object.fromEntries(flat.map((key) => [`store-${key}`, fields[key]])),
    ...Object.fromEntries(locales.map((locale) => [`store-description-${locale}`, description[locale]])),
    "store-address": fields.address,
  });
  const inputTypes = { websiteUrl: "url", contactEmail: "email" } as const;
  const text = (
    key: "name" | "code" | "subdomain" | "customDomain" | "websiteUrl" | "contactEmail",
    maxLength: number,
  ) => ({
    ...getInputProps(fields[key], { type: key in inputTypes ? inputTypes[key as keyof typeof inputTypes] : "text" }),
    autoComplete: "off",
    maxLength,
  });
  const languageOptions = locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }));
  return (
    <>
      <FormPageHeading
        title={title}
        errors={summary}
        notices={[searchParams.get("saved") ? t("programs.saved") : null]}
      />
      <Form method="post" {...getFormProps(form)} noValidate>
        {creating ? (
          <SelectField
            labelProps={{ children: t("programs.form.merchant") }}
            selectProps={getSelectProps(fields.merchantId)}
            options={[
              { value: "", label: t("programs.form.chooseMerchant") },
              ...loaderData.merchants.map((merchant) => ({ value: merchant.id, label: merchant.name })),
            ]}
            errors={errorText(fields.merchantId.errors)}
          />
        ) : (
          <p>
            {t("programs.form.merchant")}: <strong>{loaderData.store?.merchantName}</strong>
          </p>
        )}
        <div className="columns">
          <Field
            labelProps={{ children: t("tenancy.storeName") }}
            inputProps={{ ...text("name", 120), required: true }}
            errors={errorText(fields.name.errors)}
          />
          <Field
            labelProps={{ children: t("tenancy.code") }}
            hint={t("tenancy.codeHint")}
            inputProps={{ ...text("code", 40), required: true }}
            errors={errorText(fields.code.errors)}
          />
          <Field
            labelProps={{ children: t("tenancy.subdomain") }}
            hint={t("tenancy.subdomainHint", { domain: loaderData.platformDomain })}
            inputProps={{ ...text("subdomain", 63), required: true }}
            errors={errorText(fields.subdomain.errors)}
          />
          <Field
            labelProps={{ children: t("tenancy.customDomain") }}
            hint={t("tenancy.customDomainHint")}
            inputProps={text("customDomain", 253)}
            errors={errorText(fields.customDomain.errors)}
          />
          <Field
            labelProps={{ children: t("tenancy.websiteUrl") }}
            hint={t("tenancy.websiteUrlHint")}
            inputProps={text("websiteUrl", 500)}
            errors={errorText(fields.websiteUrl.errors)}
          />
          <Field
            labelProps={{ children: t("tenancy.contactEmail") }}
            hint={t("tenancy.contactEmailHint")}
            inputProps={text("contactEmail", 254)}
            errors={errorText(fields.contactEmail.errors)}
          />
          <SelectField
            labelProps={{ children: t("tenancy.timezone") }}
            selectProps={getSelectProps(fields.timezone)}
            options={[]}
            groups={[
              ...(loaderData.timezones.country
                ? [{ label: loaderData.timezones.country.name, options: loaderData.timezones.country.zones }]
                : []),
              ...loaderData.timezones.regions.map((group) => ({
                label: t(`timeZoneRegions.${group.region}`),
                options: group.zones,
              })),
            ]}
            errors={errorText(fields.timezone.errors)}
          />
        </div>
        <ChoiceFieldset
          id="store-enabledLanguages"
          legend={t("tenancy.enabledLanguages")}
          field={fields.enabledLanguages}
          type="checkbox"
          options={languageOptions}
          errors={errorText(fields.enabledLanguages.errors)}
        />
        <SelectField
          labelProps={{ children: t("tenancy.defaultLanguage") }}
          selectProps={getSelectProps(fields.defaultLanguage)}
          options={languageOptions}
          errors={errorText(fields.defaultLanguage.errors)}
        />
        <DescriptionFields fields={description} errorText={errorText} />
        <TextareaField
          labelProps={{ children: t("storeAddress.label") }}
          hint={t("storeAddress.hint")}
          textareaProps={{
            ...getTextareaProps(fields.address),
            rows: 4,
            maxLength: 300,
            autoComplete: "street-address",
          }}
          errors={errorText(fields.address.errors)}
        />
        <CheckboxField
          labelProps={{ children: t("tenancy.loyaltyEnabled") }}
          inputProps={getInputProps(fields.loyaltyEnabled, { type: "checkbox" })}
          errors={errorText(fields.loyaltyEnabled.errors)}
        />
        <CheckboxField
          labelProps={{ children: t("onlineOnlyStore.label") }}
          inputProps={getInputProps(fields.onlineOnly, { type: "checkbox" })}
          errors={errorText(fields.onlineOnly.errors)}
        />
        <SubmitButton>{t("tenancy.save")}</SubmitButton>
      </Form>
      {loaderData.counter ? <StoreCounter counter={loaderData.counter} /> : null}
    </>
  );
}

/** The store's counter, as its managers see it in the merchant portal: read-only here. */
async function storeCounter(context: Route.LoaderArgs["context"], scope: Scope, store: Store) {
  const [staff, devices] = await Promise.all([
    listCounterStaff(context.db, scope, store.id),
    listDevices(context.db, scope, store.id),
  ]);
  const time = (value: Date | null) =>
    value ? formatDate(context.locale, value, { timeZone: store.timezone, withTime: true }) : null;
  return {
    staff: staff.map((member) => ({
      id: member.id,
      name: member.displayName,
      active: member.deactivatedAt === null,
      locked: member.pinLockedAt !== null,
      hasPin: member.hasPin,
      lastActive: time(member.lastActiveAt),
    })),
    devices: devices.map((device) => ({
      id: device.id,
      name: device.name,
      lastSeen: time(device.lastSeenAt),
      revokedAt: time(device.revokedAt),
    })),
  };
}

function StoreCounter({ counter }: { counter: NonNullable<Route.ComponentProps["loaderData"]["counter"]> }) {
  const { t } = useTranslation("console");
  return (
    <section aria-labelledby="store-counter">
      <h2 id="store-counter">{t("counter.admin.title")}</h2>
      <p>{t("counter.admin.intro")}</p>
      <h3>{t("counter.nav.staff")}</h3>
      {counter.staff.length === 0 ? (
        <p>{t("counter.staff.none")}</p>
      ) : (
        <DataTable
          caption={t("counter.nav.staff")}
          rows={counter.staff}
          rowKey={(member) => member.id}
          columns={[
            { header: t("counter.staff.name"), cell: (member) => member.name },
            { header: t("counter.staff.status"), cell: (member) => <CounterStaffStatus member={member} /> },
            { header: t("counter.staff.lastActive"), cell: (member) => member.lastActive ?? t("counter.staff.never") },
          ]}
        />
      )}
      <h3>{t("counter.nav.devices")}</h3>
      {counter.devices.length === 0 ? (
        <p>{t("counter.devices.none")}</p>
      ) : (
        <DataTable
          caption={t("counter.nav.devices")}
          rows={counter.devices}
          rowKey={(device) => device.id}
          columns={[
            { header: t("counter.devices.name"), cell: (device) => device.name },
            { header: t("counter.devices.status"), cell: (device) => <DeviceStatus revokedAt={device.revokedAt} /> },
            { header: t("counter.devices.lastSeen"), cell: (device) => device.lastSeen ?? t("counter.devices.never") },
          ]}
        />
      )}
    </section>
  );
}

/** The store's description in each language, one textarea per locale. */
function DescriptionFields({
  fields,
  errorText,
}: {
  fields: Record<Locale, FieldMetadata<string | undefined>>;
  errorText: ErrorText;
}) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <fieldset className="field">
      <legend>{t("tenancy.description")}</legend>
      <p className="field-hint">{t("tenancy.descriptionHint")}</p>
      <div className="translations">
        {locales.map((locale) => (
          <TextareaField
            key={locale}
            labelProps={{ children: t(`common:languageNames.${locale}`) }}
            textareaProps={{
              ...getTextareaProps(fields[locale]),
              id: `store-description-${locale}`,
              lang: locale,
              rows: 4,
              maxLength: 2000,
            }}
            errors={errorText(fields[locale].errors)}
          />
        ))}
      </div>
    </fieldset>
  );
}
