import type { Database } from "~/db/client.server";
import type { AppLogger } from "~/logger.server";
import { type HostResolution, resolveHost } from "~/modules/tenancy/stores.server";
import { activeProgram, type Program } from "./programs.server";

/** What a host serves: the platform, a store with its merchant and the merchant's active program (if any), or nothing. */
export type Tenant =
  | Exclude<HostResolution, { kind: "store" }>
  | (Extract<HostResolution, { kind: "store" }> & { program: Program | null });

/** Notified (by triggers, migration 0011) at the commit of any change to merchants, stores or programs. */
export const tenancyChannel = "rewardflow_tenancy";

export interface StorefrontDirectoryOptions {
  /** A safety net only: a notification clears the cache at once. */
  ttlMs?: number;
  /** Unknown hosts are cached too; a flood of made-up names must not grow the cache without end. */
  maxHosts?: number;
}

/**
 * Host → store → program for every request, answered from memory. Each web process keeps the
 * answers until PostgreSQL notifies a change (from any process: admin edits on another replica
 * included) or the TTL passes; without a listening connection nothing is cached.
 */
export function storefrontDirectory(
  db: Database,
  platformDomain: string,
  logger: AppLogger,
  { ttlMs = 60_000, maxHosts = 1_000 }: StorefrontDirectoryOptions = {},
) {
  const entries = new Map<string, { tenant: Promise<Tenant>; expires: number }>();
  let listening = false;
  // An answer still being read when a change is notified goes too: it may predate the change.
  const forget = () => entries.clear();
  const heard = db.$client
    .listen(tenancyChannel, forget, () => {
      // Also after a reconnection: what changed while the connection was down was not heard.
      listening = true;
      forget();
    })
    .then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error }, "tenancy changes cannot be heard: host lookups are not cached");
        return false;
      },
    );

  async function load(host: string): Promise<Tenant> {
    const resolution = await resolveHost(db, host, platformDomain);
    if (resolution.kind !== "store") return resolution;
    // Also while the store offers no loyalty: its pages still wear the program's colours and logo.
    const program = await activeProgram(db, resolution.merchant.id);
    return { ...resolution, program };
  }

  function resolve(hostname: string): Promise<Tenant> {
    const host = hostname.toLowerCase().replace(/\.$/, "");
    const now = Date.now();
    const cached = entries.get(host);
    if (cached && cached.expires > now) return cached.tenant;
    const tenant = load(host);
    if (!listening) return tenant;
    if (entries.size >= maxHosts) entries.clear();
    const entry = { tenant, expires: now + ttlMs };
    entries.set(host, entry);
    tenant.catch(() => {
      if (entries.get(host) === entry) entries.delete(host);
    });
    return tenant;
  }

  /** `listening`: true once changes are heard (answers are cached from then on), false if they cannot be. */
  return { resolve, listening: heard };
}
