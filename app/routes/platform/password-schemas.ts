import { z } from "zod";

const err = (key: string) => ({ error: key });

export const forgotPasswordSchema = z.object({
  email: z
    .string(err("login.errors.emailRequired"))
    .trim()
    .max(254, err("login.errors.emailInvalid"))
    .pipe(z.email(err("login.errors.emailInvalid"))),
});

export const resetPasswordSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: z
      .string(err("resetPassword.errors.passwordTooShort"))
      .min(12, err("resetPassword.errors.passwordTooShort"))
      .max(200, err("resetPassword.errors.passwordTooLong")),
    confirm: z.string(err("resetPassword.errors.confirmMismatch")),
  })
  .superRefine((values, ctx) => {
    if (values.password !== values.confirm) {
      ctx.addIssue({ code: "custom", path: ["confirm"], message: "resetPassword.errors.confirmMismatch" });
    }
  });
