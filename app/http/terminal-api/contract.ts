import { z } from "zod";
import { errorCodes } from "~/errors";
import { locales } from "~/i18n/locales";
import { pointsExpiryRules, programKinds } from "~/modules/loyalty/schema";

/**
 * The terminal API's contract, one zod schema per request and response: the router parses
 * requests with them, the OpenAPI document is generated from them, and the API tests check every
 * response against them.
 */

export const terminalApiPrefix = "/api/terminal/v1";
/** Fits a full batch of 500 enrollments with long names and addresses (≈ 400 KB) with room to spare. */
export const terminalApiMaxBodyBytes = 1024 * 1024;
export const maxBatchSize = 500;

const uuid = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const locale = z.enum(locales);
const translations = z.partialRecord(locale, z.string());

/** Codes beyond the DomainError vocabulary: only the unexpected failure. */
export const apiErrorCode = z.enum([...errorCodes, "internal_error"]);
export type ApiErrorCode = z.infer<typeof apiErrorCode>;

const errorDetail = z.strictObject({
  code: apiErrorCode,
  /** In the request's language (Accept-Language among fr, de, lb, en). */
  message: z.string(),
  /** For validation_failed: where in the body, and what is wrong. */
  issues: z.array(z.strictObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
});
export const errorResponse = z.strictObject({ error: errorDetail });

const store = z.strictObject({
  id: uuid,
  code: z.string(),
  name: z.string(),
  defaultLanguage: locale,
  enabledLanguages: z.array(locale),
  timezone: z.string(),
});

const device = z.strictObject({ id: uuid, name: z.string(), storeId: uuid, pairedAt: dateTime });

export const pairRequest = z.strictObject({
  code: z.string().min(1).max(32),
  name: z.string().trim().min(1).max(80),
});
export const pairResponse = z.strictObject({ deviceToken: z.string(), device, store });

const reward = z.strictObject({ id: uuid, name: z.string(), nameTranslations: translations, cost: z.int() });
const expiry = z.union([
  z.null(),
  z.strictObject({ rule: z.literal("none") }),
  z.strictObject({ rule: z.enum(pointsExpiryRules.filter((rule) => rule !== "none")), months: z.int() }),
]);
const program = z.strictObject({
  id: uuid,
  kind: z.enum(programKinds),
  name: z.string(),
  nameTranslations: translations,
  pointsPerEuro: z.int(),
  stampsPerPurchase: z.int(),
  stampsPerCard: z.int(),
  welcomeBonus: z.int(),
  brandColor: z.string(),
  /** null for a stamps program. */
  expiry,
  rewards: z.array(reward),
});

export const bootstrapResponse = z.strictObject({
  store,
  /** null when the store offers no loyalty program. */
  program: program.nullable(),
  /** Active members with a PIN that is not locked; the device verifies offline against the bcrypt hashes. */
  counterStaff: z.array(z.strictObject({ id: uuid, displayName: z.string(), pinHash: z.string() })),
  idleLockMinutes: z.int(),
  pinLockThreshold: z.int(),
  serverTime: dateTime,
});

export const verifyPinRequest = z.strictObject({ pin: z.string().regex(/^\d{4,6}$/) });
export const verifyPinResponse = z.strictObject({ staff: z.strictObject({ id: uuid, displayName: z.string() }) });

export const failedAttemptsRequest = z.strictObject({
  count: z.int().min(1).max(100),
  lastAttemptAt: dateTime,
});
export const failedAttemptsResponse = z.strictObject({ failedAttempts: z.int(), locked: z.boolean() });

export const cardResponse = z.strictObject({
  card: z.strictObject({
    id: uuid,
    cardNumber: z.string(),
    status: z.enum(["active", "blocked", "closed"]),
    pointsBalance: z.int(),
    stampsBalance: z.int(),
    firstName: z.string(),
    lastName: z.string(),
  }),
});

const transactionBase = {
  /** Chosen by the device, one per operation (a UUID); a retry sends the same key. */
  idempotencyKey: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w:.-]+$/),
  /** The counter staff member who unlocked the device with their PIN. */
  staffId: uuid,
  /** When the operation happened on the device. */
  clientTime: dateTime,
};
/** A card number (spaces allowed), the card's QR content, its card page URL, or its id. */
const cardReference = z.string().min(1).max(300);
const amountCents = z.int().min(1).max(10_000_000);

export const transactionRequest = z.discriminatedUnion("type", [
  z.strictObject({ ...transactionBase, type: z.literal("earn"), card: cardReference, amountCents }),
  z.strictObject({
    ...transactionBase,
    type: z.literal("stamp"),
    card: cardReference,
    amountCents: amountCents.optional(),
  }),
  z.strictObject({ ...transactionBase, type: z.literal("redeem"), card: cardReference, rewardId: uuid }),
  z.strictObject({
    ...transactionBase,
    type: z.literal("enroll"),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    email: z.email().max(254),
    locale,
  }),
]);

