import { z } from "zod";

/** Error messages are the ledger's own refusals, `common:errors.<code>.body`, so both read alike. */
const refusal = (code: string) => ({ error: `common:errors.${code}.body` });

const reason = z
  .string(refusal("reason_required"))
  .trim()
  .min(1, refusal("reason_required"))
  .max(500, refusal("reason_required"));
const idempotencyKey = z
  .string(refusal("invalid_idempotency_key"))
  .regex(/^[\w:.-]{1,128}$/, refusal("invalid_idempotency_key"));

/** The manual adjustment: a signed whole number of points or stamps and why. */
export const adjustSchema = z.object({
  intent: z.literal("adjust"),
  idempotencyKey,
  delta: z
    .number(refusal("invalid_adjustment"))
    .int(refusal("invalid_adjustment"))
    .min(-1_000_000, refusal("invalid_adjustment"))
    .max(1_000_000, refusal("invalid_adjustment"))
    .refine((value) => value !== 0, refusal("invalid_adjustment")),
  reason,
});

/** The confirmed void of one history row, with why. */
export const voidSchema = z.object({
  intent: z.literal("void"),
  idempotencyKey,
  transactionId: z.number(refusal("transaction_not_found")).int(refusal("transaction_not_found")).positive(),
  reason,
});
