import { type FieldMetadata, getInputProps } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { type ErrorText, PasswordField } from "./form";

/** What a counter staff member's badges say: active or deactivated, PIN locked or missing. */
export function CounterStaffStatus({ member }: { member: { active: boolean; locked: boolean; hasPin: boolean } }) {
  const { t } = useTranslation("console");
  return (
    <span className="inline-group">
      <span className={member.active ? "badge badge-on" : "badge badge-off"}>
        {member.active ? t("counter.staff.active") : t("counter.staff.deactivated")}
      </span>
      {member.locked ? <span className="badge badge-error">{t("counter.staff.locked")}</span> : null}
      {member.hasPin ? null : <span className="badge badge-off">{t("counter.staff.noPin")}</span>}
    </span>
  );
}

type PinField = FieldMetadata<string, Record<string, unknown>, string[]>;

/** The PIN, typed twice, with a show toggle; never pre-filled (a refused form comes back with both empty). */
export function PinFields({
  fields,
  errorText,
}: {
  fields: { pin: PinField; pinConfirm: PinField };
  errorText: ErrorText;
}) {
  const { t } = useTranslation("console");
  const pinInput = { autoComplete: "off", inputMode: "numeric" as const, required: true, maxLength: 6 };
  return (
    <>
      <PasswordField
        labelProps={{ children: t("counter.pin.pin") }}
        hint={t("counter.pin.hint")}
        showLabel={t("counter.pin.showPin")}
        inputProps={{ ...getInputProps(fields.pin, { type: "password", value: false }), ...pinInput }}
        errors={errorText(fields.pin.errors)}
      />
      <PasswordField
        labelProps={{ children: t("counter.pin.confirm") }}
        showLabel={t("counter.pin.showConfirm")}
        inputProps={{ ...getInputProps(fields.pinConfirm, { type: "password", value: false }), ...pinInput }}
        errors={errorText(fields.pinConfirm.errors)}
      />
    </>
  );
}

/** A device is active or was revoked on a date. */
export function DeviceStatus({ revokedAt }: { revokedAt: string | null }) {
  const { t } = useTranslation("console");
  return revokedAt ? (
    <span className="badge badge-off">{t("counter.devices.revokedOn", { date: revokedAt })}</span>
  ) : (
    <span className="badge badge-on">{t("counter.devices.active")}</span>
  );
}
