/**
 * The one error type a service throws for an expected failure: a machine-readable code
 * (also the i18n key suffix under `common:errors`), an HTTP status, and whether to report it.
 *
 * It has the shape of React Router's `data(payload, { status })` (`type`, `data`, `init`), so a
 * DomainError thrown from any loader or action, however deep, becomes the localized error page
 * with its status instead of a 500 — no per-route wrapping.
 */
export class DomainError extends Error {
  override name = "DomainError";
  readonly type = "DataWithResponseInit";
  readonly data: { code: DomainErrorCode };
  readonly init: { status: number };

  constructor(
    readonly code: DomainErrorCode,
    readonly status: number,
    message?: string,
  ) {
    super(message ?? code);
    this.data = { code };
    this.init = { status };
  }
}

export type DomainErrorCode =
  | "notFound"
  | "unknownHost"
  | "loyaltyUnavailable"
  | "forbidden"
  | "tooManyRequests"
  | "badRequest"
  // The ledger (stable codes, shared with the terminal API)
  | "card_not_found"
  | "card_inactive"
  | "program_kind_mismatch"
  | "invalid_amount"
  | "reward_unavailable"
  | "insufficient_balance"
  | "idempotency_conflict"
  | "invalid_idempotency_key"
  | "reason_required"
  | "invalid_adjustment"
  | "transaction_not_found"
  | "not_voidable"
  | "already_voided"
  | "counter_staff_inactive"
  | "device_revoked";
