import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { ServerBuild } from "react-router";
import type { Config } from "~/config.server";
import type { RequestContext } from "~/context";
import type { Database } from "~/db/client.server";
import { detectLocale, localeCookieName } from "~/i18n/detect";
import { type Locale, locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import type { AppLogger } from "~/logger.server";
import { sessionActor, sessionCookieName } from "~/modules/auth/sessions.server";
import { storefrontDirectory, type Tenant } from "~/modules/loyalty/storefront-directory.server";
import type { Actor } from "~/modules/scope/scope";
import { errorPageHtml } from "./error-page.server";
import { checkReadiness, type Readiness } from "./readiness.server";
import { type RouteTable, routeTable } from "./route-table.server";
import { isCrossSiteWrite, securityHeaders } from "./security.server";
import { terminalApi, terminalApiLoggablePath } from "./terminal-api/router.server";

export interface HttpAppOptions {
  config: Config;
  db: Database;
  logger: AppLogger;
  build: ServerBuild;
  /** build/client: hashed assets and public files. */
  clientDir: string;
  workerInProcess: boolean;
}

/** The request pipeline, step by step in the order docs/architecture.md describes. */
export function createHttpApp(options: HttpAppOptions) {
  const { config, db, logger } = options;
  const routes = withTerminalApiPaths(routeTable(options.build));
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", parseTrustProxy(config.TRUST_PROXY));

  app.use(requestIdAndLog(logger, routes));
  app.use(compression());
  app.use(securityHeaders({ isProduction: config.isProduction }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const readiness: Readiness = await checkReadiness(db, { workerInProcess: options.workerInProcess });
    res.status(readiness.status === "unavailable" ? 503 : 200).json(readiness);
  });

  app.use(
    "/assets",
    express.static(path.join(options.clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  app.use(publicFiles(options.clientDir));

  app.use(
    resolveTenant(db, config, logger),
    terminalApi({ db, config, logger }),
    signedInActor(db, config),
    negotiateLocale(config),
    requestContext(db, config, logger, routes),
    refuseCrossSiteWrites,
    refuseUnreadableBodies,
    refuseMalformedPaths,
    applyRouteRules(routes),
  );

  app.all(
    "/{*splat}",
    createRequestHandler({
      build: options.build,
      mode: config.isProduction ? "production" : "development",
      getLoadContext: (_req, res) => res.locals.context,
    }),
  );

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    logger.error(
      { err: error, requestId: res.locals.requestId, path: routes(req.path).loggablePath },
      "unhandled request error",
    );
    if (res.headersSent) return;
    const context = res.locals.context as RequestContext | undefined;
    res
      .status(500)
      .type("html")
      .send(errorPageHtml(context ?? { locale: "en", i18n: serverI18n("en") }, "server"));
  });

  return app;
}

/**
 * build/client's own files (favicon, demo logos, the terminal's manifest). Only a path whose first
 * segment is one of them reaches the file system: a stat per page request cost 2 % of a storefront GET.
 */
function publicFiles(clientDir: string): RequestHandler {
  const serve = express.static(clientDir, { maxAge: "1h", index: false });
  const entries = new Set(existsSync(clientDir) ? readdirSync(clientDir) : []);
  return (req, res, next) => {
    const first = req.path.split("/", 2)[1] ?? "";
    if (!entries.has(safeDecode(first))) return next();
    serve(req, res, next);
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The terminal API's paths are no React Router routes: their own rule hides a card code from the log. */
function withTerminalApiPaths(routes: RouteTable): RouteTable {
  return (pathname) => {
    const loggablePath = terminalApiLoggablePath(pathname);
    return loggablePath ? { handle: {}, loggablePath } : routes(pathname);
  };
}

/** What the steps below leave for the next ones, on `res.locals`. */
interface PipelineLocals {
  requestId: string;
  nonce: string;
  tenant?: Tenant;
  actor?: Actor | null;
  sessionToken?: string | null;
  locale?: Locale;
  context?: RequestContext;
}

const locals = (res: Response) => res.locals as PipelineLocals;

type Step = (req: Request, res: Response, next: NextFunction) => void | Promise<void>;

/** Express 5 forwards a rejected promise to the error handler; the wrapper keeps the steps' types plain. */
const step = (run: Step): RequestHandler => run as RequestHandler;

/** Request id (an incoming X-Request-Id if it looks like one), echoed, and one log line per response. */
function requestIdAndLog(logger: AppLogger, routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const tenant = locals(res).tenant;
      logger[res.statusCode >= 500 ? "error" : "info"](
        {
          requestId,
          method: req.method,
          path: routes(req.path).loggablePath,
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          tenant: tenant && (tenant.kind === "store" ? tenant.store.code : tenant.kind),
        },
        "request",
      );
    });
    next();
  };
}

/** The host decides the surface: the platform, a store (with its program), or nothing. */
function resolveTenant(db: Database, config: Config, logger: AppLogger): RequestHandler {
  const { resolve } = storefrontDirectory(db, config.PLATFORM_DOMAIN, logger);
  return step(async (req, res, next) => {
    locals(res).tenant = await resolve(req.hostname);
    next();
  });
}

/** The signed-in staff member from the session cookie: on the platform host only. */
function signedInActor(db: Database, config: Config): RequestHandler {
  return step(async (req, res, next) => {
    const sessionToken =
      locals(res).tenant?.kind === "platform"
        ? (parseCookie(req.get("cookie"), sessionCookieName(config.isProduction)) ?? null)
        : null;
    locals(res).sessionToken = sessionToken;
    locals(res).actor = sessionToken ? await sessionActor(db, sessionToken) : null;
    next();
  });
}

/**
 * The page's language (ADR 001). `?lang=` is remembered in the browser's cookie only: a signed-in
 * staff member's saved language changes by an explicit choice (the console's language form), never
 * by a link someone else may have crafted.
 */
function negotiateLocale(config: Config): RequestHandler {
  return (req, res, next) => {
    const tenant = locals(res).tenant as Tenant;
    const detected = detectLocale({
      query: typeof req.query.lang === "string" ? req.query.lang : null,
      userPreference: locals(res).actor?.preferredLanguage,
      cookie: parseCookie(req.get("cookie"), localeCookieName),
      acceptLanguage: req.get("accept-language"),
      enabled: tenant.kind === "store" ? tenant.store.enabledLanguages : locales,
      surfaceDefault: tenant.kind === "store" ? tenant.store.defaultLanguage : undefined,
    });
    if (detected.remember) {
      res.cookie(localeCookieName, detected.locale, localeCookieOptions(config));
    }
    locals(res).locale = detected.locale;
    res.setHeader("Content-Language", detected.locale);
    res.vary("Accept-Language");
    next();
  };
}

export function localeCookieOptions(config: Config) {
  return {
    path: "/",
    maxAge: 365 * 24 * 3600 * 1000,
    sameSite: "lax" as const,
    httpOnly: true,
    secure: config.isProduction,
  };
}

/** What every loader and action receives (`RequestContext`). */
function requestContext(db: Database, config: Config, logger: AppLogger, routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const { requestId, nonce, tenant, locale, actor, sessionToken } = locals(res);
    locals(res).context = {
      db,
      config,
      logger: logger.child({ requestId, path: routes(req.path).loggablePath }),
      requestId,
      nonce,
      tenant: tenant as Tenant,
      locale: locale as Locale,
      i18n: serverI18n(locale as Locale),
      clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
      actor: actor ?? null,
      sessionToken: sessionToken ?? null,
    };
    next();
  };
}

