import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { shopperPhone } from "~/modules/loyalty/phone.server";

/** Error messages are i18n keys under `storefront:join.errors`, resolved by the page in its language. */
const err = (key: string) => ({ error: `join.errors.${key}` });

// Letters of any script, combining marks, spaces, apostrophes, hyphens and dots: no markup, no control characters.
const namePattern = /^[\p{L}\p{M}](?:[\p{L}\p{M} '’.-]*[\p{L}\p{M}.])?$/u;

const personName = (requiredKey: string) =>
  z
    .string(err(requiredKey))
    .trim()
    .min(1, err(requiredKey))
    .max(100, err("nameTooLong"))
    .regex(namePattern, err("nameInvalid"));

const birthdayPart = z.string().trim().max(4).optional();

export const maxAgeYears = 120;

/**
 * The join form, checked on the server only: the browser gets no zod and no phone metadata, and
 * shows the reply's errors next to each field. Phone numbers without a country code are the store's country's.
 */
function buildJoinSchema(country: CountryCode) {
  return z.object({
    firstName: personName("firstNameRequired"),
    lastName: personName("lastNameRequired"),
    email: z
      .string(err("emailRequired"))
      .trim()
      .max(254, err("emailInvalid"))
      .pipe(z.email(err("emailInvalid"))),
    phone: z
      .string()
      .trim()
      .max(32, err("phoneInvalid"))
      .optional()
      .transform((value, ctx) => {
        if (!value) return null;
        const phone = shopperPhone(value, country);
        if (!phone) {
          ctx.addIssue({ code: "custom", message: "join.errors.phoneInvalid" });
          return z.NEVER;
        }
        return phone;
      }),
    birthday: z
      .object({ day: birthdayPart, month: birthdayPart, year: birthdayPart })
      .optional()
      .transform((parts, ctx) => {
        const { day, month, year } = parts ?? {};
        if (!day && !month && !year) return null;
        if (!day || !month || !year) {
          ctx.addIssue({ code: "custom", message: "join.errors.birthdayIncomplete" });
          return z.NEVER;
        }
        const [d, m, y] = [day, month, year].map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
        const date = new Date(Date.UTC(y ?? Number.NaN, (m ?? Number.NaN) - 1, d));
        if (
          Number.isNaN(date.getTime()) ||
          year.length !== 4 ||
          date.getUTCFullYear() !== y ||
          date.getUTCMonth() !== (m ?? 0) - 1 ||
          date.getUTCDate() !== d
        ) {
          ctx.addIssue({ code: "custom", message: "join.errors.birthdayInvalid" });
          return z.NEVER;
        }
        const now = new Date();
        if (date.getTime() > now.getTime()) {
          ctx.addIssue({ code: "custom", message: "join.errors.birthdayFuture" });
          return z.NEVER;
        }
        if (y !== undefined && y < now.getUTCFullYear() - maxAgeYears) {
          ctx.addIssue({ code: "custom", message: "join.errors.birthdayTooOld" });
          return z.NEVER;
        }
        return date.toISOString().slice(0, 10);
      }),
    terms: z.boolean(err("termsRequired")).refine((value) => value === true, err("termsRequired")),
    marketing: z.boolean().optional().default(false),
  });
}

const schemas = new Map<CountryCode, ReturnType<typeof buildJoinSchema>>();

export function joinSchema(country: CountryCode) {
  let schema = schemas.get(country);
  if (!schema) {
    schema = buildJoinSchema(country);
    schemas.set(country, schema);
  }
  return schema;
}

export type JoinValues = z.output<ReturnType<typeof joinSchema>>;
