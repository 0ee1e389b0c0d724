import { z } from "zod";
import { maxDeviceNameLength, maxStaffNameLength, pinPattern } from "~/modules/terminal/rules";

/** Error messages are i18n keys under `console:counter.errors`. */
const err = (key: string) => ({ error: `counter.errors.${key}` });

const name = (max: number) =>
  z
    .string(err("nameRequired"))
    .trim()
    .min(1, err("nameRequired"))
    .max(max, err("nameTooLong"))
    .regex(/^[^<>\p{Cc}]*$/u, err("nameInvalid"));

/** A PIN is 4 to 6 digits, typed twice: it is never shown back, so a typo would go unnoticed. */
const pinFields = {
  pin: z.string(err("pinRequired")).regex(pinPattern, err("pinFormat")),
  pinConfirm: z.string(err("pinConfirmRequired")),
};
const samePin = <T extends { pin: string; pinConfirm: string }>(value: T) => value.pin === value.pinConfirm;
const pinMismatch = { path: ["pinConfirm"], ...err("pinMismatch") };

export const createStaffSchema = z
  .object({ displayName: name(maxStaffNameLength), ...pinFields })
  .refine(samePin, pinMismatch);

export const renameStaffSchema = z.object({ intent: z.literal("rename"), displayName: name(maxStaffNameLength) });

export const setPinSchema = z.object({ intent: z.literal("pin"), ...pinFields }).refine(samePin, pinMismatch);

export const renameDeviceSchema = z.object({ intent: z.literal("rename"), name: name(maxDeviceNameLength) });
