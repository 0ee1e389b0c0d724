import { compare, hash } from "bcryptjs";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database, Executor, Transaction } from "~/db/client.server";
import { accessDenied, DomainError, notFound } from "~/errors";
import { recordAudit } from "~/modules/audit/audit.server";
import { loyaltyTransactions } from "~/modules/loyalty/schema";
import { counterStaffInScope } from "~/modules/scope/conditions.server";
import { type Actor, type Scope, scopeOf } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import { isUuid, managedStore } from "./managed-store.server";
import { maxStaffNameLength, pinPattern } from "./rules";
import { counterStaff } from "./schema";

export type CounterStaffMember = typeof counterStaff.$inferSelect;

/** Consecutive wrong PINs (online or reported from offline) that lock a PIN until a manager resets it. */
export const pinLockThreshold = 10;
/** bcrypt cost: about 50–100 ms per check on a phone's JavaScript engine, where devices verify offline. */
export const pinHashCost = 10;
/** The most failures one report may carry: more than the threshold, so any real queue fits. */
export const maxReportedFailures = 100;

export { maxStaffNameLength };

/** A PIN is 4 to 6 digits. */
export function isValidPin(pin: string): boolean {
  return pinPattern.test(pin);
}

/** Adds a person to a store's counter, with a first PIN when given. */
export async function createCounterStaff(
  db: Database,
  actor: Actor,
  input: { storeId: string; displayName: string; pin?: string | null },
): Promise<CounterStaffMember> {
  const displayName = staffName(input.displayName);
  const pinHash = input.pin == null ? null : await hashPin(input.pin);
  return db.transaction(async (tx) => {
    const store = await managedStore(tx, actor, input.storeId);
    const [member] = await tx
      .insert(counterStaff)
      .values({
        merchantId: store.merchantId,
        storeId: store.id,
        displayName,
        pinHash,
        pinSetAt: pinHash ? sql`now()` : null,
      })
      .returning();
    if (!member) throw new Error("counter staff insert returned no row");
    await recordAudit(tx, actor, {
      action: "terminal.counter_staff_created",
      entityType: "counter_staff",
      entityId: member.id,
      merchantId: store.merchantId,
      details: { storeId: store.id, displayName, pinSet: pinHash !== null },
    });
    return member;
  });
}

/** What one change to a person does: the columns it sets and the audit entry it leaves. */
interface StaffChange {
  set: PgUpdateSetSource<typeof counterStaff>;
  action: string;
  details?: Record<string, unknown>;
}

/**
 * One audited change to a person the actor manages, in one transaction. `change` sees the person as
 * stored and returns null when there is nothing to do (already deactivated, not locked …).
 */
async function changeStaff(
  db: Database,
  actor: Actor,
  staffId: string,
  change: (member: CounterStaffMember) => StaffChange | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await managedStaff(tx, actor, staffId);
    const planned = change(member);
    if (!planned) return;
    await tx.update(counterStaff).set(planned.set).where(eq(counterStaff.id, member.id));
    await recordAudit(tx, actor, {
      action: planned.action,
      entityType: "counter_staff",
      entityId: member.id,
      merchantId: member.merchantId,
      details: planned.details,
    });
  });
}

export async function renameCounterStaff(db: Database, actor: Actor, staffId: string, displayName: string) {
  const name = staffName(displayName);
  await changeStaff(db, actor, staffId, (member) => ({
    set: { displayName: name },
    action: "terminal.counter_staff_renamed",
    details: { from: member.displayName, to: name },
  }));
}

/** The person can no longer unlock a terminal or record anything; their history stays. */
export async function deactivateCounterStaff(db: Database, actor: Actor, staffId: string) {
  await changeStaff(db, actor, staffId, (member) =>
    member.deactivatedAt ? null : { set: { deactivatedAt: sql`now()` }, action: "terminal.counter_staff_deactivated" },
  );
}

/** The person can unlock a terminal again, with the PIN they had (if it is not locked). */
export async function reactivateCounterStaff(db: Database, actor: Actor, staffId: string) {
  await changeStaff(db, actor, staffId, (member) =>
    member.deactivatedAt ? { set: { deactivatedAt: null }, action: "terminal.counter_staff_reactivated" } : null,
  );
}

