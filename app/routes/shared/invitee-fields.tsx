import { type FieldMetadata, getInputProps, getSelectProps } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { locales } from "~/i18n/locales";
import { Field, SelectField } from "~/ui/form";

type TextField = FieldMetadata<string | undefined, Record<string, unknown>, string[]>;

/**
 * Who is invited to a staff account: email, name and the language of their emails and pages,
 * the same on the admin's and the merchant owner's invitation; `children` (a scope choice) go
 * before the language.
 */
export function InviteeFields({
  fields,
  errorText,
  children,
}: {
  fields: { email: TextField; name: TextField; preferredLanguage: TextField };
  errorText: (errors: string[] | undefined) => string[];
  children?: ReactNode;
}) {
  const { t } = useTranslation(["console", "common"]);
  return (
    <>
      <Field
        labelProps={{ children: t("users.email") }}
        inputProps={{
          ...getInputProps(fields.email, { type: "email" }),
          autoComplete: "off",
          required: true,
          maxLength: 254,
        }}
        errors={errorText(fields.email.errors)}
      />
      <Field
        labelProps={{ children: t("users.name") }}
        inputProps={{
          ...getInputProps(fields.name, { type: "text" }),
          autoComplete: "off",
          required: true,
          maxLength: 100,
        }}
        errors={errorText(fields.name.errors)}
      />
      {children}
      <SelectField
        labelProps={{ children: t("users.language") }}
        selectProps={getSelectProps(fields.preferredLanguage)}
        options={locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }))}
        errors={errorText(fields.preferredLanguage.errors)}
      />
    </>
  );
}
