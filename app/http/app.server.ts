import { randomUUID } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import type { ServerBuild } from "react-router";
import type { Config } from "~/config.server";
import type { RequestContext } from "~/context";
import type { Database } from "~/db/client.server";
import { detectLocale, localeCookieName } from "~/i18n/detect";
import { locales } from "~/i18n/locales";
import { serverI18n } from "~/i18n/resources.server";
import { type AppLogger, loggablePath } from "~/logger.server";
import { sessionActor, sessionCookieName } from "~/modules/auth/sessions.server";
import { saveLanguagePreference } from "~/modules/auth/users.server";
import { resolveHost } from "~/modules/tenancy/stores.server";
import { errorPageHtml } from "./error-page.server";
import { checkReadiness, type Readiness } from "./readiness.server";
import { isCrossSiteWrite, securityHeaders } from "./security.server";

export interface HttpAppOptions {
  config: Config;
  db: Database;
  logger: AppLogger;
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** build/client: hashed assets and public files. */
  clientDir: string;
  workerInProcess: boolean;
}

export function createHttpApp(options: HttpAppOptions) {
  const { config, db, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", parseTrustProxy(config.TRUST_PROXY));

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const tenant = res.locals.tenant as string | undefined;
      logger[res.statusCode >= 500 ? "error" : "info"](
        {
          requestId,
          method: req.method,
          path: loggablePath(req.originalUrl),
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          tenant,
        },
        "request",
      );
    });
    next();
  });
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
  app.use(express.static(options.clientDir, { maxAge: "1h", index: false }));

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const tenant = await resolveHost(db, req.hostname, config.PLATFORM_DOMAIN);
      const enabled = tenant.kind === "store" ? tenant.store.enabledLanguages : locales;
      const query = typeof req.query.lang === "string" ? req.query.lang : null;
      const sessionToken =
        tenant.kind === "platform"
          ? (parseCookie(req.get("cookie"), sessionCookieName(config.isProduction)) ?? null)
          : null;
      const actor = sessionToken ? await sessionActor(db, sessionToken) : null;
      const detected = detectLocale({
        query,
        userPreference: actor?.preferredLanguage,
        cookie: parseCookie(req.get("cookie"), localeCookieName),
        acceptLanguage: req.get("accept-language"),
        enabled,
        surfaceDefault: tenant.kind === "store" ? tenant.store.defaultLanguage : undefined,
      });
      if (detected.remember && actor && actor.preferredLanguage !== detected.locale) {
        await saveLanguagePreference(db, actor.userId, detected.locale);
        actor.preferredLanguage = detected.locale;
      }
      if (detected.remember) {
        res.cookie(localeCookieName, detected.locale, {
          path: "/",
          maxAge: 365 * 24 * 3600 * 1000,
          sameSite: "lax",
          httpOnly: true,
          secure: config.isProduction,
        });
      }
      res.locals.tenant = tenant.kind === "store" ? tenant.store.code : tenant.kind;
      const context: RequestContext = {
        db,
        config,
        logger: logger.child({ requestId: res.locals.requestId }),
        requestId: res.locals.requestId,
        nonce: res.locals.nonce,
        tenant,
        locale: detected.locale,
        i18n: serverI18n(detected.locale),
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
        actor,
        sessionToken,
      };
      res.locals.context = context;
      res.setHeader("Content-Language", detected.locale);
      res.vary("Accept-Language");
      if (isCrossSiteWrite(req)) {
        res.status(403).type("html").send(errorPageHtml(context, "forbidden"));
        return;
      }
      const bodyProblem = bodySizeProblem(req);
      if (bodyProblem) {
        res.status(bodyProblem).type("html").send(errorPageHtml(context, "badRequest"));
        return;
      }
      if (!hasValidPercentEncoding(req.path)) {
        res.status(400).type("html").send(errorPageHtml(context, "badRequest"));
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  });

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
      { err: error, requestId: res.locals.requestId, path: loggablePath(req.originalUrl) },
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

/** 411 for a body of unknown length, 413 for one over the limit: forms are parsed in memory. */
function bodySizeProblem(req: Request): 411 | 413 | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const length = req.get("content-length");
  if (length === undefined) return req.get("transfer-encoding") ? 411 : null;
  return Number(length) > maxBodyBytes ? 413 : null;
}

/** React Router decodes path segments; a malformed escape such as `%E0%A4%A` would throw there. */
function hasValidPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
