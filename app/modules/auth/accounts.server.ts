import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors";
import { pageCount, pageSize } from "~/db/pagination";
import { accessDenied, FieldError, notFound } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { queueEmail } from "~/modules/outbox/queue.server";
import { staffInScope, storesInScope } from "~/modules/scope/conditions.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import { merchants, stores } from "~/modules/tenancy/schema";
import { forgetSignInFailures } from "./login.server";
import { hashPassword } from "./password.server";
import { type Role, sessions, users, userTokens } from "./schema";
import { findUsableToken } from "./tokens.server";
import { createUser } from "./users.server";

/** Queues a reset link when the email belongs to an active account; the caller answers the same either way. */
export async function requestPasswordReset(db: Database, email: string, locale: Locale): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(and(sql`lower(${users.email}) = lower(${email})`, eq(users.active, true)));
    if (!user) return;
    await queueEmail(tx, {
      kind: "password_reset",
      locale,
      recipient: user.email,
      userId: user.id,
      merchantId: user.merchantId,
    });
    await recordAudit(tx, null, {
      action: "auth.reset_requested",
      entityType: "user",
      entityId: user.id,
      merchantId: user.merchantId,
    });
  });
}

/**
 * Sets a password from a reset or invitation link: the token is spent, the account unlocked, and
 * every existing session of the user ends.
 */
export async function setPasswordWithToken(db: Database, token: string, password: string): Promise<boolean> {
  // The costly hash only for a live token: a made-up one costs one indexed read, not 19 MiB of argon2id.
  if (!(await findUsableToken(db, token))) return false;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const usable = await findUsableToken(tx, token);
    if (!usable) return false;
    const [spent] = await tx
      .update(userTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(userTokens.tokenHash, usable.tokenHash), sql`${userTokens.usedAt} is null`))
      .returning();
    if (!spent) return false;
    const [user] = await tx
      .update(users)
      .set({ passwordHash, failedLoginCount: 0, lockedUntil: null })
      .where(and(eq(users.id, usable.userId), eq(users.active, true)))
      .returning();
    if (!user) return false;
    // Every other link still in a mailbox (older resets, the invitation) dies with this one.
    await tx
      .update(userTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(userTokens.userId, user.id), isNull(userTokens.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await forgetSignInFailures(tx, user.email);
    await recordAudit(
      tx,
      { userId: user.id },
      {
        action: "auth.password_set",
        entityType: "user",
        entityId: user.id,
        merchantId: user.merchantId,
        details: { via: usable.purpose },
      },
    );
    return true;
  });
}

export interface UserFields {
  email: string;
  name: string;
  role: Role;
  merchantId?: string;
  storeId?: string;
  preferredLanguage: Locale;
}

/** Checks that the scope fits the role and that the store belongs to the merchant. */
async function scopeFor(db: Database, fields: Pick<UserFields, "role" | "merchantId" | "storeId">) {
  if (fields.role === "platform_admin") return { merchantId: null, storeId: null };
  if (!fields.merchantId) throw new FieldError("merchantId", "users.errors.merchantRequired");
  const [merchant] = await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, fields.merchantId));
  if (!merchant) throw new FieldError("merchantId", "users.errors.merchantRequired");
  if (fields.role === "merchant_owner") return { merchantId: merchant.id, storeId: null };
  if (!fields.storeId) throw new FieldError("storeId", "users.errors.storeRequired");
  const [store] = await db
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.id, fields.storeId), eq(stores.merchantId, merchant.id)));
  if (!store) throw new FieldError("storeId", "users.errors.storeNotOfMerchant");
  return { merchantId: merchant.id, storeId: store.id };
}

/** Creates an account without a password and emails an invitation link, in one transaction. */
export async function inviteUser(db: Database, actor: Actor, fields: UserFields) {
  const scope = await scopeFor(db, fields);
  try {
    return await db.transaction(async (tx) => {
      const user = await createUser(tx, { ...fields, ...scope, password: null });
      await queueEmail(tx, {
        kind: "staff_invitation",
        locale: fields.preferredLanguage,
        recipient: user.email,
        userId: user.id,
        merchantId: scope.merchantId,
      });
      await recordAudit(tx, actor, {
        action: "user.invite",
        entityType: "user",
        entityId: user.id,
        merchantId: scope.merchantId,
        details: { role: fields.role },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new FieldError("email", "users.errors.emailTaken");
    throw error;
  }
}

/**
 * A merchant owner invites a manager for one of their stores: the same invitation (account without
 * a password, email, audit entry) as the admin's, with the role and the merchant fixed by the owner.
 */
export async function inviteStoreManager(
  db: Database,
  owner: Actor,
  fields: Pick<UserFields, "email" | "name" | "preferredLanguage" | "storeId">,
) {
  if (owner.role !== "merchant_owner" || !owner.merchantId) throw accessDenied();
  return inviteUser(db, owner, { ...fields, role: "store_manager", merchantId: owner.merchantId });
}

/** Changes role and scope, or deactivates (which ends the user's sessions). The last active admin stays. */
export async function updateUser(
  db: Database,
  actor: Actor,
  userId: string,
  fields: Pick<UserFields, "role" | "merchantId" | "storeId"> & { active: boolean },
) {
  const scope = await scopeFor(db, fields);
  await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!existing) throw notFound();
    const losesAdmin =
      existing.role === "platform_admin" && existing.active && (fields.role !== "platform_admin" || !fields.active);
    if (losesAdmin) {
      // Lock every active admin row: two admins demoting each other at once cannot both succeed.
      const activeAdmins = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, "platform_admin"), eq(users.active, true)))
        .for("update");
      if (activeAdmins.every((admin) => admin.id === userId)) throw new FieldError("role", "users.errors.lastAdmin");
    }
    await tx
      .update(users)
      .set({ role: fields.role, ...scope, active: fields.active })
      .where(eq(users.id, userId));
    if (!fields.active || existing.role !== fields.role) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await recordAudit(tx, actor, {
      action: fields.active ? "user.update" : "user.deactivate",
      entityType: "user",
      entityId: userId,
      merchantId: scope.merchantId ?? existing.merchantId,
      details: { role: fields.role, active: fields.active },
    });
  });
}

/** The staff accounts a scope may see with their merchant and store, one page at a time. */
export async function listUsers(db: Database, scope: Scope, page: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select({ user: users, merchantName: merchants.name, storeName: stores.name })
      .from(users)
      .leftJoin(merchants, eq(merchants.id, users.merchantId))
      .leftJoin(stores, eq(stores.id, users.storeId))
      .where(staffInScope(scope))
      .orderBy(asc(users.email))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(users).where(staffInScope(scope)),
  ]);
  return { rows, pages: pageCount(total?.value ?? 0) };
}

export async function userById(db: Database, scope: Scope, id: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), staffInScope(scope)));
  return user ?? null;
}

export async function storeOptions(db: Database, scope: Scope) {
  return db
    .select({ id: stores.id, name: stores.name, merchantId: stores.merchantId })
    .from(stores)
    .where(storesInScope(scope))
    .orderBy(asc(stores.name));
}
