import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { type Runner, run, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import postgres from "postgres";
import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import { crontab, type JobName, jobNames } from "~/jobs/definitions";
import { type AppLogger, graphileLogger } from "~/logger.server";
import { cachedReads } from "~/modules/messaging/delivery-reads.server";
import { createMailer } from "~/modules/messaging/transport.server";
import { workerHeartbeats } from "~/modules/ops/schema";
import { expirePointsTask } from "./tasks/expire-points.server";
import { pruneExpiredRowsTask } from "./tasks/prune-expired-rows.server";
import { sendEmailTask } from "./tasks/send-email.server";
import { walletRetireObjectTask } from "./tasks/wallet-retire-object.server";
import { walletRewardMessageTask } from "./tasks/wallet-reward-message.server";
import { walletSyncCardTask } from "./tasks/wallet-sync-card.server";
import { walletSyncClassTask } from "./tasks/wallet-sync-class.server";
import { heartbeatIntervalMs, type WorkerDeps } from "./worker-deps";

/** One handler per job name: a name without a handler fails the type check. */
export function buildTaskList(deps: WorkerDeps) {
  return {
    send_email: sendEmailTask(deps),
    prune_expired_rows: pruneExpiredRowsTask(deps),
    expire_points: expirePointsTask(deps),
    wallet_sync_card: walletSyncCardTask(deps),
    wallet_sync_class: walletSyncClassTask(deps),
    wallet_reward_message: walletRewardMessageTask(deps),
    wallet_retire_object: walletRetireObjectTask(deps),
  } satisfies { [N in JobName]: Task<N> };
}

/** Throws when any enqueueable job name has no handler in the list the worker actually runs. */
export function assertEveryJobHasHandler(taskList: TaskList): void {
  const missing = jobNames.filter((name) => typeof taskList[name] !== "function");
  if (missing.length > 0) throw new Error(`worker refuses to start: no handler for job(s) ${missing.join(", ")}`);
}

export { heartbeatIntervalMs };
/** A worker silent for this long is suspected dead; its session lock decides (see releaseDeadWorkers). */
export const staleWorkerMs = 3 * heartbeatIntervalMs;

/** The advisory lock a worker holds on its own connection for as long as it lives. */
const livenessLock = (workerId: string) => sql`hashtext(${`rewardflow-worker:${workerId}`})`;

/**
 * Frees the jobs and email leases of workers that died (killed, out of memory, machine lost):
 * Graphile Worker would otherwise leave their jobs locked for four hours. A stale heartbeat only
 * makes a worker suspect; it is dead when its session lock can be taken, i.e. its connection is
 * gone. A worker that is merely slow (event loop busy, pool starved) keeps its lock and its jobs.
 */
export async function releaseDeadWorkers(db: Database, staleAfterMs = staleWorkerMs): Promise<string[]> {
  return db.transaction(async (tx) => {
    const suspects = await tx.execute<{ worker_id: string; graphile_worker_ids: string[] }>(sql`
      select worker_id, graphile_worker_ids from worker_heartbeats
      where last_seen_at < now() - make_interval(secs => ${staleAfterMs / 1000})
      for update skip locked`);
    const dead: { worker_id: string; graphile_worker_ids: string[] }[] = [];
    for (const suspect of suspects) {
      // Transaction-scoped: taken only if no live session holds it, released at commit.
      const [probe] = await tx.execute<{ free: boolean }>(
        sql`select pg_try_advisory_xact_lock(${livenessLock(suspect.worker_id)}) as free`,
      );
      if (probe?.free) dead.push(suspect);
    }
    if (dead.length === 0) return [];
    const workerIds = dead.map((row) => row.worker_id);
    const poolIds = dead.flatMap((row) => row.graphile_worker_ids);
    // One array parameter: interpolating an array itself would expand it into a row of parameters.
    await tx.execute(sql`delete from worker_heartbeats where worker_id = any(${sql.param(workerIds)}::text[])`);
    if (poolIds.length > 0) {
      await tx.execute(sql`select graphile_worker.force_unlock_workers(${sql.param(poolIds)}::text[])`);
    }
    await tx.execute(sql`
      update email_logs set claimed_at = null
      where status = 'sending' and claimed_by = any(${sql.param(workerIds)}::text[])`);
    return workerIds;
  });
}

export interface RunningWorker {
  workerId: string;
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
  heartbeatIntervalMs?: number;
}): Promise<RunningWorker> {
  const logger = options.logger.child({ component: "worker" });
  const mailer = createMailer(options.db, { maxConnections: options.config.WORKER_CONCURRENCY });
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const reads = cachedReads(options.db, logger);
  const taskList = buildTaskList({ config: options.config, db: options.db, logger, mailer, reads, workerId });
  assertEveryJobHasHandler(taskList);
  // Held on a connection of its own for the worker's whole life: peers can tell it is alive. The
  // connection is never recycled, and the server drops it within a minute if the machine vanishes.
  const liveness = postgres(options.connectionString, {
    max: 1,
    max_lifetime: null,
    onnotice: () => {},
    connection: { tcp_keepalives_idle: "15", tcp_keepalives_interval: "5", tcp_keepalives_count: "3" },
  });
  const lockKey = `rewardflow-worker:${workerId}`;
  const holdLivenessLock = async () => {
    // Taken again after a reconnect (database restart, failover): session locks die with the session.
    const [held] = await liveness.unsafe(
      `select exists (
         select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted
           and objid = (hashtext($1)::bigint & 4294967295)::oid
       ) as held`,
      [lockKey],
    );
    if (!held?.held) await liveness.unsafe("select pg_advisory_lock(hashtext($1))", [lockKey]);
    return Boolean(held?.held);
  };
  await holdLivenessLock();
  const graphileWorkerIds: string[] = [];
  const events: WorkerEvents = new EventEmitter();
  // Jobs are locked in the pool's name (`locked_by`), so the pool id is what a peer must unlock.
  events.on("pool:create", ({ workerPool }) => graphileWorkerIds.push(workerPool.id));
  const beat = async () => {
    if (!(await holdLivenessLock())) logger.error({ workerId }, "worker liveness lock was lost and taken again");
    await options.db
      .insert(workerHeartbeats)
      .values({ workerId, hostname: hostname(), graphileWorkerIds })
      .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { lastSeenAt: sql`now()`, graphileWorkerIds } });
    const released = await releaseDeadWorkers(options.db, options.staleAfterMs);
    if (released.length > 0)
      logger.warn({ deadWorkers: released }, "released the jobs of workers that stopped beating");
  };
  let runner: Runner;
  try {
    runner = await run({
      events,
      connectionString: options.connectionString,
      taskList: taskList as TaskList,
      concurrency: options.config.WORKER_CONCURRENCY,
      noHandleSignals: true,
      pollInterval: options.pollInterval ?? 2000,
      crontab,
      logger: graphileLogger(logger),
    });
  } catch (error) {
    mailer.close();
    await liveness.end({ timeout: 5 });
    throw error;
  }
  try {
    await beat();
  } catch (error) {
    await runner.stop();
    mailer.close();
    await liveness.end({ timeout: 5 });
    throw error;
  }
  const timer = setInterval(() => {
    beat().catch((error) => logger.error({ err: error }, "worker heartbeat failed"));
  }, options.heartbeatIntervalMs ?? heartbeatIntervalMs);
  timer.unref();
  logger.info({ workerId, tasks: Object.keys(taskList) }, "worker started");
  return {
    workerId,
    runner,
    taskList: taskList as TaskList,
    async stop() {
      // Keep beating while jobs in progress finish, so peers never take a draining worker for dead.
      try {
        await runner.stop();
      } finally {
        clearInterval(timer);
        mailer.close();
        await options.db.delete(workerHeartbeats).where(sql`${workerHeartbeats.workerId} = ${workerId}`);
        await liveness.end({ timeout: 5 });
        logger.info({ workerId }, "worker stopped");
      }
    },
  };
}
