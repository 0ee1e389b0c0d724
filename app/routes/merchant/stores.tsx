import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { accessDenied, FieldError } from "~/errors";
import { readForm } from "~/http/form.server";
import { refuseOverAddressLimit } from "~/http/rate-limit.server";
import { formatDate } from "~/i18n/format";
import { inviteStoreManager } from "~/modules/auth/accounts.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { merchantStoresAndStaff } from "~/modules/tenancy/merchant-view.server";
import { storeOrigin } from "~/modules/tenancy/stores.server";
import { storeById } from "~/modules/tenancy/tenant-admin.server";
import { InviteeFields } from "~/routes/shared/invitee-fields";
import { DataTable } from "~/ui/data-table";
import { FormMessage, FormPageHeading, SelectField, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/stores";
import { inviteStoreManagerSchema } from "./store-manager-schema";

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const scope = scopeOf(actor);
  if (scope.kind === "platform") throw new Error("merchant portal without a merchant scope");
  const { stores, staff } = await merchantStoresAndStaff(context.db, scope);
  return {
    // Owners invite managers for their stores; managers see the list only.
    canInvite: actor.role === "merchant_owner",
    locale: context.locale,
    stores: stores.map((store) => ({
      id: store.id,
      name: store.name,
      url: storeOrigin(context.config.platformOrigin, store),
      defaultLanguage: store.defaultLanguage,
      languages: store.enabledLanguages,
      loyaltyEnabled: store.loyaltyEnabled,
    })),
    staff: staff.map(({ user, storeName }) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      storeName,
      lastLogin: user.lastLoginAt
        ? formatDate(context.locale, user.lastLoginAt, { withTime: true, timeZone: "Europe/Luxembourg" })
        : null,
    })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireRole(context, request, ["merchant_owner"]);
  const form = await readForm(request);
  // Authorization before validation: another merchant's store is refused whatever else the form holds.
  const storeId = z.uuid().safeParse(form.get("storeId"));
  if (storeId.success && !(await storeById(context.db, scopeOf(actor), storeId.data))) throw accessDenied();
  const submission = parseWithZod(form, { schema: inviteStoreManagerSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), tooMany: false }, { status: 400 });
  const limited = await refuseOverAddressLimit(context, "invite", { result: submission.reply(), tooMany: true });
  if (limited) return limited;
  try {
    const user = await inviteStoreManager(context.db, actor, submission.value);
    return redirect(`/merchant/stores?invited=${encodeURIComponent(user.email)}#invite-heading`);
  } catch (error) {
    if (error instanceof FieldError)
      return data({ result: submission.reply({ fieldErrors: error.fieldErrors }), tooMany: false }, { status: 400 });
    throw error;
  }
}

export default function MerchantStores({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const [searchParams] = useSearchParams();
  const invited = searchParams.get("invited");
  const { form, fields, errorText, errorSummary } = useRouteForm<
    z.input<typeof inviteStoreManagerSchema>,
    z.output<typeof inviteStoreManagerSchema>
  >({
    id: "manager",
    schema: inviteStoreManagerSchema,
    lastResult: actionData?.result,
    namespace: "console",
    defaultValue: { preferredLanguage: loaderData.locale },
  });
  const summary = errorSummary({
    "manager-email": fields.email,
    "manager-name": fields.name,
    "manager-storeId": fields.storeId,
  });
  return (
    <>
      <FormPageHeading
        title={t("merchantStores.title")}
        errors={summary}
        notices={[invited ? t("storeManagers.invited", { email: invited }) : null]}
      />
      <section aria-labelledby="stores-heading">
        <h2 id="stores-heading">{t("shell.nav.stores")}</h2>
        <DataTable
          caption={t("shell.nav.stores")}
          rows={loaderData.stores}
          rowKey={(store) => store.id}
          columns={[
            { header: t("stores.store"), cell: (store) => store.name },
            {
              header: t("stores.address"),
              cell: (store) => <a href={store.url}>{store.url.replace(/^https?:\/\//, "")}</a>,
            },
            {
              header: t("stores.defaultLanguage"),
              cell: (store) => t(`common:languageNames.${store.defaultLanguage}`),
            },
            {
              header: t("merchantStores.languages"),
              cell: (store) => store.languages.map((language) => t(`common:languageNames.${language}`)).join(", "),
            },
            {
              header: t("counter.stores.column"),
              cell: (store) => (
                <span className="inline-group">
                  <Link
                    to={`/merchant/counter-staff/${store.id}`}
                    aria-label={t("counter.stores.staffOf", { store: store.name })}
                  >
                    {t("counter.nav.staff")}
                  </Link>
                  <Link
                    to={`/merchant/devices/${store.id}`}
                    aria-label={t("counter.stores.devicesOf", { store: store.name })}
                  >
                    {t("counter.nav.devices")}
                  </Link>
                </span>
              ),
            },
            {
              header: t("stores.loyalty"),
              cell: (store) => (
                <span className={store.loyaltyEnabled ? "badge badge-on" : "badge badge-off"}>
                  {store.loyaltyEnabled ? t("stores.loyaltyOn") : t("stores.loyaltyOff")}
                </span>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t("merchantStores.staff")}</h2>
        {loaderData.staff.length === 0 ? (
          <p className="panel">{t("merchantStores.noStaff")}</p>
        ) : (
          <DataTable
            caption={t("merchantStores.staff")}
            rows={loaderData.staff}
            rowKey={(member) => member.id}
            columns={[
              { header: t("users.name"), cell: (member) => member.name },
              { header: t("users.email"), cell: (member) => member.email },
              { header: t("users.role"), cell: (member) => t(`users.roles.${member.role}`) },
              { header: t("users.store"), cell: (member) => member.storeName ?? t("card.nobody") },
              { header: t("users.lastLogin"), cell: (member) => member.lastLogin ?? t("users.never") },
            ]}
          />
        )}
      </section>
      {loaderData.canInvite ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">{t("storeManagers.heading")}</h2>
          <p>{t("storeManagers.intro")}</p>
          {actionData?.tooMany ? <FormMessage tone="error">{t("storeManagers.tooMany")}</FormMessage> : null}
          <Form method="post" {...getFormProps(form)} noValidate className="page-narrow">
            <InviteeFields fields={fields} errorText={errorText}>
              <SelectField
                labelProps={{ children: t("users.store") }}
                selectProps={{ ...getSelectProps(fields.storeId), required: true }}
                options={[
                  { value: "", label: t("users.chooseStore") },
                  ...loaderData.stores.map((store) => ({ value: store.id, label: store.name })),
                ]}
                errors={errorText(fields.storeId.errors)}
              />
            </InviteeFields>
            <SubmitButton>{t("storeManagers.submit")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