/** A write from another site (ADR 004) gets a localized 403 page. */
const refuseCrossSiteWrites: RequestHandler = (req, res, next) => {
  if (!isCrossSiteWrite(req)) return next();
  res
    .status(403)
    .type("html")
    .send(errorPageHtml(contextOf(res), "forbidden"));
};

/** 411 for a body of unknown length, 413 for one over the limit: forms are parsed in memory. */
const refuseUnreadableBodies: RequestHandler = (req, res, next) => {
  const problem = bodySizeProblem(req);
  if (!problem) return next();
  res
    .status(problem)
    .type("html")
    .send(errorPageHtml(contextOf(res), "badRequest"));
};

/** React Router decodes path segments; a malformed escape such as `%E0%A4%A` would throw there. */
const refuseMalformedPaths: RequestHandler = (req, res, next) => {
  if (hasValidPercentEncoding(req.path)) return next();
  res
    .status(400)
    .type("html")
    .send(errorPageHtml(contextOf(res), "badRequest"));
};

/**
 * The matched routes' rules (`RouteHandle`): staff routes answer 404 off the platform host, for
 * loaders and actions alike, so staff credentials are never posted through a merchant's domain;
 * private pages are never cached.
 */
function applyRouteRules(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const { handle } = routes(req.path);
    if (handle.surface === "platform" && locals(res).tenant?.kind !== "platform") {
      res
        .status(404)
        .type("html")
        .send(errorPageHtml(contextOf(res), "notFound"));
      return;
    }
    if (handle.private) res.setHeader("Cache-Control", "no-store");
    next();
  };
}

const contextOf = (res: Response) => locals(res).context as RequestContext;

export function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined; // A mangled cookie counts as no cookie, not as a broken site.
    }
  }
  return undefined;
}

/** Express's `trust proxy`: off, a hop count ("1"), or addresses / CIDRs / names like "loopback". */
function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",").map((entry) => entry.trim());
}

/** The largest form the app accepts: forms are a few kilobytes; this stops a body from filling memory. */
export const maxBodyBytes = 1024 * 1024;

function bodySizeProblem(req: Request): 411 | 413 | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const length = req.get("content-length");
  if (length === undefined) return req.get("transfer-encoding") ? 411 : null;
  return Number(length) > maxBodyBytes ? 413 : null;
}

function hasValidPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
