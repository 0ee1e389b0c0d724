import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { type UserTokenPurpose, userTokens } from "./schema";
import { hashToken } from "./sessions.server";

export const tokenLifetimeHours: Record<UserTokenPurpose, number> = {
  password_reset: 1,
  invitation: 24 * 7,
};

/**
 * A one-time token for a user. Made by the email task at send time, so the raw token exists
 * only in the message itself; the table keeps its hash.
 */
export async function issueUserToken(db: Executor, userId: string, purpose: UserTokenPurpose): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(userTokens).values({
    tokenHash: hashToken(token),
    userId,
    purpose,
    expiresAt: sql`now() + make_interval(hours => ${tokenLifetimeHours[purpose]})`,
  });
  return token;
}

/** The unused, unexpired token's row, or null. */
export async function findUsableToken(db: Executor, token: string) {
  const [row] = await db
    .select()
    .from(userTokens)
    .where(
      and(eq(userTokens.tokenHash, hashToken(token)), isNull(userTokens.usedAt), gt(userTokens.expiresAt, sql`now()`)),
    );
  return row ?? null;
}