/**
 * Lifts a PIN lock, keeping the PIN: the manager knows the person. Like a reset it wipes the slate,
 * so failures a device reports later from before the unlock do not lock it again.
 */
export async function unlockPin(db: Database, actor: Actor, staffId: string) {
  await changeStaff(db, actor, staffId, (member) =>
    member.pinLockedAt
      ? {
          set: { failedPinAttempts: 0, pinLockedAt: null, pinSetAt: sql`now()` },
          action: "terminal.pin_unlocked",
          details: { failedAttempts: member.failedPinAttempts },
        }
      : null,
  );
}

/** Sets or resets a PIN; a reset also unlocks a locked PIN and forgets earlier failures. */
export async function setPin(db: Database, actor: Actor, staffId: string, pin: string) {
  const pinHash = await hashPin(pin);
  await changeStaff(db, actor, staffId, (member) => ({
    set: { pinHash, pinSetAt: sql`now()`, failedPinAttempts: 0, pinLockedAt: null },
    action: "terminal.pin_set",
    details: { unlocked: member.pinLockedAt !== null },
  }));
}

/** The counter staff a scope may see (never their PIN hash), optionally of one store. */
export async function listCounterStaff(db: Database, scope: Scope, storeId?: string) {
  return db
    .select({
      id: counterStaff.id,
      storeId: counterStaff.storeId,
      storeName: stores.name,
      displayName: counterStaff.displayName,
      hasPin: sql<boolean>`${counterStaff.pinHash} is not null`,
      pinLockedAt: counterStaff.pinLockedAt,
      failedPinAttempts: counterStaff.failedPinAttempts,
      deactivatedAt: counterStaff.deactivatedAt,
      /** When the person last recorded something at a counter, if ever. */
      lastActiveAt:
        sql<Date | null>`(select max(${loyaltyTransactions.createdAt}) from ${loyaltyTransactions} where ${loyaltyTransactions.actingCounterStaffId} = ${counterStaff.id})`.mapWith(
          (value: string | Date | null) => (value === null ? null : new Date(value)),
        ),
    })
    .from(counterStaff)
    .innerJoin(stores, eq(stores.id, counterStaff.storeId))
    .where(and(counterStaffInScope(scope), storeId && isUuid(storeId) ? eq(counterStaff.storeId, storeId) : undefined))
    .orderBy(asc(stores.name), asc(counterStaff.displayName), asc(counterStaff.id));
}

/** The counter staff a device may unlock with: active, with a PIN that is not locked. */
export async function unlockableStaff(db: Executor, storeId: string) {
  return db
    .select({ id: counterStaff.id, displayName: counterStaff.displayName, pinHash: counterStaff.pinHash })
    .from(counterStaff)
    .where(
      and(
        eq(counterStaff.storeId, storeId),
        isNull(counterStaff.deactivatedAt),
        isNull(counterStaff.pinLockedAt),
        sql`${counterStaff.pinHash} is not null`,
      ),
    )
    .orderBy(asc(counterStaff.displayName), asc(counterStaff.id))
    .then((rows) => rows.map((row) => ({ ...row, pinHash: row.pinHash as string })));
}

/**
 * Checks a PIN online for a device of the staff member's store. Wrong → `pin_incorrect` and one
 * failure counted; the failure that reaches the threshold, or any attempt on a locked PIN (or a
 * member without one), → `pin_locked`. A success resets the count.
 */
export async function verifyPin(
  db: Database,
  device: { storeId: string },
  staffId: string,
  pin: string,
): Promise<{ id: string; displayName: string }> {
  const member = await staffOfStore(db, device.storeId, staffId);
  if (member.deactivatedAt) throw new DomainError("counter_staff_inactive");
  if (member.pinLockedAt || !member.pinHash) throw new DomainError("pin_locked");
  if (await compare(pin, member.pinHash)) {
    const [reset] = await db
      .update(counterStaff)
      .set({ failedPinAttempts: 0 })
      .where(
        and(eq(counterStaff.id, member.id), isNull(counterStaff.pinLockedAt), eq(counterStaff.pinHash, member.pinHash)),
      )
      .returning({ id: counterStaff.id });
    // Locked by parallel failures, or reset by a manager, while bcrypt was comparing.
    if (!reset) throw new DomainError("pin_locked");
    return { id: member.id, displayName: member.displayName };
  }
  const outcome = await db.transaction((tx) => countFailures(tx, member.id, 1, null));
  throw new DomainError(outcome.locked ? "pin_locked" : "pin_incorrect");
}

