import { z } from "zod";

/** Error messages are i18n keys under `storefront:join.errors`, resolved by the page in its language. */
const err = (key: string) => ({ error: `join.errors.${key}` });

/** The one field of "find my card", checked in the browser too (it re-validates as the shopper types). */
export const findCardSchema = z.object({
  email: z
    .string(err("emailRequired"))
    .trim()
    .max(254, err("emailInvalid"))
    .pipe(z.email(err("emailInvalid"))),
});
