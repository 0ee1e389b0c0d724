/**
 * A real worker in its own process, for tests that must kill one (`kill -9`) mid-batch.
 * Run with `node --import tsx app/test/worker-child.ts`; configured through the environment
 * (DATABASE_URL, SMTP_*, WORKER_CONCURRENCY, WORKER_POLL_INTERVAL). Prints one JSON line
 * `{"ready": true, "pid": …}` on stdout once the worker runs.
 */
import { loadConfig } from "~/config.server";
import { closeDatabase, createDatabase } from "~/db/client.server";
import { createLogger } from "~/logger.server";
import { startWorker } from "~/worker/worker.server";

const config = loadConfig(process.env);
const url = config.DATABASE_URL;
if (!url) throw new Error("worker-child: DATABASE_URL is required");
const db = createDatabase(url);
const worker = await startWorker({
  config,
  db,
  connectionString: url,
  logger: createLogger(config.LOG_LEVEL),
  pollInterval: Number(process.env.WORKER_POLL_INTERVAL ?? 100),
});
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);

process.once("SIGTERM", () => {
  worker
    .stop()
    .then(() => closeDatabase(db))
    .finally(() => process.exit(0));
});
