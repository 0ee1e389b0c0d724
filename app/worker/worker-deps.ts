import type { Config } from "~/config.server";
import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import type { DeliveryReads } from "~/modules/messaging/delivery-reads.server";
import type { Mailer } from "~/modules/messaging/transport.server";

/** What the worker hands each task: tasks depend on this, never on the worker that runs them. */
export interface WorkerDeps {
  config: Config;
  db: Database;
  logger: AppLogger;
  mailer: Mailer;
  /** Settings and email copy, kept in memory until PostgreSQL notifies a change. */
  reads: DeliveryReads;
  workerId: string;
}

/** How often a worker records that it is alive; readiness reads it without loading the worker. */
export const heartbeatIntervalMs = 10_000;
