import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, redirect, useSearchParams } from "react-router";
import type { z } from "zod";
import { FieldError } from "~/errors";
import { readForm } from "~/http/form.server";
import { inviteUser, storeOptions, updateUser, userById } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { roles } from "~/modules/auth/schema";
import { merchantOptions } from "~/modules/loyalty/program-admin.server";
import { type Scope, scopeOf } from "~/modules/scope/scope";
import { InviteeFields } from "~/routes/shared/invitee-fields";
import { recordOr404 } from "~/routes/shared/records.server";
import { CheckboxField, ChoiceFieldset, FormPageHeading, SelectField, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/user-edit";
import { editUserSchema, inviteUserSchema } from "./user-schema";

/** The user being edited, or null on the "new" page. */
function loadUser(context: Route.LoaderArgs["context"], scope: Scope, userId: string | undefined) {
  return userId === undefined ? null : recordOr404(userId, (id) => userById(context.db, scope, id));
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
  if (existing) {
    const submission = parseWithZod(formData, { schema: editUserSchema });
    if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
    try {
      await updateUser(context.db, actor, existing.id, submission.value);
    } catch (error) {
      if (error instanceof FieldError)
        return data({ result: submission.reply({ fieldErrors: error.fieldErrors }) }, { status: 400 });
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
    if (error instanceof FieldError)
      return data({ result: submission.reply({ fieldErrors: error.fieldErrors }) }, { status: 400 });
    throw error;
  }
}

/** The fields of both forms: inviting adds email, name and language; editing adds "active". */
type UserForm = z.input<typeof editUserSchema> &
  Partial<Pick<z.input<typeof inviteUserSchema>, "email" | "name" | "preferredLanguage">>;

export default function UserEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const editing = loaderData.user !== null;
  const { form, fields, errorText, errorSummary } = useRouteForm<UserForm, unknown>({
    id: "user",
    // One form, two schemas (invite / edit): the edit form simply has no email, name or language fields.
    schema: editing ? editUserSchema : inviteUserSchema,
    lastResult: actionData?.result,
    namespace: "console",
    defaultValue: loaderData.user?.values ?? { role: "merchant_owner", preferredLanguage: "fr" },
  });
  const title = loaderData.user ? t("users.editTitle", { name: loaderData.user.name }) : t("users.inviteTitle");
  const summary = errorSummary({
    "user-email": fields.email,
    "user-name": fields.name,
    "user-role": fields.role,
    "user-merchantId": fields.merchantId,
    "user-storeId": fields.storeId,
  });
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
        {!editing ? <InviteeFields fields={fields} errorText={errorText} /> : null}
        <ChoiceFieldset
          id="user-role"
          legend={t("users.role")}
          field={fields.role}
          type="radio"
          options={roles.map((role) => ({ value: role, label: t(`users.roles.${role}`) }))}
          errors={errorText(fields.role.errors)}
        />
        <SelectField
          labelProps={{ children: t("users.merchant") }}
          selectProps={getSelectProps(fields.merchantId)}
          options={[
            { value: "", label: t("users.chooseMerchant") },
            ...loaderData.merchants.map((m) => ({ value: m.id, label: m.name })),
          ]}
          errors={errorText(fields.merchantId.errors)}
        />
        <SelectField
          labelProps={{ children: t("users.store") }}
          selectProps={getSelectProps(fields.storeId)}
          options={[
            { value: "", label: t("users.chooseStore") },
            ...loaderData.stores.map((s) => ({ value: s.id, label: s.name })),
          ]}
          errors={errorText(fields.storeId.errors)}
        />
        {editing ? (
          <CheckboxField
            labelProps={{ children: t("users.activeLabel") }}
            inputProps={getInputProps(fields.active, { type: "checkbox" })}
          />
        ) : null}
        <SubmitButton>{editing ? t("users.save") : t("users.sendInvitation")}</SubmitButton>
      </Form>
    </>
  );
}
