import { z } from "zod";
import { smtpSecurityModes } from "~/modules/messaging/smtp-security";

const err = (key: string) => ({ error: `settings.errors.${key}` });
const optional = <T extends z.ZodType>(schema: T) => schema.optional();

/** The SMTP form: an empty field means "use the environment's value". */
export const emailSettingsSchema = z.object({
  host: optional(
    z
      .string()
      .trim()
      .max(253, err("hostInvalid"))
      .regex(/^[A-Za-z0-9.:[\]-]+$/, err("hostInvalid")),
  ),
  port: optional(
    z.coerce
      .number(err("portInvalid"))
      .int(err("portInvalid"))
      .min(1, err("portInvalid"))
      .max(65535, err("portInvalid")),
  ),
  security: optional(z.enum(smtpSecurityModes, err("securityInvalid"))),
  user: optional(z.string().trim().max(254, err("userTooLong"))),
  password: optional(z.string().max(512, err("passwordTooLong"))),
  clearPassword: z.boolean().optional(),
  fromAddress: optional(
    z
      .string()
      .trim()
      .max(254, err("fromAddressInvalid"))
      .pipe(z.email(err("fromAddressInvalid"))),
  ),
  fromName: optional(
    z
      .string()
      .trim()
      .max(100, err("fromNameInvalid"))
      .regex(/^[^<>"\p{Cc}]*$/u, err("fromNameInvalid")),
  ),
});

export const testEmailSchema = z.object({
  to: z
    .string(err("testToInvalid"))
    .trim()
    .max(254, err("testToInvalid"))
    .pipe(z.email(err("testToInvalid"))),
});
