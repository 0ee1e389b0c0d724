import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/modules/audit/schema";
import { createTestDatabase } from "~/test/database";
import { authenticate, lockoutThreshold } from "./login.server";
import { users } from "./schema";
import { createSession, sessionActor } from "./sessions.server";
import { createUser } from "./users.server";

const { db } = await createTestDatabase();
let userId: string;

beforeAll(async () => {
  const user = await createUser(db, {
    email: "Staff@Example.com",
    name: "Staff",
    password: "correct horse battery",
    role: "platform_admin",
  });
  userId = user.id;
});

describe("authenticate", () => {
  it("accepts the right password, with the email in any case, and stores only an argon2id hash", async () => {
    expect(await authenticate(db, "staff@example.com", "correct horse battery")).toMatchObject({ ok: true, userId });
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    expect(await authenticate(db, "nobody@example.com", "whatever")).toEqual({ ok: false });
    expect(await authenticate(db, "staff@example.com", "wrong")).toEqual({ ok: false });
  });

  it("locks the account after repeated failures, even for the right password, until the lock expires", async () => {
    await db.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, userId));
    for (let i = 0; i < lockoutThreshold; i++)
      expect((await authenticate(db, "staff@example.com", "nope")).ok).toBe(false);
    expect((await authenticate(db, "staff@example.com", "correct horse battery")).ok).toBe(false);
    const locks = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'auth.locked' and ${auditLog.entityId} = ${userId}`);
    expect(locks).toHaveLength(1);
    await db.update(users).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(users.id, userId));
    expect((await authenticate(db, "staff@example.com", "correct horse battery")).ok).toBe(true);
  });

  it("refuses a deactivated account", async () => {
    const other = await createUser(db, {
      email: "gone@example.com",
      name: "Gone",
      password: "correct horse battery",
      role: "platform_admin",
    });
    await db.update(users).set({ active: false }).where(eq(users.id, other.id));
    expect((await authenticate(db, "gone@example.com", "correct horse battery")).ok).toBe(false);
  });
});

describe("sessions", () => {
  it("end after the idle time and after the maximum age, and store only the token's hash", async () => {
    const token = await createSession(db, userId, { ipAddress: "127.0.0.1", userAgent: "test" });
    expect((await sessionActor(db, token))?.userId).toBe(userId);
    const stored = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from sessions where token_hash = ${token}`,
    );
    expect(stored[0]?.n).toBe(0);
    await db.execute(sql`update sessions set last_seen_at = now() - interval '3 hours'`);
    expect(await sessionActor(db, token)).toBeNull();
    const second = await createSession(db, userId, { ipAddress: "127.0.0.1", userAgent: "test" });
    await db.execute(sql`update sessions set expires_at = now() - interval '1 second'`);
    expect(await sessionActor(db, second)).toBeNull();
  });
});
