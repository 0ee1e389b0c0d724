import type { Server } from "node:http";
import type { ServerBuild } from "react-router";
import { loadConfigOrExit, openDatabase } from "~/boot.server";
import { clientBuildDir, ensureBuild, serverBuildPath } from "~/build.server";
import { createLogger } from "~/logger.server";
import type { RunningWorker } from "~/worker/worker.server";

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);

/**
 * The rest of the app, imported while the build and the embedded database start in processes of
 * their own: on a first start, loading these modules is most of this process's own work.
 */
async function loadApp() {
  const [http, httpServer, users, demoTenants, devDatabase, prepare, stores, worker] = await Promise.all([
    import("~/http/app.server"),
    import("~/http/server.server"),
    import("~/modules/auth/users.server"),
    import("~/modules/ops/demo-tenants.server"),
    import("~/modules/ops/dev-database.server"),
    import("~/modules/ops/prepare-database.server"),
    import("~/modules/tenancy/stores.server"),
    // Only a process that runs jobs loads the worker and the email renderer behind it.
    config.WORKER === "on" ? import("~/worker/worker.server") : null,
  ]);
  return { http, httpServer, users, demoTenants, devDatabase, prepare, stores, worker };
}

async function main() {
  const building =
    !config.isProduction || process.env.REWARDFLOW_BUILD === "if-needed" ? ensureBuild(logger) : Promise.resolve();
  // A failed build stops the start at once, not after the database and the seed.
  const built = building.catch((error) => {
    logger.fatal({ err: error }, "RewardFlow failed to start");
    process.exit(1);
  });
  // The database first: it starts PostgreSQL before the imports below fill the module loader.
  const [database, modules] = await Promise.all([openDatabase(config, logger), loadApp()]);
  const { createHttpApp } = modules.http;
  const { createHttpServer } = modules.httpServer;
  const { demoStaff, ensureFirstAdmin } = modules.users;
  const { demoMerchants } = modules.demoTenants;
  const { seedDevelopmentData } = modules.devDatabase;
  const { prepareDatabase } = modules.prepare;
  const { storeOrigin } = modules.stores;
  let worker: RunningWorker | null = null;
  let server: Server | null = null;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new requests, finishing in-flight work");
    const forced = setTimeout(() => {
      logger.error("shutdown took longer than 25 s; exiting");
      process.exit(1);
    }, 25_000);
    forced.unref();
    try {
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await worker?.stop();
      await database.close();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await prepareDatabase(database.db, database.url, logger);
  const seed = config.SEED_DEMO ? config.SEED_DEMO === "on" : !config.isProduction;
  let counterLines: string[] = [];
  if (seed) {
    const started = performance.now();
    const demo = await seedDevelopmentData(database.db);
    counterLines = demo.counterLines;
    if (demo.merchants > 0) {
      logger.info(
        { merchants: demo.merchants, ...demo.history, ms: Math.round(performance.now() - started) },
        "demo tenants and their history seeded",
      );
    }
  }
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    if (await ensureFirstAdmin(database.db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD)) {
      logger.info({ email: config.ADMIN_EMAIL }, "first platform admin created from ADMIN_EMAIL");
    }
  }
  if (modules.worker) {
    worker = await modules.worker.startWorker({ config, db: database.db, connectionString: database.url, logger });
  }
  await built;
  const build = (await import(serverBuildPath)) as ServerBuild;
  const app = createHttpApp({
    config,
    db: database.db,
    logger,
    build,
    clientDir: clientBuildDir,
    workerInProcess: worker !== null,
  });
  server = createHttpServer(app);
  server.listen(config.PORT, config.HOST, () => {
    const lines = [`RewardFlow is running: ${config.platformOrigin}`];
    if (seed) {
      for (const merchant of demoMerchants) {
        for (const store of merchant.stores) {
          lines.push(
            `  ${store.name.padEnd(14)} ${storeOrigin(config.platformOrigin, { subdomain: store.subdomain, customDomain: null })}`,
          );
        }
      }
    }
    if (seed) {
      lines.push(
        `  Admin console   ${config.platformOrigin}/admin    ${demoStaff.admin.email} / ${demoStaff.admin.password}`,
      );
      lines.push(
        `  Merchant portal ${config.platformOrigin}/merchant ${demoStaff.owner.email} / ${demoStaff.owner.password}`,
      );
      for (const line of counterLines) lines.push(`  ${line}`);
    }
    lines.push(
      config.SMTP_HOST
        ? `  email: SMTP ${config.SMTP_HOST} (unless changed in ${config.platformOrigin}/admin/settings)`
        : `  email: development outbox, see ${config.platformOrigin}/admin/email-logs (or set SMTP in /admin/settings)`,
    );
    // Time since this process started, so a first start and a later one can be compared from the log.
    logger.info({ ms: Math.round(performance.now()) }, "ready");
    process.stdout.write(`\n${lines.join("\n")}\n\n`);
  });
  server.on("error", (error) => {
    logger.fatal({ err: error }, "HTTP server failed");
    void shutdown("error");
  });
}

main().catch((error) => {
  logger.fatal({ err: error }, "RewardFlow failed to start");
  process.exit(1);
});
