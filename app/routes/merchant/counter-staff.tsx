import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { readForm } from "~/http/form.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { scopeOf } from "~/modules/scope/scope";
import { createCounterStaff, listCounterStaff } from "~/modules/terminal/counter-staff.server";
import { maxStaffNameLength } from "~/modules/terminal/rules";
import { CounterStaffStatus, PinFields } from "~/ui/counter";
import { DataTable } from "~/ui/data-table";
import { Field, FormPageHeading, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/counter-staff";
import { counterStore, counterTime, refused, withFieldRefusals } from "./counter.server";
import { createStaffSchema } from "./counter-schema";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const store = await counterStore(context, actor, params.storeId);
  const members = await listCounterStaff(context.db, scopeOf(actor), store.id);
  const added = new URL(request.url).searchParams.get("added");
  return {
    added: members.find((member) => member.id === added)?.displayName ?? null,
    store: { id: store.id, name: store.name },
    members: members.map((member) => ({
      id: member.id,
      name: member.displayName,
      active: member.deactivatedAt === null,
      locked: member.pinLockedAt !== null,
      hasPin: member.hasPin,
      lastActive: counterTime(context, store, member.lastActiveAt),
    })),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  // The store before anything the form says: another tenant's store is a 404 whatever was posted.
  const store = await counterStore(context, actor, params.storeId);
  const submission = parseWithZod(await readForm(request), { schema: createStaffSchema });
  if (submission.status !== "success")
    return refused("create", submission.reply({ hideFields: ["pin", "pinConfirm"] }));
  const { displayName, pin } = submission.value;
  let added = "";
  const fieldErrors = await withFieldRefusals(
    async () => {
      added = (await createCounterStaff(context.db, actor, { storeId: store.id, displayName, pin })).id;
    },
    { pin: "pin", name: "displayName" },
  );
  if (fieldErrors) return refused("create", submission.reply({ fieldErrors, hideFields: ["pin", "pinConfirm"] }));
  return redirect(`/merchant/counter-staff/${store.id}?added=${added}`);
}

export default function CounterStaffPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { store, members, added } = loaderData;
  const { form, fields, errorText, errorSummary } = useRouteForm<
    z.input<typeof createStaffSchema>,
    z.output<typeof createStaffSchema>
  >({
    id: "counter-staff-new",
    schema: createStaffSchema,
    lastResult: actionData?.result,
    namespace: "console",
  });
  const summary = errorSummary({
    [fields.displayName.id]: fields.displayName,
    [fields.pin.id]: fields.pin,
    [fields.pinConfirm.id]: fields.pinConfirm,
  });
  return (
    <>
      <FormPageHeading
        title={t("counter.staff.title", { store: store.name })}
        errors={summary}
        notices={[added ? t("counter.staff.added", { name: added }) : null]}
      />
      <p>{t("counter.staff.intro")}</p>
      <section aria-labelledby="counter-staff-list">
        <h2 id="counter-staff-list">{t("counter.staff.listTitle")}</h2>
        {members.length === 0 ? (
          <p className="panel">{t("counter.staff.none")}</p>
        ) : (
          <DataTable
            caption={t("counter.staff.listTitle")}
            rows={members}
            rowKey={(member) => member.id}
            columns={[
              {
                header: t("counter.staff.name"),
                cell: (member) => (
                  <Link
                    to={`/merchant/counter-staff/${store.id}/${member.id}`}
                    aria-label={t("counter.staff.manageLabel", { name: member.name })}
                  >
                    {member.name}
                  </Link>
                ),
              },
              { header: t("counter.staff.status"), cell: (member) => <CounterStaffStatus member={member} /> },
              {
                header: t("counter.staff.lastActive"),
                cell: (member) => member.lastActive ?? t("counter.staff.never"),
              },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="counter-staff-add" className="panel page-narrow">
        <h2 id="counter-staff-add">{t("counter.staff.addTitle")}</h2>
        <Form method="post" {...getFormProps(form)} noValidate>
          <Field
            labelProps={{ children: t("counter.staff.name") }}
            hint={t("counter.staff.nameHint")}
            inputProps={{
              ...getInputProps(fields.displayName, { type: "text" }),
              autoComplete: "off",
              required: true,
              maxLength: maxStaffNameLength,
            }}
            errors={errorText(fields.displayName.errors)}
          />
          <PinFields fields={fields} errorText={errorText} />
          <SubmitButton>{t("counter.staff.add")}</SubmitButton>
        </Form>
      </section>
      <p>
        <Link to={`/merchant/devices/${store.id}`}>{t("counter.staff.devicesLink")}</Link>
      </p>
    </>
  );
}
