import { sql } from "drizzle-orm";
import type { Task } from "graphile-worker";
import type { WorkerDeps } from "../worker-deps";

/** Deletes what has no use any more: old rate-limit windows, ended sessions, spent one-time tokens. */
export function pruneExpiredRowsTask(deps: WorkerDeps): Task<"prune_expired_rows"> {
  return async () => {
    const [rateLimits, sessions, tokens] = await Promise.all([
      deps.db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`),
      deps.db.execute(sql`delete from sessions where expires_at < now() or last_seen_at < now() - interval '1 day'`),
      deps.db.execute(
        sql`delete from user_tokens where expires_at < now() - interval '7 days' or used_at < now() - interval '7 days'`,
      ),
    ]);
    deps.logger.info(
      { rateLimits: rateLimits.count, sessions: sessions.count, userTokens: tokens.count },
      "pruned expired rows",
    );
  };
}
