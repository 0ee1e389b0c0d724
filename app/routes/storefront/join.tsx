import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect } from "react-router";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { dateFieldOrder } from "~/i18n/format";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { ErrorSummary, FieldError, FormMessage, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/join";
import { joinSchema } from "./join-schema";
import { requireStorefront } from "./storefront.server";

export async function loader({ context }: Route.LoaderArgs) {
  const { store, program } = await requireStorefront(context);
  return { storeName: store.name, termsUrl: program.termsUrl, locale: context.locale };
}

/** Lets the action's Retry-After reach the browser on a 429. */
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { store } = await requireStorefront(context);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: joinSchema });
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
  const { t } = useTranslation("storefront");
  const errorText = useErrorText("storefront");
  const [form, fields] = useForm({
    id: "join",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: joinSchema }),
  });
  const birthday = fields.birthday.getFieldset();
  const order = dateFieldOrder(loaderData.locale);
  const summary = [
    ["firstName", fields.firstName],
    ["lastName", fields.lastName],
    ["email", fields.email],
    ["phone", fields.phone],
    [`birthday-${order[0]}`, fields.birthday],
    ["terms", fields.terms],
  ] as const;
  const summaryItems = summary.flatMap(([id, field]) =>
    errorText(field.errors).map((text) => ({ href: `#${id}`, text })),
  );
  const birthdayErrors = errorText(fields.birthday.errors);
  const termsErrors = errorText(fields.terms.errors);
  const title = t("join.title", { store: loaderData.storeName });
  const bday = { day: birthday.day, month: birthday.month, year: birthday.year };
  const bdayAutocomplete = { day: "bday-day", month: "bday-month", year: "bday-year" } as const;
  return (
    <main id="main" className="page page-narrow">
      <title>{summaryItems.length ? `${t("join.errorSummary")}: ${title}` : title}</title>
      <h1>{title}</h1>
      <p>{t("join.intro")}</p>
      {actionData?.rateLimited ? <FormMessage tone="error">{t("join.errors.rateLimited")}</FormMessage> : null}
      <ErrorSummary title={t("join.errorSummary")} items={summaryItems} />
      <Form method="post" {...getFormProps(form)} noValidate>
        <TextField
          id="firstName"
          name={fields.firstName.name}
          label={t("join.firstName")}
          autoComplete="given-name"
          required
          maxLength={100}
          defaultValue={fields.firstName.initialValue}
          errors={errorText(fields.firstName.errors)}
        />
        <TextField
          id="lastName"
          name={fields.lastName.name}
          label={t("join.lastName")}
          autoComplete="family-name"
          required
          maxLength={100}
          defaultValue={fields.lastName.initialValue}
          errors={errorText(fields.lastName.errors)}
        />
        <TextField
          id="email"
          name={fields.email.name}
          type="email"
          inputMode="email"
          label={t("join.email")}
          hint={t("join.emailHint")}
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={fields.email.initialValue}
          errors={errorText(fields.email.errors)}
        />
        <TextField
          id="phone"
          name={fields.phone.name}
          type="tel"
          inputMode="tel"
          label={t("join.phone")}
          hint={t("join.phoneHint")}
          autoComplete="tel"
          maxLength={32}
          defaultValue={fields.phone.initialValue}
          errors={errorText(fields.phone.errors)}
        />
        <fieldset
          className={birthdayErrors.length ? "field date-field field-invalid" : "field date-field"}
          aria-describedby={`birthday-hint${birthdayErrors.length ? " birthday-error" : ""}`}
        >
          <legend>{t("join.birthday")}</legend>
          <p id="birthday-hint" className="field-hint">
            {t("join.birthdayHint")}
          </p>
          <FieldError id="birthday-error" errors={birthdayErrors} />
          <div className="date-inputs">
            {order.map((part) => (
              <div key={part} className={`date-part date-part-${part}`}>
                <label htmlFor={`birthday-${part}`}>{t(`join.${part}`)}</label>
                <input
                  id={`birthday-${part}`}
                  name={bday[part].name}
                  defaultValue={bday[part].initialValue}
                  inputMode="numeric"
                  pattern="[0-9]*"
                  maxLength={part === "year" ? 4 : 2}
                  autoComplete={bdayAutocomplete[part]}
                  aria-invalid={birthdayErrors.length ? true : undefined}
                />
              </div>
            ))}
          </div>
        </fieldset>
        <div className={termsErrors.length ? "field checkbox-field field-invalid" : "field checkbox-field"}>
          <FieldError id="terms-error" errors={termsErrors} />
          <input
            {...getInputProps(fields.terms, { type: "checkbox" })}
            id="terms"
            aria-required
            aria-invalid={termsErrors.length ? true : undefined}
            aria-describedby={termsErrors.length ? "terms-error" : undefined}
          />
          <label htmlFor="terms">{t("join.terms")}</label>
          {loaderData.termsUrl ? (
            <a className="terms-link" href={loaderData.termsUrl} target="_blank" rel="noopener">
              {t("join.termsLink")}
            </a>
          ) : null}
        </div>
        <div className="field checkbox-field">
          <input {...getInputProps(fields.marketing, { type: "checkbox" })} id="marketing" />
          <label htmlFor="marketing">{t("join.marketing")}</label>
        </div>
        <SubmitButton>{t("join.submit")}</SubmitButton>
      </Form>
    </main>
  );
}
