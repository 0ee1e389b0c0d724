import { loadConfigOrExit, runningEmbeddedDatabaseUrl } from "~/boot.server";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { createLogger } from "~/logger.server";
import { startWorker } from "~/worker/worker.server";

/** A standalone worker: as many as needed run beside the web processes, coordinated by PostgreSQL. */
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);

const url = config.DATABASE_URL ?? runningEmbeddedDatabaseUrl(config);
if (!url) {
  process.stderr.write(
    "Invalid configuration: DATABASE_URL is required for `npm run worker` (or start `npm start` first to use its embedded database)\n",
  );
  process.exit(78);
}

const db = createDatabase(url, { max: config.WORKER_CONCURRENCY + 2 });
const worker = await startWorker({ config, db, connectionString: url, logger });
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing jobs in progress");
  await worker.stop();
  await closeDatabase(db);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