/**
 * Failures a device made offline, reported when it is back: they count like online ones, except
 * those made before the current PIN was set (a manager's reset wipes the slate).
 */
export async function reportFailedPinAttempts(
  db: Database,
  device: { storeId: string },
  staffId: string,
  report: { count: number; lastAttemptAt: Date },
): Promise<{ failedAttempts: number; locked: boolean }> {
  const { count, lastAttemptAt } = report;
  if (
    !Number.isSafeInteger(count) ||
    count < 1 ||
    count > maxReportedFailures ||
    Number.isNaN(lastAttemptAt.getTime())
  ) {
    throw new DomainError("validation_failed");
  }
  const member = await staffOfStore(db, device.storeId, staffId);
  return db.transaction((tx) => countFailures(tx, member.id, count, lastAttemptAt));
}

/**
 * One statement adds the failures and locks at the threshold: parallel callers queue on the row
 * lock and re-check `pin_locked_at is null`, so the count never passes the threshold.
 */
async function countFailures(
  tx: Transaction,
  staffId: string,
  count: number,
  madeAt: Date | null,
): Promise<{ failedAttempts: number; locked: boolean }> {
  const [counted] = await tx
    .update(counterStaff)
    .set({
      failedPinAttempts: sql`least(${counterStaff.failedPinAttempts} + ${count}, ${pinLockThreshold})`,
      pinLockedAt: sql`case when ${counterStaff.failedPinAttempts} + ${count} >= ${pinLockThreshold} then now() end`,
    })
    .where(
      and(
        eq(counterStaff.id, staffId),
        isNull(counterStaff.pinLockedAt),
        madeAt
          ? sql`(${counterStaff.pinSetAt} is null or ${counterStaff.pinSetAt} <= ${madeAt.toISOString()}::timestamptz)`
          : undefined,
      ),
    )
    .returning();
  if (!counted) {
    const [current] = await tx.select().from(counterStaff).where(eq(counterStaff.id, staffId));
    return { failedAttempts: current?.failedPinAttempts ?? 0, locked: current?.pinLockedAt != null };
  }
  if (counted.pinLockedAt) {
    await recordAudit(tx, null, {
      action: "terminal.pin_locked",
      entityType: "counter_staff",
      entityId: counted.id,
      merchantId: counted.merchantId,
      details: { failedAttempts: counted.failedPinAttempts },
    });
  }
  return { failedAttempts: counted.failedPinAttempts, locked: counted.pinLockedAt !== null };
}

async function staffOfStore(db: Executor, storeId: string, staffId: string): Promise<CounterStaffMember> {
  const [member] = isUuid(staffId)
    ? await db
        .select()
        .from(counterStaff)
        .where(and(eq(counterStaff.id, staffId), eq(counterStaff.storeId, storeId)))
    : [];
  if (!member) throw new DomainError("counter_staff_not_found");
  return member;
}

async function managedStaff(tx: Transaction, actor: Actor, staffId: string): Promise<CounterStaffMember> {
  if (actor.role === "store_staff") throw accessDenied();
  const [member] = isUuid(staffId)
    ? await tx
        .select()
        .from(counterStaff)
        .where(and(eq(counterStaff.id, staffId), counterStaffInScope(scopeOf(actor))))
        .for("update")
    : [];
  if (!member) throw notFound();
  return member;
}

async function hashPin(pin: string): Promise<string> {
  if (typeof pin !== "string" || !isValidPin(pin)) throw new DomainError("invalid_pin");
  return hash(pin, pinHashCost);
}

function staffName(input: string): string {
  const name = input.trim();
  if (!name || name.length > maxStaffNameLength) throw new DomainError("validation_failed");
  return name;
}
