import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { type Runner, run, type Task, type TaskList } from "graphile-worker";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { type AppLogger, graphileLogger } from "~/logger.server";
import { createEmailTransport, type EmailTransport } from "~/modules/messaging/transport.server";
import { workerHeartbeats } from "~/modules/ops/schema";
import { crontab, type JobName, jobNames } from "./definitions";
import { pruneExpiredRowsTask } from "./tasks/prune-expired-rows.server";
import { sendEmailTask } from "./tasks/send-email.server";

export interface WorkerDeps {
  config: Config;
  db: Database;
  logger: AppLogger;
  transport: EmailTransport;
}

/** One handler per job name: a name without a handler fails the type check. */
export function buildTaskList(deps: WorkerDeps) {
  return {
    send_email: sendEmailTask(deps),
    prune_expired_rows: pruneExpiredRowsTask(deps),
  } satisfies { [N in JobName]: Task<N> };
}

/** Throws when any enqueueable job name has no handler in the list the worker actually runs. */
export function assertEveryJobHasHandler(taskList: TaskList): void {
  const missing = jobNames.filter((name) => typeof taskList[name] !== "function");
  if (missing.length > 0) throw new Error(`worker refuses to start: no handler for job(s) ${missing.join(", ")}`);
}

export const heartbeatIntervalMs = 10_000;

export interface RunningWorker {
  runner: Runner;
  /** The handlers this worker was started with. */
  taskList: TaskList;
  stop(): Promise<void>;
}

export async function startWorker(options: {
  config: Config;
  db: Database;
  connectionString: string;
  logger: AppLogger;
  pollInterval?: number;
}): Promise<RunningWorker> {
  const logger = options.logger.child({ component: "worker" });
  const transport = createEmailTransport(options.config, options.db);
  const taskList = buildTaskList({ config: options.config, db: options.db, logger, transport });
  assertEveryJobHasHandler(taskList);
  const runner = await run({
    connectionString: options.connectionString,
    taskList: taskList as TaskList,
    concurrency: options.config.WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2000,
    crontab,
    logger: graphileLogger(logger),
  });
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const beat = async () => {
    await options.db
      .insert(workerHeartbeats)
      .values({ workerId, hostname: hostname() })
      .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()` } });
  };
  await beat();
  const timer = setInterval(() => {
    beat().catch((error) => logger.error({ err: error }, "worker heartbeat failed"));
  }, heartbeatIntervalMs);
  timer.unref();
  logger.info({ workerId, tasks: Object.keys(taskList) }, "worker started");
  return {
    runner,
    taskList: taskList as TaskList,
    async stop() {
      clearInterval(timer);
      await runner.stop();
      transport.close();
      await options.db.delete(workerHeartbeats).where(sql`${workerHeartbeats.workerId} = ${workerId}`);
      logger.info({ workerId }, "worker stopped");
    },
  };
}
