import type { Database } from "~/db/client.server";
import { type NotifiedCacheOptions, notifiedCache } from "~/db/notified-cache.server";
import type { AppLogger } from "~/logger.server";
import { type HostResolution, resolveHost } from "~/modules/tenancy/stores.server";
import { activeProgram, type Program } from "./programs.server";

/** What a host serves: the platform, a store with its merchant and the merchant's active program (if any), or nothing. */
export type Tenant =
  | Exclude<HostResolution, { kind: "store" }>
  | (Extract<HostResolution, { kind: "store" }> & { program: Program | null });

/** Notified (by triggers, migration 0011) at the commit of any change to merchants, stores or programs. */
export const tenancyChannel = "rewardflow_tenancy";

/**
 * Host → store → program for every request, answered from memory. Each web process keeps the
 * answers until PostgreSQL notifies a change (from any process: admin edits on another replica
 * included) or the TTL passes; without a listening connection nothing is cached.
 */
export function storefrontDirectory(
  db: Database,
  platformDomain: string,
  logger: AppLogger,
  options: NotifiedCacheOptions = {},
) {
  const cache = notifiedCache<Tenant>(db, tenancyChannel, logger, options);

  async function load(host: string): Promise<Tenant> {
    const resolution = await resolveHost(db, host, platformDomain);
    if (resolution.kind !== "store") return resolution;
    // Also while the store offers no loyalty: its pages still wear the program's colours and logo.
    const program = await activeProgram(db, resolution.merchant.id);
    return { ...resolution, program };
  }

  function resolve(hostname: string): Promise<Tenant> {
    const host = hostname.toLowerCase().replace(/\.$/, "");
    return cache.get(host, () => load(host));
  }

  /** `listening`: true once changes are heard (answers are cached from then on), false if they cannot be. */
  return { resolve, listening: cache.listening };
}
