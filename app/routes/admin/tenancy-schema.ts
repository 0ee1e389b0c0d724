import { z } from "zod";
import { locales } from "~/i18n/locales";

/** Error messages are i18n keys under `console:tenancy.errors`. */
const err = (key: string) => ({ error: `tenancy.errors.${key}` });

const plainText = (max: number) =>
  z
    .string(err("required"))
    .trim()
    .min(1, err("required"))
    .max(max, err("tooLong"))
    .regex(/^[^<>\p{Cc}]*$/u, err("textInvalid"));

const language = z.enum(locales, err("languageInvalid"));

export const merchantSchema = z.object({
  name: plainText(120),
  slug: z
    .string(err("required"))
    .trim()
    .toLowerCase()
    .max(60, err("tooLong"))
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, err("slugInvalid")),
  defaultLanguage: language,
  privacyUrl: z
    .string()
    .trim()
    .max(500, err("urlInvalid"))
    .pipe(z.url({ protocol: /^https$/, error: "tenancy.errors.privacyUrlInvalid" }))
    .optional(),
});

/** Host labels we keep for the platform itself. */
export const reservedSubdomains = [
  "www",
  "admin",
  "api",
  "app",
  "mail",
  "smtp",
  "static",
  "assets",
  "terminal",
  "status",
];

const description = z
  .string()
  .trim()
  .max(2000, err("tooLong"))
  .regex(/^[^<>\p{Cc}]*$/u, err("textInvalid"))
  .optional();

/** Error messages under `console:storeAddress.errors`. */
const addressErr = (key: string) => ({ error: `storeAddress.errors.${key}` });

/** A postal address as written on a letter: up to four lines, blank lines and spaces dropped. */
const storeAddress = z
  .string()
  .max(300, addressErr("tooLong"))
  .transform((text) =>
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .join("\n"),
  )
  .pipe(
    z
      .string()
      .regex(/^[^<>\p{Cc}]*(?:\n[^<>\p{Cc}]*)*$/u, addressErr("textInvalid"))
      .refine((text) => text.split("\n").length <= 4, addressErr("tooManyLines"))
      .refine((text) => text.split("\n").every((line) => line.length <= 80), addressErr("lineTooLong")),
  )
  .transform((text) => text || undefined)
  .optional();

export const storeSchema = z
  .object({
    merchantId: z.uuid(err("merchantRequired")).optional(),
    code: z
      .string(err("required"))
      .trim()
      .toUpperCase()
      .max(40, err("tooLong"))
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, err("codeInvalid")),
    name: plainText(120),
    subdomain: z
      .string(err("required"))
      .trim()
      .toLowerCase()
      .max(63, err("tooLong"))
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, err("subdomainInvalid"))
      .refine((value) => !reservedSubdomains.includes(value), err("subdomainReserved")),
    customDomain: z
      .string()
      .trim()
      .toLowerCase()
      .max(253, err("tooLong"))
      .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, err("domainInvalid"))
      .optional(),
    defaultLanguage: language,
    enabledLanguages: z.array(language, err("languagesRequired")).min(1, err("languagesRequired")),
    websiteUrl: z
      .string()
      .trim()
      .max(500, err("urlInvalid"))
      .pipe(z.url({ protocol: /^https?$/, error: "tenancy.errors.urlInvalid" }))
      .optional(),
    contactEmail: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, err("contactEmailInvalid"))
      .pipe(z.email(err("contactEmailInvalid")))
      .optional(),
    timezone: z
      .string(err("timezoneInvalid"))
      .refine((zone) => Intl.supportedValuesOf("timeZone").includes(zone) || zone === "UTC", err("timezoneInvalid")),
    description: z
      .object(
        Object.fromEntries(locales.map((locale) => [locale, description])) as Record<
          (typeof locales)[number],
          typeof description
        >,
      )
      .default({}),
    loyaltyEnabled: z.boolean().default(false),
    address: storeAddress,
    onlineOnly: z.boolean().default(false),
  })
  .superRefine((store, ctx) => {
    if (!store.enabledLanguages.includes(store.defaultLanguage)) {
      ctx.addIssue({ code: "custom", path: ["defaultLanguage"], message: "tenancy.errors.defaultNotEnabled" });
    }
  });

/** New stores must name their merchant; an existing store keeps its own. Same shape either way. */
export const createStoreSchema = storeSchema.superRefine((store, ctx) => {
  if (!store.merchantId)
    ctx.addIssue({ code: "custom", path: ["merchantId"], message: "tenancy.errors.merchantRequired" });
});
