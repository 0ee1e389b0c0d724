import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { ZodType, z } from "zod";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { DomainError } from "~/errors";
import { detectLocale } from "~/i18n/detect";
import { type Locale, locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import type { AppLogger } from "~/logger.server";
import { hitRateLimit } from "~/modules/ops/rate-limit.server";
import type { HostResolution, Store } from "~/modules/tenancy/stores.server";
import {
  type CounterTransaction,
  type CounterTransactionResult,
  findCounterCard,
  recordCounterBatch,
  recordCounterTransaction,
  terminalBootstrap,
} from "~/modules/terminal/counter.server";
import { reportFailedPinAttempts, verifyPin } from "~/modules/terminal/counter-staff.server";
import { type AuthenticatedDevice, authenticateDevice, pairDevice } from "~/modules/terminal/devices.server";
import {
  type ApiErrorCode,
  batchEnvelope,
  failedAttemptsRequest,
  pairRequest,
  terminalApiMaxBodyBytes,
  terminalApiPrefix,
  transactionRequest,
  verifyPinRequest,
} from "./contract";
import { openApiDocument } from "./openapi";

/** Pairing attempts per client address in this window (LOGIN_RATE_LIMIT of them): codes cannot be guessed. */
const pairingRateWindowSeconds = 600;

interface ApiLocals {
  tenant?: HostResolution;
  apiLocale?: Locale;
  device?: AuthenticatedDevice;
}
const apiLocals = (res: Response) => res.locals as ApiLocals;

/** A refusal in the API's one error shape. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly issues?: { path: (string | number)[]; message: string }[],
  ) {
    super(code);
  }
}

/**
 * The terminal API (`/api/terminal/v1`, ADR 017), a step of the pipeline before React Router: on
 * the platform host only (a store host answers 404 JSON), JSON in and out, one error shape.
 */
export function terminalApi(options: { db: Database; config: Config; logger: AppLogger }): RequestHandler {
  const router = terminalRouter(options);
  return (req, res, next) => {
    if (req.path !== terminalApiPrefix && !req.path.startsWith(`${terminalApiPrefix}/`)) return next();
    apiLocals(res).apiLocale = detectLocale({
      query: null,
      userPreference: undefined,
      cookie: undefined,
      acceptLanguage: req.get("accept-language"),
      enabled: locales,
      surfaceDefault: undefined,
    }).locale;
    res.setHeader("Content-Language", apiLocals(res).apiLocale as Locale);
    res.vary("Accept-Language");
    res.setHeader("Cache-Control", "no-store");
    if (apiLocals(res).tenant?.kind !== "platform") {
      sendError(res, new ApiError(404, "endpoint_not_found"));
      return;
    }
    router(req, res, () => sendError(res, new ApiError(404, "endpoint_not_found")));
  };
}

/** What the request log shows for an API path: the card code (a number or a card page token) hidden. */
export function terminalApiLoggablePath(path: string): string | null {
  if (!path.startsWith(`${terminalApiPrefix}/cards/`)) return null;
  return `${terminalApiPrefix}/cards/:code`;
}

function terminalRouter({ db, config, logger }: { db: Database; config: Config; logger: AppLogger }) {
  const api = express.Router({ caseSensitive: true, strict: false });
  const json = express.json({ limit: terminalApiMaxBodyBytes, strict: false, type: () => true });

  /** 415 unless the body is declared JSON; then 413 / 400 from the parser, in the error handler below. */
  const readJson: RequestHandler = (req, res, next) => {
    if (!req.is("application/json")) return sendError(res, new ApiError(415, "unsupported_media_type"));
    json(req, res, next);
  };

  const authenticated: RequestHandler = async (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const token = /^Bearer ([\w-]{1,200})$/.exec(header)?.[1] ?? "";
    const version = req.get("x-terminal-version");
    const queue = req.get("x-terminal-queue");
    const device = await authenticateDevice(db, token, {
      appVersion: version && /^[\w.+-]{1,64}$/.test(version) ? version : undefined,
      queueCount: queue && /^\d{1,7}$/.test(queue) ? Number(queue) : undefined,
    });
    apiLocals(res).device = device;
    const hit = await hitRateLimit(
      db,
      `terminal:${device.device.id}`,
      config.TERMINAL_RATE_LIMIT,
      config.TERMINAL_RATE_WINDOW_SECONDS,
    );
    if (!hit.allowed) {
      res.setHeader("Retry-After", String(hit.retryAfterSeconds));
      return sendError(res, new ApiError(429, "rate_limited"));
    }
    next();
  };

  api.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });

  api.post("/devices/pair", readJson, async (req, res) => {
    const hit = await hitRateLimit(
      db,
      `terminal-pair:${req.ip ?? "unknown"}`,
      config.LOGIN_RATE_LIMIT,
      pairingRateWindowSeconds,
    );
    if (!hit.allowed) {
      res.setHeader("Retry-After", String(hit.retryAfterSeconds));
      return sendError(res, new ApiError(429, "rate_limited"));
    }
    const input = parse(pairRequest, req.body);
    const paired = await pairDevice(db, input);
    res.status(201).json({
      deviceToken: paired.deviceToken,
      device: {
        id: paired.device.id,
        name: paired.device.name,
        storeId: paired.device.storeId,
        pairedAt: paired.device.pairedAt,
      },
      store: storeJson(paired.store),
    });
  });

  api.get("/bootstrap", authenticated, async (_req, res) => {
    const bootstrap = await terminalBootstrap(db, deviceOf(res));
    const { program } = bootstrap;
    res.json({
      store: storeJson(bootstrap.store),
      program: program && {
        id: program.id,
        kind: program.kind,
        name: program.name,
        nameTranslations: program.nameTranslations,
        pointsPerEuro: program.pointsPerEuro,
        stampsPerPurchase: program.stampsPerPurchase,
        stampsPerCard: program.stampsPerCard,
        welcomeBonus: program.welcomeBonus,
        brandColor: program.brandColor,
        expiry: program.expiry,
        rewards: program.rewards.map((reward) => ({
          id: reward.id,
          name: reward.name,
          nameTranslations: reward.nameTranslations,
          cost: reward.cost,
        })),
      },
      counterStaff: bootstrap.counterStaff,
      idleLockMinutes: bootstrap.idleLockMinutes,
      pinLockThreshold: bootstrap.pinLockThreshold,
      serverTime: bootstrap.serverTime,
    });
  });

  api.post("/pins/:staffId/verify", authenticated, readJson, async (req, res) => {
    const { pin } = parse(verifyPinRequest, req.body);
    const staff = await verifyPin(db, deviceOf(res).device, String(req.params.staffId), pin);
    res.json({ staff });
  });

  api.post("/pins/:staffId/failed-attempts", authenticated, readJson, async (req, res) => {
    const report = parse(failedAttemptsRequest, req.body);
    const outcome = await reportFailedPinAttempts(db, deviceOf(res).device, String(req.params.staffId), {
      count: report.count,
      lastAttemptAt: new Date(report.lastAttemptAt),
    });
    res.json(outcome);
  });

  api.get("/cards/:code", authenticated, async (req, res) => {
    const card = await findCounterCard(db, deviceOf(res).store, String(req.params.code));
    res.json({ card });
  });

  api.post("/transactions", authenticated, readJson, async (req, res) => {
    const transaction = counterTransaction(parse(transactionRequest, req.body));
    const result = await recordCounterTransaction(db, deviceOf(res), transaction);
    res.status(result.replayed ? 200 : 201).json(transactionJson(result));
  });

  api.post("/transactions/batch", authenticated, readJson, async (req, res) => {
    const { transactions } = parse(batchEnvelope, req.body);
    const locale = apiLocals(res).apiLocale ?? "en";
    const items = transactions.map((item) => {
      const parsed = transactionRequest.safeParse(item);
      return parsed.success ? counterTransaction(parsed.data) : { invalid: "validation_failed" as const, parsed };
    });
    const outcomes = await recordCounterBatch(
      db,
      deviceOf(res),
      items.map((item) => ("invalid" in item ? { invalid: item.invalid } : item)),
    );
    res.json({
      results: outcomes.map((outcome, index) => {
        const item = items[index];
        const key = (transactions[index] as { idempotencyKey?: unknown } | null)?.idempotencyKey;
        const idempotencyKey = typeof key === "string" ? key : null;
        if (outcome.status !== "rejected") {
          return { index, idempotencyKey, status: outcome.status, result: transactionJson(outcome.result) };
        }
        const issues = item && "invalid" in item ? issuesOf(item.parsed.error) : undefined;
        return {
          index,
          idempotencyKey,
          status: "rejected",
          error: { code: outcome.code, message: messageOf(outcome.code, locale, deviceOf(res).store), issues },
        };
      }),
    });
  });

  api.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof ApiError) return sendError(res, error);
    if (error instanceof DomainError) return sendError(res, new ApiError(error.status, error.code));
    // A path parameter that is not valid percent-encoding (`/cards/%`): the router cannot decode it.
    if (error instanceof URIError) return sendError(res, new ApiError(400, "badRequest"));
    // body-parser's errors: too large, unparsable, or an unreadable stream or charset.
    const parserError = error as { type?: string; status?: number };
    if (parserError.type === "entity.too.large") return sendError(res, new ApiError(413, "payload_too_large"));
    if (typeof parserError.type === "string" && parserError.status && parserError.status < 500) {
      return sendError(res, new ApiError(400, "malformed_json"));
    }
    logger.error({ err: error, requestId: res.locals.requestId, path: req.path }, "unhandled terminal API error");
    sendError(res, new ApiError(500, "internal_error"));
  });

  return express.Router().use(terminalApiPrefix, api);
}

