import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { badRequest } from "~/errors";
import { readForm } from "~/http/form.server";
import { formatNumber } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { renameDevice, revokeDevice } from "~/modules/terminal/devices.server";
import { maxDeviceNameLength } from "~/modules/terminal/rules";
import { DeviceStatus } from "~/ui/counter";
import { Field, FormPageHeading, SubmitButton, useRouteForm } from "~/ui/form";
import type { Route } from "./+types/device";
import { counterDevice, counterStore, counterTime, refused, withFieldRefusals } from "./counter.server";
import { renameDeviceSchema } from "./counter-schema";

const outcomes = ["renamed", "revoked"] as const;

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const store = await counterStore(context, actor, params.storeId);
  const device = await counterDevice(context, actor, store, params.deviceId);
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    store: { id: store.id, name: store.name },
    device: {
      id: device.id,
      name: device.name,
      pairedAt: counterTime(context, store, device.pairedAt),
      lastSeen: counterTime(context, store, device.lastSeenAt),
      appVersion: device.appVersion,
      queue: device.reportedQueueCount === null ? null : formatNumber(context.locale, device.reportedQueueCount),
      revokedAt: counterTime(context, store, device.revokedAt),
    },
    // "Revoke…" leads to this page state: the confirmation, which works without JavaScript.
    confirmRevoke: url.searchParams.get("revoke") === "1" && device.revokedAt === null,
    done: outcomes.find((outcome) => outcome === done) ?? null,
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  // Store and device before anything the form says: out of scope is a 404 whatever was posted.
  const store = await counterStore(context, actor, params.storeId);
  const device = await counterDevice(context, actor, store, params.deviceId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const page = `/merchant/devices/${store.id}/${device.id}`;
  if (intent === "rename") {
    const submission = parseWithZod(form, { schema: renameDeviceSchema });
    if (submission.status !== "success") return refused(intent, submission.reply());
    const fieldErrors = await withFieldRefusals(
      () => renameDevice(context.db, actor, device.id, submission.value.name),
      { name: "name" },
    );
    return fieldErrors ? refused(intent, submission.reply({ fieldErrors })) : redirect(`${page}?done=renamed`);
  }
  if (intent === "revoke") {
    await revokeDevice(context.db, actor, device.id);
    return redirect(`${page}?done=revoked`);
  }
  throw badRequest();
}

export default function Device({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { store, device, done, confirmRevoke } = loaderData;
  const { form, fields, errorText, errorSummary } = useRouteForm<
    z.input<typeof renameDeviceSchema>,
    z.output<typeof renameDeviceSchema>
  >({
    id: "device-rename",
    schema: renameDeviceSchema,
    lastResult: actionData?.intent === "rename" ? actionData.result : undefined,
    namespace: "console",
    defaultValue: { name: device.name },
  });
  const page = `/merchant/devices/${store.id}/${device.id}`;
  return (
    <>
      <p>
        <Link to={`/merchant/devices/${store.id}`}>{t("counter.device.back", { store: store.name })}</Link>
      </p>
      <FormPageHeading
        title={device.name}
        errors={errorSummary({ [fields.name.id]: fields.name })}
        notices={[done ? t(`counter.device.done.${done}`, { name: device.name }) : null]}
      />
      <dl className="details">
        <div>
          <dt>{t("counter.devices.status")}</dt>
          <dd>
            <DeviceStatus revokedAt={device.revokedAt} />
          </dd>
        </div>
        <div>
          <dt>{t("counter.devices.pairedAt")}</dt>
          <dd>{device.pairedAt}</dd>
        </div>
        <div>
          <dt>{t("counter.devices.lastSeen")}</dt>
          <dd>{device.lastSeen ?? t("counter.devices.never")}</dd>
        </div>
        <div>
          <dt>{t("counter.devices.appVersion")}</dt>
          <dd>{device.appVersion ?? t("counter.devices.unknown")}</dd>
        </div>
        <div>
          <dt>{t("counter.devices.queue")}</dt>
          <dd>{device.queue ?? t("counter.devices.unknown")}</dd>
        </div>
      </dl>

      {confirmRevoke ? (
        <section aria-labelledby="device-revoke-title" className="panel alert-warning">
          <h2 id="device-revoke-title">{t("counter.device.confirmTitle", { name: device.name })}</h2>
          <p>{t("counter.device.confirmBody")}</p>
          <Form method="post" className="form-actions">
            <input type="hidden" name="intent" value="revoke" />
            <SubmitButton>{t("counter.device.confirmSubmit")}</SubmitButton>{" "}
            <Link to={page}>{t("counter.device.keep")}</Link>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="device-rename-title" className="panel page-narrow">
        <h2 id="device-rename-title">{t("counter.device.renameTitle")}</h2>
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="intent" value="rename" />
          <Field
            labelProps={{ children: t("counter.devices.name") }}
            hint={t("counter.device.nameHint")}
            inputProps={{
              ...getInputProps(fields.name, { type: "text" }),
              autoComplete: "off",
              required: true,
              maxLength: maxDeviceNameLength,
            }}
            errors={errorText(fields.name.errors)}
          />
          <SubmitButton>{t("counter.device.rename")}</SubmitButton>
        </Form>
      </section>

      {device.revokedAt === null && !confirmRevoke ? (
        <section aria-labelledby="device-revoke-start" className="panel page-narrow">
          <h2 id="device-revoke-start">{t("counter.device.revokeTitle")}</h2>
          <p>{t("counter.device.revokeBody")}</p>
          <Link className="button button-secondary" to={`${page}?revoke=1#device-revoke-title`}>
            {t("counter.device.revoke")}
          </Link>
        </section>
      ) : null}
    </>
  );
}
