import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import type { Actor } from "~/modules/scope/scope";
import { sessions, users } from "./schema";

/** A session ends after this much inactivity... */
export const sessionIdleMinutes = 120;
/** ...and in any case this long after sign-in. */
export const sessionMaxHours = 12;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export function sessionCookieName(isProduction: boolean): string {
  // __Host- makes the browser insist on Secure, Path=/ and no Domain: no subdomain (a storefront) can set or read it.
  return isProduction ? "__Host-rf_session" : "rf_session";
}

export async function createSession(
  db: Executor,
  userId: string,
  meta: { ipAddress: string; userAgent: string | null },
) {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: sql`now() + make_interval(hours => ${sessionMaxHours})`,
    ipAddress: meta.ipAddress,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** The active user behind a session token, refreshing its idle clock; null when ended or expired. */
export async function sessionActor(db: Executor, token: string): Promise<Actor | null> {
  const [row] = await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(mins => ${sessionIdleMinutes})`),
      ),
    )
    .returning({ userId: sessions.userId });
  if (!row) return null;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, row.userId), eq(users.active, true)));
  if (!user) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    merchantId: user.merchantId,
    storeId: user.storeId,
    preferredLanguage: user.preferredLanguage,
  };
}

export async function endSession(db: Executor, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
