import { getFormProps, getInputProps, type Submission, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { readForm } from "~/http/form.server";
import { locales } from "~/i18n/locales";
import { AccountFieldError, inviteUser, storeOptions, updateUser, userById } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { roles } from "~/modules/auth/schema";
import { merchantOptions } from "~/modules/loyalty/program-admin.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { FieldError, FormPageHeading, SelectField, SubmitButton, TextField, useErrorText } from "~/ui/form";
import type { Route } from "./+types/user-edit";
import { editUserSchema, inviteUserSchema } from "./user-schema";

async function loadUser(context: Route.LoaderArgs["context"], scope: Scope, userId: string | undefined) {
  if (userId === undefined) return null;
  const id = z.uuid().safeParse(userId);
  const user = id.success ? await userById(context.db, scope, id.data) : null;
  if (!user) throw data({ code: "notFound" }, { status: 404 });
  return user;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = scopeOf(requireRole(context, request, ["platform_admin"]));
  const user = await loadUser(context, scope, params.userId);
  const [merchants, stores] = await Promise.all([merchantOptions(context.db, scope), storeOptions(context.db, scope)]);
  return {
    merchants,
    stores,
    user: user && {
      name: user.name,
      email: user.email,
      values: {
        role: user.role,
        merchantId: user.merchantId ?? "",
        storeId: user.storeId ?? "",
        active: user.active ? "on" : "",
      },
    },
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["platform_admin"]);
  const existing = await loadUser(context, scopeOf(actor), params.userId);
  const formData = await readForm(request);
  const fieldErrors = (error: AccountFieldError) => ({ fieldErrors: { [error.field]: [error.messageKey] } });
  if (existing) {
    const submission = parseWithZod(formData, { schema: editUserSchema });
    if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
    try {
      await updateUser(context.db, actor, existing.id, submission.value);
    } catch (error) {
      if (error instanceof AccountFieldError)
        return data({ result: submission.reply(fieldErrors(error)) }, { status: 400 });
      throw error;
    }
    return redirect(`/admin/users/${existing.id}?saved=1`);
  }
  const submission = parseWithZod(formData, { schema: inviteUserSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    const user = await inviteUser(context.db, actor, submission.value);
    return redirect(`/admin/users/${user.id}?invited=1`);
  } catch (error) {
    if (error instanceof AccountFieldError)
      return data({ result: submission.reply(fieldErrors(error)) }, { status: 400 });
    throw error;
  }
}

type UserForm = z.output<typeof inviteUserSchema> & { active?: boolean };

export default function UserEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const errorText = useErrorText("console");
  const [searchParams] = useSearchParams();
  const editing = loaderData.user !== null;
  const [form, fields] = useForm<UserForm>({
    id: "user",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    defaultValue: loaderData.user?.values ?? { role: "merchant_owner", preferredLanguage: "fr" },
    // One form, two schemas (invite / edit): the edit form simply has no email, name or language fields.
    onValidate: ({ formData }) =>
      (editing
        ? parseWithZod(formData, { schema: editUserSchema })
        : parseWithZod(formData, { schema: inviteUserSchema })) as unknown as Submission<UserForm>,
  });
  const title = loaderData.user ? t("users.editTitle", { name: loaderData.user.name }) : t("users.inviteTitle");
  const keys = ["email", "name", "role", "merchantId", "storeId"] as const;
  const summary = keys.flatMap((key) => errorText(fields[key].errors).map((text) => ({ href: `#user-${key}`, text })));
  const roleErrors = errorText(fields.role.errors);
  return (
    <>
      <FormPageHeading
        title={title}
        errors={summary}
        notices={[
          searchParams.get("invited") ? t("users.invited", { email: loaderData.user?.email ?? "" }) : null,
          searchParams.get("saved") ? t("users.saved") : null,
        ]}
      />
      {!editing ? <p>{t("users.inviteIntro")}</p> : <p>{loaderData.user?.email}</p>}
      <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
        {!editing ? (
          <>
            <TextField
              id="user-email"
              name={fields.email.name}
              type="email"
              label={t("users.email")}
              autoComplete="off"
              required
              maxLength={254}
              defaultValue={fields.email.initialValue}
              errors={errorText(fields.email.errors)}
            />
            <TextField
              id="user-name"
              name={fields.name.name}
              label={t("users.name")}
              autoComplete="off"
              required
              maxLength={100}
              defaultValue={fields.name.initialValue}
              errors={errorText(fields.name.errors)}
            />
            <SelectField
              id="user-preferredLanguage"
              name={fields.preferredLanguage.name}
              label={t("users.language")}
              defaultValue={fields.preferredLanguage.initialValue}
              errors={errorText(fields.preferredLanguage.errors)}
              options={locales.map((locale) => ({ value: locale, label: t(`common:languageNames.${locale}`) }))}
            />
          </>
        ) : null}
        <fieldset
          className={roleErrors.length ? "field field-invalid" : "field"}
          id="user-role"
          aria-describedby={roleErrors.length ? "user-role-error" : undefined}
        >
          <legend>{t("users.role")}</legend>
          <FieldError id="user-role-error" errors={roleErrors} />
          {roles.map((role) => (
            <div key={role} className="checkbox-field">
              <input
                type="radio"
                id={`user-role-${role}`}
                name={fields.role.name}
                value={role}
                defaultChecked={fields.role.initialValue === role}
              />
              <label htmlFor={`user-role-${role}`}>{t(`users.roles.${role}`)}</label>
            </div>
          ))}
        </fieldset>
        <SelectField
          id="user-merchantId"
          name={fields.merchantId.name}
          label={t("users.merchant")}
          defaultValue={fields.merchantId.initialValue}
          errors={errorText(fields.merchantId.errors)}
          options={[
            { value: "", label: t("users.chooseMerchant") },
            ...loaderData.merchants.map((m) => ({ value: m.id, label: m.name })),
          ]}
        />
        <SelectField
          id="user-storeId"
          name={fields.storeId.name}
          label={t("users.store")}
          defaultValue={fields.storeId.initialValue}
          errors={errorText(fields.storeId.errors)}
          options={[
            { value: "", label: t("users.chooseStore") },
            ...loaderData.stores.map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
        {editing ? (
          <div className="field checkbox-field">
            <input {...getInputProps(fields.active, { type: "checkbox" })} id="user-active" />
            <label htmlFor="user-active">{t("users.activeLabel")}</label>
          </div>
        ) : null}
        <SubmitButton>{editing ? t("users.save") : t("users.sendInvitation")}</SubmitButton>
      </Form>
    </>
  );
}
