import { type FieldMetadata, getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import type { RouteHandle } from "~/http/route-handle";
import { type DatePart, dateFieldOrder } from "~/i18n/format";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { phoneExample } from "~/modules/loyalty/phone.server";
import { storeCountry } from "~/modules/tenancy/country";
import { CheckboxField, ErrorList, ErrorSummary, Field, FormMessage, SubmitButton, useServerForm } from "~/ui/fields";
import { switchLanguageIntent } from "~/ui/language-switcher";
import type { Route } from "./+types/join";
import { joinSchema } from "./join-schema.server";
import { requireStorefront } from "./storefront.server";

/** The form's fields as the browser sends them (checked by `joinSchema` on the server only). */
type JoinInput = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  birthday: { day: string; month: string; year: string };
  terms: boolean;
  marketing: boolean;
};

/** Switching language keeps what the shopper typed; the empty form is rendered once per store and language (ADR 036). */
export const handle = { languageKeepsForm: "join", renderMemo: true } satisfies RouteHandle;

export async function loader({ context }: Route.LoaderArgs) {
  const { store, merchant, program } = requireStorefront(context);
  return {
    storeName: store.name,
    termsUrl: program.termsUrl ?? "/terms",
    privacyUrl: merchant.privacyUrl ?? "/privacy",
    // Decided on the server: the browser's Intl may lack a locale (Chromium has no `lb`) and hydrate another order.
    birthdayOrder: dateFieldOrder(context.locale),
    // The hint and the error show the same number, from the store's country.
    phoneExample: phoneExample(storeCountry(store)),
  };
}

/** Lets the action's Retry-After reach the browser on a 429. */
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { store } = requireStorefront(context);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: joinSchema(storeCountry(store)) });
  if (formData.get("intent") === switchLanguageIntent) {
    // A language switch, not a sign-up: the same form in the new language, filled in, no errors yet.
    return { result: { initialValue: submission.reply().initialValue }, rateLimited: false };
  }
  if (submission.status !== "success") {
    return data({ result: submission.reply(), rateLimited: false }, { status: 400 });
  }
  const refused = await refuseOverAddressLimit(context, "enroll", { result: submission.reply(), rateLimited: true });
  if (refused) return refused;
  const values = submission.value;
  const result = await enrollCustomer(context.db, store, {
    firstName: values.firstName,
    lastName: values.lastName,
    email: values.email,
    phone: values.phone,
    birthDate: values.birthday,
    marketingConsent: values.marketing,
    locale: context.locale,
  });
  if (result.status === "existing") return redirect("/loyalty/join/success?existing=1");
  return redirect(`/loyalty/join/success?card=${encodeURIComponent(result.publicToken)}`);
}

export default function Join({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["storefront", "common"]);
  const { form, fields, errorText, errorSummary } = useServerForm<JoinInput>({
    id: "join",
    lastResult: actionData?.result,
    namespace: "storefront",
    errorValues: loaderData.phoneExample,
  });
  const order = loaderData.birthdayOrder;
  const summary = errorSummary({
    firstName: fields.firstName,
    lastName: fields.lastName,
    email: fields.email,
    phone: fields.phone,
    [`birthday-${order[0]}`]: fields.birthday,
    terms: fields.terms,
  });
  const title = t("join.title", { store: loaderData.storeName });
  /** The join page's ids are the field names (the e-mail links and the journeys point at them). */
  const input = (key: "firstName" | "lastName" | "email" | "phone", type: "text" | "email" | "tel") => ({
    ...getInputProps(fields[key], { type }),
    id: key,
  });
  return (
    <main id="main" className="page page-narrow">
      <title>
        {summary.length ? t("common:form.titleWithErrors", { problem: t("common:form.errorSummary"), title }) : title}
      </title>
      <h1>{title}</h1>
      <p>{t("join.intro")}</p>
      {actionData?.rateLimited ? <FormMessage tone="error">{t("join.errors.rateLimited")}</FormMessage> : null}
      <ErrorSummary title={t("common:form.errorSummary")} items={summary} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <Field
          labelProps={{ children: t("join.firstName") }}
          inputProps={{ ...input("firstName", "text"), autoComplete: "given-name", required: true, maxLength: 100 }}
          errors={errorText(fields.firstName.errors)}
        />
        <Field
          labelProps={{ children: t("join.lastName") }}
          inputProps={{ ...input("lastName", "text"), autoComplete: "family-name", required: true, maxLength: 100 }}
          errors={errorText(fields.lastName.errors)}
        />
        <Field
          labelProps={{ children: t("join.email") }}
          hint={t("join.emailHint")}
          inputProps={{
            ...input("email", "email"),
            inputMode: "email",
            autoComplete: "email",
            required: true,
            maxLength: 254,
          }}
          errors={errorText(fields.email.errors)}
        />
        <Field
          labelProps={{ children: t("join.phone") }}
          hint={t("join.phoneHint", loaderData.phoneExample)}
          inputProps={{ ...input("phone", "tel"), inputMode: "tel", autoComplete: "tel", maxLength: 32 }}
          errors={errorText(fields.phone.errors)}
        />
        <BirthdayFields
          parts={fields.birthday.getFieldset()}
          order={order}
          errors={errorText(fields.birthday.errors)}
        />
        <CheckboxField
          labelProps={{ children: t("join.terms") }}
          inputProps={{ ...getInputProps(fields.terms, { type: "checkbox" }), id: "terms", "aria-required": true }}
          errors={errorText(fields.terms.errors)}
        >
          <a className="terms-link" href={loaderData.termsUrl} target="_blank" rel="noopener">
            {t("join.termsLink")}
          </a>{" "}
          <a className="terms-link" href={loaderData.privacyUrl} target="_blank" rel="noopener">
            {t("join.privacyLink")}
          </a>
        </CheckboxField>
        <CheckboxField
          labelProps={{ children: t("join.marketing") }}
          inputProps={{ ...getInputProps(fields.marketing, { type: "checkbox" }), id: "marketing" }}
        />
        <SubmitButton>{t("join.submit")}</SubmitButton>
      </Form>
    </main>
  );
}

const birthdayAutocomplete = { day: "bday-day", month: "bday-month", year: "bday-year" } as const;

/** Day, month and year as three inputs in the locale's order, with one hint and one error for the group. */
function BirthdayFields({
  parts,
  order,
  errors,
}: {
  parts: Record<DatePart, FieldMetadata<string | undefined>>;
  order: readonly DatePart[];
  errors: string[];
}) {
  const { t } = useTranslation("storefront");
  return (
    <fieldset
      className={errors.length ? "field date-field field-invalid" : "field date-field"}
      aria-describedby={`birthday-hint${errors.length ? " birthday-error" : ""}`}
    >
      <legend>{t("join.birthday")}</legend>
      <p id="birthday-hint" className="field-hint">
        {t("join.birthdayHint")}
      </p>
      <ErrorList id="birthday-error" errors={errors} />
      <div className="date-inputs">
        {order.map((part) => (
          <div key={part} className={`date-part date-part-${part}`}>
            <label htmlFor={`birthday-${part}`}>{t(`join.${part}`)}</label>
            <input
              {...getInputProps(parts[part], { type: "text", ariaAttributes: false })}
              id={`birthday-${part}`}
              inputMode="numeric"
              pattern="[0-9]*"
              maxLength={part === "year" ? 4 : 2}
              autoComplete={birthdayAutocomplete[part]}
              aria-invalid={errors.length ? true : undefined}
            />
          </div>
        ))}
      </div>
    </fieldset>
  );
}
