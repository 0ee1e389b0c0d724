import { eq, sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { type Role, users } from "./schema";

/** Failed attempts in a row that lock an account, and for how long. */
export const lockoutThreshold = 5;
export const lockoutMinutes = 15;

export type LoginResult = { ok: true; userId: string; role: Role } | { ok: false };

/**
 * Checks an email and password. Every failure looks the same to the caller (unknown email,
 * wrong password, inactive or locked account), so the answer never reveals whether an account exists.
 */
export async function authenticate(db: Database, email: string, password: string): Promise<LoginResult> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  if (!user?.passwordHash || !user.active) {
    await verifyPassword(await decoyPasswordHash(), password);
    return { ok: false };
  }
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const valid = await verifyPassword(user.passwordHash, password);
  if (locked) return { ok: false };
  if (!valid) {
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
