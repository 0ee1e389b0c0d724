import { z } from "zod";

/** Error messages are i18n keys under `storefront:join.errors`, resolved by the page in its language. */
const err = (key: string) => ({ error: `join.errors.${key}` });

/** The one field of "find my card", checked by the action (storefront pages do not run in the browser, ADR 043). */
export const findCardSchema = z.object({
  email: z
    .string(err("emailRequired"))
    .trim()
    .max(254, err("emailInvalid"))
    .pipe(z.email(err("emailInvalid"))),
});
