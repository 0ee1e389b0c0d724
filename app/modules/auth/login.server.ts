import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { type Role, users } from "./schema";

/**
 * Account-wide limit (ADR 014): this many failed sign-ins in a row, from any addresses, lock the
 * account for this long; a password reset unlocks it at once.
 */
export const lockoutThreshold = 50;
export const lockoutMinutes = 60;

/** Per (email, client address): failures that cost nothing, then a delay that doubles up to the cap. */
export const freeFailuresPerAddress = 3;
export const maxDelaySeconds = 15 * 60;
/** A pair's failures are forgotten after a day without one. */
const pairMemoryHours = 24;

export type LoginResult =
  | { ok: true; userId: string; role: Role }
  | { ok: false }
  /** This email was tried too often from this address: nothing was checked; try again after the wait. */
  | { ok: false; retryAfterSeconds: number };

/** The wait before the next attempt after `failures` failures in a row from one address. */
export function delayAfterFailures(failures: number): number {
  if (failures < freeFailuresPerAddress) return 0;
  return Math.min(maxDelaySeconds, 2 ** (failures - freeFailuresPerAddress));
}

/**
 * Per-pair counters live in `rate_limits` under `sign-in:<email>:<address>`: `count` is the failures
 * in a row and `window_start` the last one. Keyed by the typed email, so an unknown address is
 * throttled exactly like an account's and the answer never tells them apart.
 */
const pairKey = (email: string, clientAddress: string) => `sign-in:${email.toLowerCase()}:${clientAddress}`;

async function pairWaitSeconds(db: Executor, key: string): Promise<number> {
  const [row] = await db.execute<{ count: number; elapsed: number }>(sql`
    select count, extract(epoch from now() - window_start)::float8 as elapsed from rate_limits where key = ${key}`);
  if (!row || row.elapsed > pairMemoryHours * 3600) return 0;
  return Math.max(0, Math.ceil(delayAfterFailures(row.count) - row.elapsed));
}

async function recordPairFailure(db: Executor, key: string): Promise<void> {
  await db.execute(sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start < now() - make_interval(hours => ${pairMemoryHours}) then 1 else rate_limits.count + 1 end,
      window_start = now()`);
}

/** A new password ends the waits its owner's failures built up, at every address. */
export async function forgetSignInFailures(db: Executor, email: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where starts_with(key, ${pairKey(email, "")})`);
}

/**
 * Checks an email and password from a client address. Every failure looks the same to the caller
 * (unknown email, wrong password, inactive or locked account), so the answer never reveals whether
 * an account exists; only the per-address wait is told, and it applies to unknown emails alike.
 */
export async function authenticate(
  db: Database,
  email: string,
  password: string,
  clientAddress: string,
): Promise<LoginResult> {
  const key = pairKey(email, clientAddress);
  const wait = await pairWaitSeconds(db, key);
  if (wait > 0) return { ok: false, retryAfterSeconds: wait };
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  if (!user?.passwordHash || !user.active) {
    await verifyPassword(await decoyPasswordHash(), password);
    await recordPairFailure(db, key);
    return { ok: false };
  }
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const valid = await verifyPassword(user.passwordHash, password);
  if (locked) {
    await recordPairFailure(db, key);
    return { ok: false };
  }
  if (!valid) {
    await recordPairFailure(db, key);
    await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(users)
        .set({
          failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${lockoutThreshold} then 0 else ${users.failedLoginCount} + 1 end`,
          lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${lockoutThreshold} then now() + make_interval(mins => ${lockoutMinutes}) else ${users.lockedUntil} end`,
        })
        .where(eq(users.id, user.id))
        .returning({ lockedUntil: users.lockedUntil });
      const nowLocked = updated?.lockedUntil !== null && (updated?.lockedUntil?.getTime() ?? 0) > Date.now();
      await recordAudit(tx, null, {
        action: nowLocked ? "auth.locked" : "auth.login_failed",
        entityType: "user",
        entityId: user.id,
        merchantId: user.merchantId,
      });
    });
    return { ok: false };
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from rate_limits where key = ${key}`);
    await tx
      .update(users)
      .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: sql`now()` })
      .where(eq(users.id, user.id));
    await recordAudit(
      tx,
      { userId: user.id },
      { action: "auth.login", entityType: "user", entityId: user.id, merchantId: user.merchantId },
    );
  });
  return { ok: true, userId: user.id, role: user.role };
}
