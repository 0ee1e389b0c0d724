import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/modules/audit/schema";
import { createTestDatabase } from "~/test/database";
import { setPasswordWithToken, updateUser } from "./accounts.server";
import {
  authenticate,
  delayAfterFailures,
  freeFailuresPerAddress,
  lockoutThreshold,
  maxDelaySeconds,
} from "./login.server";
import { users } from "./schema";
import { createSession, sessionActor } from "./sessions.server";
import { findUsableToken, issueUserToken } from "./tokens.server";
import { createUser } from "./users.server";

const { db } = await createTestDatabase();
let userId: string;
const here = "192.0.2.10";

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
    expect(await authenticate(db, "staff@example.com", "correct horse battery", here)).toMatchObject({
      ok: true,
      userId,
    });
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    expect(await authenticate(db, "nobody@example.com", "whatever", here)).toEqual({ ok: false });
    expect(await authenticate(db, "staff@example.com", "wrong", here)).toEqual({ ok: false });
  });

  it("locks the account after repeated failures from many addresses, even for the right password, until the lock expires", async () => {
    await db.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, userId));
    for (let i = 0; i < lockoutThreshold; i++)
      expect((await authenticate(db, "staff@example.com", "nope", `198.51.100.${i}`)).ok).toBe(false);
    expect((await authenticate(db, "staff@example.com", "correct horse battery", here)).ok).toBe(false);
    const locks = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.action} = 'auth.locked' and ${auditLog.entityId} = ${userId}`);
    expect(locks).toHaveLength(1);
    await db.update(users).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(users.id, userId));
    expect((await authenticate(db, "staff@example.com", "correct horse battery", here)).ok).toBe(true);
  });

  it("wrong passwords from one address never lock the owner out at another address", async () => {
    await createUser(db, {
      email: "owner@example.com",
      name: "Owner",
      password: "correct horse battery",
      role: "platform_admin",
    });
    const email = "owner@example.com";
    for (let i = 0; i < 12; i++) {
      await db.execute(sql`update rate_limits set window_start = now() - interval '1 hour' where key like 'sign-in:%'`);
      expect((await authenticate(db, email, `guess-${i}`, "203.0.113.66")).ok).toBe(false);
    }
    expect((await authenticate(db, email, "correct horse battery", "198.51.100.200")).ok).toBe(true);
  });

  it("slows one address down for one email with doubling waits, for an unknown email alike, and checks nothing meanwhile", async () => {
    for (const email of ["staff@example.com", "nobody@example.com"]) {
      const address = email.startsWith("staff") ? "203.0.113.1" : "203.0.113.2";
      for (let i = 0; i < freeFailuresPerAddress; i++)
        expect(await authenticate(db, email, "nope", address)).toEqual({ ok: false });
      // Even the right password waits: nothing is checked during the wait.
      expect(await authenticate(db, email, "correct horse battery", address)).toEqual({
        ok: false,
        retryAfterSeconds: 1,
      });
      const key = `sign-in:${email}:${address}`;
      const waits: number[] = [];
      for (let round = 0; round < 3; round++) {
        await db.execute(sql`update rate_limits set window_start = now() - interval '1 hour' where key = ${key}`);
        expect(await authenticate(db, email, "nope", address)).toEqual({ ok: false });
        const refused = await authenticate(db, email, "nope", address);
        waits.push("retryAfterSeconds" in refused ? refused.retryAfterSeconds : 0);
      }
      expect(waits).toEqual([2, 4, 8]);
      // Another address for the same email is not slowed down.
      expect(await authenticate(db, email, "nope", "203.0.113.3")).toEqual({ ok: false });
    }
    expect(delayAfterFailures(40)).toBe(maxDelaySeconds);
  });

  it("a password reset unlocks the account and ends the waits", async () => {
    const user = await createUser(db, {
      email: "locked@example.com",
      name: "Locked",
      password: "correct horse battery",
      role: "platform_admin",
    });
    for (let i = 0; i < lockoutThreshold; i++) await authenticate(db, "locked@example.com", "nope", `198.51.101.${i}`);
    for (let i = 0; i < freeFailuresPerAddress; i++) await authenticate(db, "locked@example.com", "nope", here);
    expect((await authenticate(db, "locked@example.com", "correct horse battery", "198.51.102.1")).ok).toBe(false);
    const token = await issueUserToken(db, user.id, "password_reset");
    expect(await setPasswordWithToken(db, token, "a brand new password")).toBe(true);
    expect((await authenticate(db, "locked@example.com", "a brand new password", here)).ok).toBe(true);
  });

  it("refuses a deactivated account", async () => {
    const other = await createUser(db, {
      email: "gone@example.com",
      name: "Gone",
      password: "correct horse battery",
      role: "platform_admin",
    });
    await db.update(users).set({ active: false }).where(eq(users.id, other.id));
    expect((await authenticate(db, "gone@example.com", "correct horse battery", here)).ok).toBe(false);
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

describe("one-time links", () => {
  it("an older reset or invitation link dies when a newer one sets the password", async () => {
    const user = await createUser(db, {
      email: "links@example.com",
      name: "Links",
      password: null,
      role: "platform_admin",
    });
    const older = await issueUserToken(db, user.id, "invitation");
    const newer = await issueUserToken(db, user.id, "password_reset");
    expect(await setPasswordWithToken(db, newer, "a long new password")).toBe(true);
    expect(await findUsableToken(db, older)).toBeNull();
    expect(await setPasswordWithToken(db, older, "attacker password!!")).toBe(false);
    expect((await authenticate(db, "links@example.com", "a long new password", here)).ok).toBe(true);
  });

  it("keeps the last active admin even when two admins demote each other at once", async () => {
    const first = await createUser(db, {
      email: "first-admin@example.com",
      name: "First",
      password: null,
      role: "platform_admin",
    });
    const second = await createUser(db, {
      email: "second-admin@example.com",
      name: "Second",
      password: null,
      role: "platform_admin",
    });
    await db
      .update(users)
      .set({ active: false })
      .where(sql`${users.role} = 'platform_admin' and ${users.id} not in (${first.id}, ${second.id})`);
    const actor = (id: string) => ({
      userId: id,
      email: "",
      name: "",
      role: "platform_admin" as const,
      merchantId: null,
      storeId: null,
      preferredLanguage: "en" as const,
    });
    const results = await Promise.allSettled([
      updateUser(db, actor(first.id), second.id, { role: "platform_admin", active: false }),
      updateUser(db, actor(second.id), first.id, { role: "platform_admin", active: false }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const active = await db.select().from(users).where(sql`${users.role} = 'platform_admin' and ${users.active}`);
    expect(active).toHaveLength(1);
  });
});
