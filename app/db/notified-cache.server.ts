import type { AppLogger } from "~/logger.server";
import type { Database } from "./client.server";

export interface NotifiedCacheOptions {
  /** A safety net only: a notification clears the cache at once. */
  ttlMs?: number;
  /** Keys can come from outside (host names): a flood of new ones must not grow the cache without end. */
  maxEntries?: number;
}

/**
 * Answers kept in this process's memory until PostgreSQL notifies `channel` (triggers on the tables
 * the answers come from notify it at commit, whichever process or replica made the change) or the
 * TTL passes. Without a listening connection nothing is cached: every `get` loads.
 */
export function notifiedCache<V>(
  db: Database,
  channel: string,
  logger: AppLogger,
  { ttlMs = 60_000, maxEntries = 1_000 }: NotifiedCacheOptions = {},
) {
  const entries = new Map<string, { value: Promise<V>; expires: number }>();
  let listening = false;
  // An answer still being read when a change is notified goes too: it may predate the change.
  const forget = () => entries.clear();
  const heard = db.$client
    .listen(channel, forget, () => {
      // Also after a reconnection: what changed while the connection was down was not heard.
      listening = true;
      forget();
    })
    .then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error, channel }, "changes cannot be heard: answers are read each time, not cached");
        return false;
      },
    );

  function get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const cached = entries.get(key);
    if (cached && cached.expires > now) return cached.value;
    const value = load();
    if (!listening) return value;
    if (entries.size >= maxEntries) entries.clear();
    const entry = { value, expires: now + ttlMs };
    entries.set(key, entry);
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  }

  /** `listening`: true once changes are heard (answers are cached from then on), false if they cannot be. */
  return { get, listening: heard };
}
