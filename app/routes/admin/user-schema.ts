import { z } from "zod";
import { locales } from "~/i18n/locales";
import { roles } from "~/modules/auth/schema";

const err = (key: string) => ({ error: `users.errors.${key}` });

const scopeFields = {
  role: z.enum(roles, err("roleRequired")),
  merchantId: z.uuid(err("merchantRequired")).optional(),
  storeId: z.uuid(err("storeRequired")).optional(),
};

export const inviteUserSchema = z.object({
  email: z
    .string(err("emailRequired"))
    .trim()
    .max(254, err("emailInvalid"))
    .pipe(z.email(err("emailInvalid"))),
  name: z
    .string(err("nameRequired"))
    .trim()
    .min(1, err("nameRequired"))
    .max(100, err("nameTooLong"))
    .regex(/^[^<>\p{Cc}]*$/u, err("nameInvalid")),
  preferredLanguage: z.enum(locales),
  ...scopeFields,
});

export const editUserSchema = z.object({
  ...scopeFields,
  active: z.boolean().default(false),
});
