import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { type Runner, run, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { type AppLogger, graphileLogger } from "~/logger.server";
import { createMailer, type Mailer } from "~/modules/messaging/transport.server";
import { workerHeartbeats } from "~/modules/ops/schema";
import { crontab, type JobName, jobNames } from "./definitions";
import { pruneExpiredRowsTask } from "./tasks/prune-expired-rows.server";
import { sendEmailTask } from "./tasks/send-email.server";

export interface WorkerDeps {
  config: Config;
  db: Database;
  logger: AppLogger;
  mailer: Mailer;
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
/** A worker silent for this long is taken for dead, and its jobs are handed to the living. */
export const staleWorkerMs = 3 * heartbeatIntervalMs;

/**
 * Frees the jobs of workers whose heartbeat stopped (killed, out of memory, machine lost):
 * Graphile Worker would otherwise leave them locked for four hours. Their rows in email_logs
 * are still `queued` or `sending`, and a `sending` row is safe to send again.
 */
export async function releaseDeadWorkers(db: Database, staleAfterMs = staleWorkerMs): Promise<string[]> {
  return db.transaction(async (tx) => {
    const dead = await tx.execute<{ worker_id: string; graphile_worker_ids: string[] }>(sql`
      delete from worker_heartbeats
      where last_seen_at < now() - make_interval(secs => ${staleAfterMs / 1000})
      returning worker_id, graphile_worker_ids`);
    const ids = dead.flatMap((row) => row.graphile_worker_ids);
    // One array parameter: interpolating the array itself would expand it into a row of parameters.
    if (ids.length > 0) await tx.execute(sql`select graphile_worker.force_unlock_workers(${sql.param(ids)}::text[])`);
    return dead.map((row) => row.worker_id);
  });
}

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
  staleAfterMs?: number;
}): Promise<RunningWorker> {
  const logger = options.logger.child({ component: "worker" });
  const mailer = createMailer(options.db, { maxConnections: options.config.WORKER_CONCURRENCY });
  const taskList = buildTaskList({ config: options.config, db: options.db, logger, mailer });
  assertEveryJobHasHandler(taskList);
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const graphileWorkerIds: string[] = [];
  const events: WorkerEvents = new EventEmitter();
  // Jobs are locked in the pool's name (`locked_by`), so the pool id is what a peer must unlock.
  events.on("pool:create", ({ workerPool }) => graphileWorkerIds.push(workerPool.id));
  const beat = async () => {
    await options.db
      .insert(workerHeartbeats)
      .values({ workerId, hostname: hostname(), graphileWorkerIds })
      .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()`, graphileWorkerIds } });
    const released = await releaseDeadWorkers(options.db, options.staleAfterMs);
    if (released.length > 0)
      logger.warn({ deadWorkers: released }, "released the jobs of workers that stopped beating");
  };
  const runner = await run({
    events,
    connectionString: options.connectionString,
    taskList: taskList as TaskList,
    concurrency: options.config.WORKER_CONCURRENCY,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2000,
    crontab,
    logger: graphileLogger(logger),
  });
  try {
    await beat();
  } catch (error) {
    await runner.stop();
    mailer.close();
    throw error;
  }
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
      mailer.close();
      await options.db.delete(workerHeartbeats).where(sql`${workerHeartbeats.workerId} = ${workerId}`);
      logger.info({ workerId }, "worker stopped");
    },
  };
}