export const transactionResult = z.strictObject({
  transactionId: z.int(),
  type: z.enum(["earn", "stamp", "redeem", "enroll"]),
  cardId: uuid,
  cardNumber: z.string(),
  pointsDelta: z.int(),
  stampsDelta: z.int(),
  balance: z.strictObject({ points: z.int(), stamps: z.int() }),
  serverTime: dateTime,
  /** True when the idempotency key had been used: this is the original result, nothing changed. */
  replayed: z.boolean(),
  /** For enroll: `existing` when the email already had a card (it was sent a card-link email). */
  enrollment: z.enum(["enrolled", "existing"]).optional(),
});

/** What the router reads first; each item is then parsed on its own, so one bad item is one rejection. */
export const batchEnvelope = z.strictObject({ transactions: z.array(z.unknown()).min(1).max(maxBatchSize) });
export const batchRequest = z.strictObject({ transactions: z.array(transactionRequest).min(1).max(maxBatchSize) });

const batchKey = z.string().nullable();
export const batchResponse = z.strictObject({
  results: z.array(
    z.discriminatedUnion("status", [
      z.strictObject({
        index: z.int(),
        idempotencyKey: batchKey,
        status: z.literal("applied"),
        result: transactionResult,
      }),
      z.strictObject({
        index: z.int(),
        idempotencyKey: batchKey,
        status: z.literal("duplicate"),
        result: transactionResult,
      }),
      z.strictObject({ index: z.int(), idempotencyKey: batchKey, status: z.literal("rejected"), error: errorDetail }),
    ]),
  ),
});

/** One documented operation: its request body and its response body per status. */
export interface ApiOperation {
  method: "get" | "post";
  /** OpenAPI path template, under the prefix. */
  path: string;
  operationId: string;
  summary: string;
  /** false only for pairing: every other call sends `Authorization: Bearer <deviceToken>`. */
  authenticated: boolean;
  parameters?: { name: string; description: string }[];
  request?: z.ZodType;
  responses: Record<number, z.ZodType>;
}

const authenticatedErrors = { 401: errorResponse, 429: errorResponse };
const bodyErrors = { 400: errorResponse, 413: errorResponse, 415: errorResponse, 422: errorResponse };

export const operations: ApiOperation[] = [
  {
    method: "post",
    path: "/devices/pair",
    operationId: "pairDevice",
    summary: "Exchange a one-time pairing code for a device token",
    authenticated: false,
    request: pairRequest,
    responses: { 201: pairResponse, ...bodyErrors, 429: errorResponse },
  },
  {
    method: "get",
    path: "/bootstrap",
    operationId: "bootstrap",
    summary: "Store, program, rewards, counter staff with PIN hashes, idle lock and server time",
    authenticated: true,
    responses: { 200: bootstrapResponse, ...authenticatedErrors },
  },
  {
    method: "post",
    path: "/pins/{staffId}/verify",
    operationId: "verifyPin",
    summary: "Check a counter staff member's PIN online",
    authenticated: true,
    parameters: [{ name: "staffId", description: "The counter staff member's id" }],
    request: verifyPinRequest,
    responses: {
      200: verifyPinResponse,
      ...authenticatedErrors,
      ...bodyErrors,
      403: errorResponse,
      404: errorResponse,
      423: errorResponse,
    },
  },
  {
    method: "post",
    path: "/pins/{staffId}/failed-attempts",
    operationId: "reportFailedPinAttempts",
    summary: "Report wrong PINs entered while offline",
    authenticated: true,
    parameters: [{ name: "staffId", description: "The counter staff member's id" }],
    request: failedAttemptsRequest,
    responses: { 200: failedAttemptsResponse, ...authenticatedErrors, ...bodyErrors, 404: errorResponse },
  },
  {
    method: "get",
    path: "/cards/{code}",
    operationId: "findCard",
    summary: "A card by its number (spaces allowed), scanned QR content, card page URL or id",
    authenticated: true,
    parameters: [{ name: "code", description: "Card number, QR content or card page URL, URL-encoded" }],
    responses: { 200: cardResponse, ...authenticatedErrors, 400: errorResponse, 404: errorResponse },
  },
  {
    method: "post",
    path: "/transactions",
    operationId: "recordTransaction",
    summary: "Record one earn, stamp, redeem or enrollment (201; 200 when the key was already used)",
    authenticated: true,
    request: transactionRequest,
    responses: {
      200: transactionResult,
      201: transactionResult,
      ...authenticatedErrors,
      ...bodyErrors,
      403: errorResponse,
      404: errorResponse,
      409: errorResponse,
    },
  },
  {
    method: "post",
    path: "/transactions/batch",
    operationId: "recordTransactionBatch",
    summary: "Upload an offline queue of up to 500 transactions: a result per item",
    authenticated: true,
    request: batchRequest,
    responses: { 200: batchResponse, ...authenticatedErrors, ...bodyErrors },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "openApiDocument",
    summary: "This document",
    authenticated: false,
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
];
