/**
 * The one error type a service throws for an expected failure: a machine-readable code
 * (also the i18n key suffix under `common:errors`), an HTTP status, and whether to report it.
 */
export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    readonly status: number,
    message?: string,
  ) {
    super(message ?? code);
  }
}

export type DomainErrorCode =
  | "notFound"
  | "unknownHost"
  | "loyaltyUnavailable"
  | "forbidden"
  | "tooManyRequests"
  | "badRequest";
