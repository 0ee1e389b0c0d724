import { sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { migrationsAreCurrent } from "~/db/migrate.server";
import { heartbeatIntervalMs } from "~/worker/worker-deps";

export interface Readiness {
  status: "ok" | "degraded" | "unavailable";
  checks: {
    database: "ok" | "unreachable";
    migrations: "current" | "pending" | "unknown";
    worker: "fresh" | "stale" | "none";
    emailQueue: { queued: number; oldestQueuedSeconds: number | null } | null;
  };
}

/**
 * Database and migrations decide whether this process can serve (503 otherwise); a stale
 * worker heartbeat or an old queued email only degrades, since pages still work.
 */
export async function checkReadiness(db: Database, options: { workerInProcess: boolean }): Promise<Readiness> {
  try {
    const [row] = await db.execute<{ fresh: number; any: number; queued: number; oldest: number | null }>(sql`
      select
        (select count(*)::int from worker_heartbeats where last_seen_at > now() - make_interval(secs => ${(heartbeatIntervalMs * 3) / 1000})) as fresh,
        (select count(*)::int from worker_heartbeats) as any,
        (select count(*)::int from email_logs where status = 'queued') as queued,
        (select extract(epoch from now() - min(created_at))::int from email_logs where status = 'queued') as oldest`);
    const migrations = (await migrationsAreCurrent(db)) ? "current" : "pending";
    const worker = (row?.fresh ?? 0) > 0 ? "fresh" : (row?.any ?? 0) > 0 ? "stale" : "none";
    const oldest = row?.oldest ?? null;
    const degraded = worker !== "fresh" || (oldest !== null && oldest > 600);
    const unavailable = migrations !== "current" || (options.workerInProcess && worker !== "fresh");
    return {
      status: unavailable ? "unavailable" : degraded ? "degraded" : "ok",
      checks: {
        database: "ok",
        migrations,
        worker,
        emailQueue: { queued: row?.queued ?? 0, oldestQueuedSeconds: oldest },
      },
    };
  } catch {
    return {
      status: "unavailable",
      checks: { database: "unreachable", migrations: "unknown", worker: "none", emailQueue: null },
    };
  }
}
