import { z } from "zod";
import { parseOrigins } from "~/google-endpoints";

const err = (key: string) => ({ error: `wallet.errors.${key}` });

/** The Google Wallet form: an empty field means "use the environment's value". */
export const walletSettingsSchema = z.object({
  issuerId: z
    .string()
    .trim()
    .regex(/^\d{6,30}$/, err("issuerIdInvalid"))
    .optional(),
  /** The key file's text: checked further by the action (it parses the private key). */
  serviceAccountKey: z.string().trim().max(20_000, err("keyTooLong")).optional(),
  clearKey: z.boolean().optional(),
  origins: z
    .string()
    .trim()
    .max(2_000, err("originsInvalid"))
    .refine(
      (value) => parseOrigins(value)?.every((origin) => origin.startsWith("https://")) ?? false,
      err("originsInvalid"),
    )
    .optional(),
  logoUrl: z
    .string()
    .trim()
    .max(2_000, err("logoUrlInvalid"))
    .pipe(z.url({ protocol: /^https$/, ...err("logoUrlInvalid") }))
    .optional(),
});
