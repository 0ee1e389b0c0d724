/**
 * Every expected failure, in routes and modules alike, is a DomainError: a machine-readable code
 * (also the i18n key suffix under `common:errors`) whose HTTP status follows from the code.
 * Throw it through the helpers below (`throw notFound()`), never with a status by hand.
 *
 * It has the shape of React Router's `data(payload, { status })` (`type`, `data`, `init`), so a
 * DomainError thrown from any loader or action, however deep, becomes the localized error page
 * with its status instead of a 500 — no per-route wrapping. `errors.test.ts` fails if a React
 * Router upgrade changes that shape.
 */
export const errorStatus = {
  badRequest: 400,
  forbidden: 403,
  accessDenied: 403,
  notFound: 404,
  unknownHost: 404,
  loyaltyUnavailable: 404,
  tooManyRequests: 429,
  // Ledger refusals: stable codes the terminal API returns as they are.
  card_not_found: 404,
  transaction_not_found: 404,
  device_revoked: 401,
  counter_staff_inactive: 403,
  card_inactive: 409,
  program_kind_mismatch: 409,
  reward_unavailable: 409,
  insufficient_balance: 409,
  idempotency_conflict: 409,
  not_voidable: 409,
  already_voided: 409,
  invalid_amount: 422,
  invalid_idempotency_key: 422,
  reason_required: 422,
  invalid_adjustment: 422,
  // Counter terminal and its API (ADR 017).
  device_unauthorized: 401,
  invalid_pairing_code: 400,
  counter_staff_not_found: 404,
  pin_incorrect: 403,
  pin_locked: 423,
  invalid_pin: 422,
  validation_failed: 422,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  rate_limited: 429,
  endpoint_not_found: 404,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** The page to show for a status when the response names no code. */
const codeForStatus: Record<number, ErrorCode> = {
  400: "badRequest",
  403: "accessDenied",
  404: "notFound",
  429: "tooManyRequests",
};

/** What an error boundary shows for a thrown response: its code (or its status's), and the store it names. */
export function errorPageOf(error: { status: number; data?: unknown }): { code: ErrorCode | "server"; store: string } {
  const payload = (error.data ?? {}) as { code?: string; store?: string };
  const code = errorCodes.find((known) => known === payload.code) ?? codeForStatus[error.status] ?? "server";
  return { code, store: payload.store ?? "" };
}

/** What the error page receives: the code, and the store's name when the page names it. */
export interface ErrorPayload {
  code: ErrorCode;
  store?: string;
}

export class DomainError extends Error {
  override name = "DomainError";
  readonly type = "DataWithResponseInit";
  readonly data: ErrorPayload;
  readonly init: { status: number };
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    options: { message?: string; store?: string } = {},
  ) {
    super(options.message ?? code);
    this.status = errorStatus[code];
    this.data = options.store === undefined ? { code } : { code, store: options.store };
    this.init = { status: this.status };
  }
}

/**
 * A save refused because of one field (taken subdomain, last admin…): a 400 whose message key goes
 * next to that field. Actions catch it and reply with `submission.reply({ fieldErrors: error.fieldErrors })`.
 */
export class FieldError extends DomainError {
  override name = "FieldError";

  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super("badRequest", { message: messageKey });
  }

  get fieldErrors(): Record<string, string[]> {
    return { [this.field]: [this.messageKey] };
  }
}

/** No such record, or one outside the caller's scope (404: its existence is not confirmed). */
export const notFound = () => new DomainError("notFound");
/** Signed in, but the role may not open this page (403). */
export const accessDenied = () => new DomainError("accessDenied");
/** A request the server cannot read (400), e.g. a body that is not a form. */
export const badRequest = () => new DomainError("badRequest");
/** A host name that is neither the platform nor a store (404). */
export const unknownHost = () => new DomainError("unknownHost");
/** The store has no loyalty program on offer (404); the page names the store when given. */
export const loyaltyUnavailable = (store?: string) => new DomainError("loyaltyUnavailable", { store });
