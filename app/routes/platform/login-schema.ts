import { z } from "zod";

const err = (key: string) => ({ error: `login.errors.${key}` });

export const loginSchema = z.object({
  email: z
    .string(err("emailRequired"))
    .trim()
    .max(254, err("emailInvalid"))
    .pipe(z.email(err("emailInvalid"))),
  password: z.string(err("passwordRequired")).min(1, err("passwordRequired")).max(200, err("passwordRequired")),
  redirectTo: z.string().max(2000).optional(),
});