function parse<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(422, "validation_failed", issuesOf(parsed.error));
  return parsed.data;
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment)),
    message: issue.message,
  }));
}

function counterTransaction(input: z.infer<typeof transactionRequest>): CounterTransaction {
  return { ...input, clientTime: new Date(input.clientTime) } as CounterTransaction;
}

function transactionJson(result: CounterTransactionResult) {
  return {
    transactionId: result.transactionId,
    type: result.type,
    cardId: result.cardId,
    cardNumber: result.cardNumber,
    pointsDelta: result.pointsDelta,
    stampsDelta: result.stampsDelta,
    balance: result.balance,
    serverTime: result.serverTime,
    replayed: result.replayed,
    ...(result.enrollment ? { enrollment: result.enrollment } : {}),
  };
}

function storeJson(store: Store) {
  return {
    id: store.id,
    code: store.code,
    name: store.name,
    defaultLanguage: store.defaultLanguage,
    enabledLanguages: store.enabledLanguages,
    timezone: store.timezone,
  };
}

const deviceOf = (res: Response) => apiLocals(res).device as AuthenticatedDevice;

function messageOf(code: ApiErrorCode, locale: Locale, store?: Store): string {
  const key = code === "internal_error" ? "server" : code;
  return serverI18n(locale).t(`common:errors.${key}.body`, { store: store?.name ?? "" }) as string;
}

function sendError(res: Response, error: ApiError) {
  const locale = apiLocals(res).apiLocale ?? "en";
  res.status(error.status).json({
    error: {
      code: error.code,
      message: messageOf(error.code, locale, apiLocals(res).device?.store),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  });
}
