import { z } from "zod";
import { locales } from "~/i18n/locales";
import { pointsExpiryRules } from "~/modules/loyalty/program-rules";

/** Error messages are i18n keys under `console:programs.errors`. */
const err = (key: string) => ({ error: `programs.errors.${key}` });

const safeText = z
  .string(err("nameRequired"))
  .trim()
  .max(100, err("nameTooLong"))
  .regex(/^[^<>\p{Cc}]*$/u, err("textInvalid"));

const translations = z.object(
  Object.fromEntries(locales.map((locale) => [locale, safeText.optional()])) as Record<
    (typeof locales)[number],
    z.ZodOptional<typeof safeText>
  >,
);

const wholeNumber = (min: number, max: number, minKey = "numberNegative") =>
  z.number(err("numberInvalid")).int(err("numberInvalid")).min(min, err(minKey)).max(max, err("numberTooLarge"));

/**
 * A logo or terms page: an https address, or a path on the storefront's own host (the demo
 * programs' logos and terms pages are served by the app). Never http:, data: or `//host`.
 */
const httpsUrlOrSitePath = z
  .string()
  .trim()
  .max(500, { error: "programs.errors.urlInvalid" })
  .refine((value) => isHttpsUrl(value) || /^\/(?![/\\])[\w.~!$&'()*+,;=:@%/-]*$/.test(value), {
    error: "programs.errors.urlInvalid",
  })
  .optional();

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:" && /^https:\/\//i.test(value);
  } catch {
    return false;
  }
}

/** At most this many rewards per program: the "add a reward" button goes away at the limit. */
export const maxRewards = 20;

const rewardRow = z
  .object({
    id: z.uuid().optional(),
    name: translations.optional().default({}),
    cost: wholeNumber(1, 1_000_000, "costPositive").optional(),
  })
  .superRefine((row, ctx) => {
    if (!rowIsFilled(row)) return;
    if (!row.name.en)
      ctx.addIssue({ code: "custom", path: ["name", "en"], message: "programs.errors.rewardNameRequired" });
    if (row.cost === undefined)
      ctx.addIssue({ code: "custom", path: ["cost"], message: "programs.errors.rewardCostRequired" });
  });

function rowIsFilled(row: { name: Partial<Record<string, string | undefined>>; cost?: number }) {
  return row.cost !== undefined || Object.values(row.name).some(Boolean);
}

export const programSchema = z.object({
  // Required when creating (see createProgramSchema); an existing program keeps its merchant.
  merchantId: z.uuid(err("merchantRequired")).optional(),
  name: translations.extend({ en: safeText.min(1, err("nameRequired")) }),
  kind: z.enum(["points", "stamps"], err("kindRequired")),
  pointsPerEuro: wholeNumber(0, 1000).default(1),
  stampsPerCard: wholeNumber(1, 100, "stampsPerCardPositive").default(10),
  welcomeBonus: wholeNumber(0, 100_000).default(0),
  stampsPerPurchase: wholeNumber(1, 100, "stampsPerPurchasePositive").optional(),
  pointsExpiryRule: z.enum(pointsExpiryRules, err("expiryRuleInvalid")).optional(),
  pointsExpiryMonths: wholeNumber(1, 120).optional(),
  brandColor: z
    .string(err("colorInvalid"))
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, err("colorInvalid")),
  logoUrl: httpsUrlOrSitePath,
  termsUrl: httpsUrlOrSitePath,
  active: z.boolean().default(false),
  // Empty rows (a form shows a few spare ones) are dropped after validation, so error paths match the form.
  rewards: z
    .array(rewardRow)
    .max(maxRewards)
    .default([])
    .transform((rows) => rows.filter(rowIsFilled)),
});

export const createProgramSchema = programSchema.extend({ merchantId: z.uuid(err("merchantRequired")) });

export type ProgramInput = z.output<typeof programSchema>;

/**
 * The numbers that belong to one kind of program only (the form shows the chosen kind's). Points
 * expiry is not among them: a rule on a stamps program is refused with a message (the form keeps
 * the expiry fields in view while a rule is chosen).
 */
const kindOnlyFields = {
  points: ["pointsPerEuro"],
  stamps: ["stampsPerCard", "stampsPerPurchase"],
} as const;

/**
 * The submitted form without the other kind's fields: they are hidden on the page, so a value
 * left in one must neither block saving nor be stored.
 */
export function withoutOtherKindFields(formData: FormData): FormData {
  const kind = formData.get("kind");
  if (kind !== "points" && kind !== "stamps") return formData;
  const other = kindOnlyFields[kind === "points" ? "stamps" : "points"];
  const kept = new FormData();
  for (const [name, value] of formData) {
    if (!(other as readonly string[]).includes(name)) kept.append(name, value);
  }
  return kept;
}
