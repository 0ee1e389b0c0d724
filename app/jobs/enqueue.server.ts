import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { type JobName, type JobPayload, jobMaxAttempts, jobPayloads } from "./definitions";

/**
 * Adds a Graphile Worker job on the caller's transaction: it exists if and only if the
 * business change it belongs to commits. The one way to enqueue.
 */
export async function enqueue<N extends JobName>(
  tx: Executor,
  name: N,
  payload: JobPayload<N>,
  options: { jobKey?: string; delaySeconds?: number; priority?: number } = {},
): Promise<void> {
  await tx.execute(sql`select ${addJob(name, payload, options)}`);
}

/**
 * The `add_job` call itself, checked, for a statement that writes its business row in the same
 * round trip (`enqueue` runs it alone).
 */
export function addJob<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: { jobKey?: string; delaySeconds?: number; priority?: number } = {},
): SQL {
  const checked = jobPayloads[name].parse(payload);
  return sql`graphile_worker.add_job(
      ${name},
      ${JSON.stringify(checked)}::json,
      job_key => ${options.jobKey ?? null}::text,
      run_at => now() + make_interval(secs => ${options.delaySeconds ?? 0}),
      max_attempts => ${jobMaxAttempts[name]}::int,
      priority => ${options.priority ?? 0}::int
    )`;
}
