import { z } from "zod";
import { isLoopbackHost, smtpSecurityModes } from "~/smtp-security";

const err = (key: string) => ({ error: `settings.errors.${key}` });
const optional = <T extends z.ZodType>(schema: T) => schema.optional();

/** The SMTP form: an empty field means "use the environment's value". */
export const emailSettingsSchema = z
  .object({
    host: optional(
      z
        .string()
        .trim()
        .max(253, err("hostInvalid"))
        .regex(/^[A-Za-z0-9.:[\]-]+$/, err("hostInvalid")),
    ),
    port: optional(
      z
        .string()
        .trim()
        .regex(/^\d{1,5}$/, err("portInvalid"))
        .transform(Number)
        .pipe(z.number().min(1, err("portInvalid")).max(65535, err("portInvalid"))),
    ),
    security: optional(z.enum(smtpSecurityModes, err("securityInvalid"))),
    user: optional(
      z
        .string()
        .trim()
        .max(254, err("userTooLong"))
        .regex(/^\P{C}*$/u, err("userInvalid")),
    ),
    password: optional(
      z
        .string()
        .max(512, err("passwordTooLong"))
        .regex(/^\P{Cc}*$/u, err("passwordInvalid")),
    ),
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
        // No control or format characters: a right-to-left override could disguise the sender.
        .regex(/^[^<>"\p{C}]*$/u, err("fromNameInvalid")),
    ),
  })
  .superRefine((value, context) => {
    // Credentials never cross the network in clear text, except to a server on this machine.
    if (value.security === "none" && value.user && !isLoopbackHost(value.host)) {
      context.addIssue({ code: "custom", path: ["security"], message: "settings.errors.plainWithPassword" });
    }
  });

export const testEmailSchema = z.object({
  to: z
    .string(err("testToInvalid"))
    .trim()
    .max(254, err("testToInvalid"))
    .pipe(z.email(err("testToInvalid"))),
});
