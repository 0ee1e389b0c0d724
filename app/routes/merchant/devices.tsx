import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { badRequest } from "~/errors";
import { readForm } from "~/http/form.server";
import { formatNumber } from "~/i18n/format";
import { requireRole } from "~/modules/auth/guards.server";
import { merchantPortalRoles } from "~/modules/auth/roles";
import { qrSvg } from "~/modules/loyalty/qr.server";
import { scopeOf } from "~/modules/scope/scope";
import { createPairingCode, listDevices, pairingCodeMinutes } from "~/modules/terminal/devices.server";
import { DeviceStatus } from "~/ui/counter";
import { DataTable } from "~/ui/data-table";
import { SubmitButton } from "~/ui/form";
import type { Route } from "./+types/devices";
import { counterStore, counterTime } from "./counter.server";

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const store = await counterStore(context, actor, params.storeId);
  const devices = await listDevices(context.db, scopeOf(actor), store.id);
  return {
    store: { id: store.id, name: store.name },
    pairingCodeMinutes,
    devices: devices.map((device) => ({
      id: device.id,
      name: device.name,
      pairedAt: counterTime(context, store, device.pairedAt),
      lastSeen: counterTime(context, store, device.lastSeenAt),
      appVersion: device.appVersion,
      queue: device.reportedQueueCount === null ? null : formatNumber(context.locale, device.reportedQueueCount),
      revokedAt: counterTime(context, store, device.revokedAt),
    })),
  };
}

/**
 * "Pair a new device": a one-time code, shown once in this response as text and as a QR code
 * holding exactly that text. Only its hash is kept, so a reload cannot show it again.
 */
export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireRole(context, request, merchantPortalRoles);
  const store = await counterStore(context, actor, params.storeId);
  const form = await readForm(request);
  if (form.get("intent") !== "pair") throw badRequest();
  const pairing = await createPairingCode(context.db, actor, store.id);
  return {
    pairing: {
      code: pairing.code,
      qrSvg: await qrSvg(pairing.code),
      expiresAt: counterTime(context, store, pairing.expiresAt) ?? "",
      expiresAtIso: pairing.expiresAt.toISOString(),
      terminalUrl: `${context.config.platformOrigin}/terminal`,
    },
  };
}

export default function Devices({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation(["console", "common"]);
  const { store, devices } = loaderData;
  const title = t("counter.devices.title", { store: store.name });
  return (
    <>
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{t("counter.devices.intro")}</p>
      {actionData?.pairing ? (
        <PairingCode pairing={actionData.pairing} />
      ) : (
        <section aria-labelledby="device-pair-title" className="panel page-narrow">
          <h2 id="device-pair-title">{t("counter.pairing.title")}</h2>
          <p>{t("counter.pairing.intro", { minutes: loaderData.pairingCodeMinutes })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="pair" />
            <SubmitButton>{t("counter.pairing.create")}</SubmitButton>
          </Form>
        </section>
      )}
      <section aria-labelledby="device-list-title">
        <h2 id="device-list-title">{t("counter.devices.listTitle")}</h2>
        {devices.length === 0 ? (
          <p className="panel">{t("counter.devices.none")}</p>
        ) : (
          <DataTable
            caption={t("counter.devices.listTitle")}
            rows={devices}
            rowKey={(device) => device.id}
            columns={[
              {
                header: t("counter.devices.name"),
                cell: (device) => (
                  <Link
                    to={`/merchant/devices/${store.id}/${device.id}`}
                    aria-label={t("counter.devices.manageLabel", { name: device.name })}
                  >
                    {device.name}
                  </Link>
                ),
              },
              { header: t("counter.devices.status"), cell: (device) => <DeviceStatus revokedAt={device.revokedAt} /> },
              { header: t("counter.devices.pairedAt"), cell: (device) => device.pairedAt },
              {
                header: t("counter.devices.lastSeen"),
                cell: (device) => device.lastSeen ?? t("counter.devices.never"),
              },
              {
                header: t("counter.devices.appVersion"),
                cell: (device) => device.appVersion ?? t("counter.devices.unknown"),
              },
              {
                header: t("counter.devices.queue"),
                numeric: true,
                cell: (device) => device.queue ?? t("counter.devices.unknown"),
              },
            ]}
          />
        )}
      </section>
      <p>
        <Link to={`/merchant/counter-staff/${store.id}`}>{t("counter.devices.staffLink")}</Link>
      </p>
    </>
  );
}

/** The code a manager reads out or shows to the new device; focused when it appears, for screen readers. */
function PairingCode({
  pairing,
}: {
  pairing: { code: string; qrSvg: string; expiresAt: string; terminalUrl: string };
}) {
  const { t } = useTranslation("console");
  const panel = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new code moves the focus again
  useEffect(() => panel.current?.focus(), [pairing.code]);
  return (
    <section ref={panel} tabIndex={-1} aria-labelledby="device-code-title" className="panel pairing">
      <h2 id="device-code-title">{t("counter.pairing.codeTitle")}</h2>
      <p className="pairing-code" data-testid="pairing-code">
        {pairing.code}
      </p>
      <div
        className="pairing-qr"
        role="img"
        aria-label={t("counter.pairing.qrLabel", { code: pairing.code })}
        // Server-rendered SVG from the qrcode package: paths only, no script or style.
        dangerouslySetInnerHTML={{ __html: pairing.qrSvg }}
      />
      <p>
        <strong>{t("counter.pairing.expires", { time: pairing.expiresAt })}</strong>
      </p>
      <ol className="pairing-steps">
        <li>
          {t("counter.pairing.step1")} <a href={pairing.terminalUrl}>{pairing.terminalUrl}</a>
        </li>
        <li>{t("counter.pairing.step2")}</li>
        <li>{t("counter.pairing.step3")}</li>
      </ol>
      <Form method="post">
        <input type="hidden" name="intent" value="pair" />
        <SubmitButton>{t("counter.pairing.another")}</SubmitButton>
      </Form>
    </section>
  );
}
