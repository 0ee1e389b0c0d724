import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { badRequest } from "~/errors";
import { readForm } from "~/http/form.server";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import {
  deactivateCounterStaff,
  pinLockThreshold,
  reactivateCounterStaff,
  renameCounterStaff,
  setPin,
  unlockPin,
} from "~/modules/terminal/counter-staff.server";
import { maxStaffNameLength } from "~/modules/terminal/rules";
import { CounterStaffStatus, PinFields } from "~/ui/counter";
import { Field, FormPageHeading, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/counter-staff-member";
import { counterMember, counterStore, counterTime, refused, withFieldRefusals } from "./counter.server";
import { renameStaffSchema, setPinSchema } from "./counter-schema";

const outcomes = ["renamed", "pinSet", "unlocked", "deactivated", "reactivated"] as const;
type Outcome = (typeof outcomes)[number];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const store = await counterStore(context, actor, params.storeId);
  const member = await counterMember(context, actor, store, params.staffId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    store: { id: store.id, name: store.name },
    member: {
      id: member.id,
      name: member.displayName,
      active: member.deactivatedAt === null,
      locked: member.pinLockedAt !== null,
      hasPin: member.hasPin,
      lockedAt: counterTime(context, store, member.pinLockedAt),
      lastActive: counterTime(context, store, member.lastActiveAt),
    },
    done: outcomes.find((outcome) => outcome === done) ?? null,
    lockThreshold: pinLockThreshold,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  // Store and member before anything the form says: out of scope is a 404 whatever was posted.
  const store = await counterStore(context, actor, params.storeId);
  const member = await counterMember(context, actor, store, params.staffId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const done = (outcome: Outcome) => redirect(`/merchant/counter-staff/${store.id}/${member.id}?done=${outcome}`);
  if (intent === "rename") {
    const submission = parseWithZod(form, { schema: renameStaffSchema });
    if (submission.status !== "success") return refused(intent, submission.reply());
    const fieldErrors = await withFieldRefusals(
      () => renameCounterStaff(context.db, actor, member.id, submission.value.displayName),
      { name: "displayName" },
    );
    return fieldErrors ? refused(intent, submission.reply({ fieldErrors })) : done("renamed");
  }
  if (intent === "pin") {
    const hideFields = ["pin", "pinConfirm"];
    const submission = parseWithZod(form, { schema: setPinSchema });
    if (submission.status !== "success") return refused(intent, submission.reply({ hideFields }));
    const fieldErrors = await withFieldRefusals(() => setPin(context.db, actor, member.id, submission.value.pin), {
      pin: "pin",
    });
    return fieldErrors ? refused(intent, submission.reply({ fieldErrors, hideFields })) : done("pinSet");
  }
  if (intent === "unlock") {
    await unlockPin(context.db, actor, member.id);
    return done("unlocked");
  }
  if (intent === "deactivate") {
    await deactivateCounterStaff(context.db, actor, member.id);
    return done("deactivated");
  }
  if (intent === "reactivate") {
    await reactivateCounterStaff(context.db, actor, member.id);
    return done("reactivated");
  }
  throw badRequest();
}

export default function CounterStaffMember({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { store, member, done, lockThreshold } = loaderData;
  const rename = useRouteForm<z.input<typeof renameStaffSchema>, z.output<typeof renameStaffSchema>>({
    id: "counter-staff-rename",
    schema: renameStaffSchema,
    lastResult: actionData?.intent === "rename" ? actionData.result : undefined,
    namespace: "console",
    defaultValue: { displayName: member.name },
  });
  const pin = useRouteForm<z.input<typeof setPinSchema>, z.output<typeof setPinSchema>>({
    id: "counter-staff-pin",
    schema: setPinSchema,
    lastResult: actionData?.intent === "pin" ? actionData.result : undefined,
    namespace: "console",
  });
  const summary = [
    ...rename.errorSummary({ [rename.fields.displayName.id]: rename.fields.displayName }),
    ...pin.errorSummary({ [pin.fields.pin.id]: pin.fields.pin, [pin.fields.pinConfirm.id]: pin.fields.pinConfirm }),
  ];
  const back = `/merchant/counter-staff/${store.id}`;
  return (
    <>
      <p>
        <Link to={back}>{t("counter.member.back", { store: store.name })}</Link>
      </p>
      <FormPageHeading
        title={member.name}
        errors={summary}
        notices={[done ? t(`counter.member.done.${done}`, { name: member.name }) : null]}
      />
      <dl className="details">
        <div>
          <dt>{t("counter.staff.status")}</dt>
          <dd>
            <CounterStaffStatus member={member} />
          </dd>
        </div>
        <div>
          <dt>{t("counter.staff.lastActive")}</dt>
          <dd>{member.lastActive ?? t("counter.staff.never")}</dd>
        </div>
      </dl>

      {member.locked ? (
        <section aria-labelledby="counter-pin-locked" className="panel alert-warning">
          <h2 id="counter-pin-locked">{t("counter.member.lockedTitle")}</h2>
          <p>{t("counter.member.lockedBody", { count: lockThreshold, date: member.lockedAt ?? "" })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="unlock" />
            <SubmitButton>{t("counter.member.unlock")}</SubmitButton>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="counter-staff-pin-title" className="panel page-narrow">
        <h2 id="counter-staff-pin-title">
          {member.hasPin ? t("counter.member.pinResetTitle") : t("counter.member.pinSetTitle")}
        </h2>
        {member.hasPin ? <p>{t("counter.member.pinResetBody")}</p> : null}
        <Form method="post" {...getFormProps(pin.form)} noValidate>
          <input type="hidden" name="intent" value="pin" />
          <PinFields fields={pin.fields} errorText={pin.errorText} />
          <SubmitButton>{t("counter.member.savePin")}</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="counter-staff-rename-title" className="panel page-narrow">
        <h2 id="counter-staff-rename-title">{t("counter.member.renameTitle")}</h2>
        <Form method="post" {...getFormProps(rename.form)} noValidate>
          <input type="hidden" name="intent" value="rename" />
          <Field
            labelProps={{ children: t("counter.staff.name") }}
            hint={t("counter.staff.nameHint")}
            inputProps={{
              ...getInputProps(rename.fields.displayName, { type: "text" }),
              autoComplete: "off",
              required: true,
              maxLength: maxStaffNameLength,
            }}
            errors={rename.errorText(rename.fields.displayName.errors)}
          />
          <SubmitButton>{t("counter.member.rename")}</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="counter-staff-access" className="panel page-narrow">
        <h2 id="counter-staff-access">{t("counter.member.accessTitle")}</h2>
        <p>{member.active ? t("counter.member.deactivateBody") : t("counter.member.reactivateBody")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value={member.active ? "deactivate" : "reactivate"} />
          <SubmitButton>{member.active ? t("counter.member.deactivate") : t("counter.member.reactivate")}</SubmitButton>
        </Form>
      </section>
    </>
  );
}
