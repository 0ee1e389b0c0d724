import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError, type ErrorCode } from "~/errors";
import { auditLog } from "~/modules/audit/schema";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { appendLedgerEntry } from "~/modules/loyalty/ledger.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import {
  createCounterStaff,
  deactivateCounterStaff,
  listCounterStaff,
  pinLockThreshold,
  reactivateCounterStaff,
  renameCounterStaff,
  reportFailedPinAttempts,
  setPin,
  unlockableStaff,
  unlockPin,
  verifyPin,
} from "./counter-staff.server";
import { seedDemoCounter } from "./demo-seed.server";
import {
  authenticateDevice,
  createPairingCode,
  listDevices,
  pairDevice,
  renameDevice,
  revokeDevice,
} from "./devices.server";
import { counterStaff, terminalDevices } from "./schema";
import { normalizePairingCode, secretHash } from "./secrets.server";

const { db } = await createTestDatabase();
let hub: Store;
let outlet: Store;
let owner: Actor;
let hubManager: Actor;
let outletManager: Actor;
let clerk: Actor;

const byCode = async (code: string) => {
  const [store] = await db.select().from(stores).where(eq(stores.code, code));
  if (!store) throw new Error(code);
  return store;
};

async function actor(role: Actor["role"], store: Store): Promise<Actor> {
  const user = await createUser(db, {
    email: `${role}-${randomUUID()}@example.com`,
    name: role,
    password: null,
    role,
    merchantId: store.merchantId,
    storeId: role === "merchant_owner" ? null : store.id,
  });
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role,
    merchantId: store.merchantId,
    storeId: role === "merchant_owner" ? null : store.id,
    preferredLanguage: "en",
  };
}

async function refusal(promise: Promise<unknown>): Promise<ErrorCode> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

async function pairedDevice(store: Store, by: Actor = owner, name = "Till") {
  const { code } = await createPairingCode(db, by, store.id);
  return pairDevice(db, { code, name });
}

beforeAll(async () => {
  await seedDemoData(db);
  hub = await byCode("FASHIONHUB");
  outlet = await byCode("FASHIONOUTLET");
  owner = await actor("merchant_owner", hub);
  hubManager = await actor("store_manager", hub);
  outletManager = await actor("store_manager", outlet);
  clerk = await actor("store_staff", hub);
});

describe("pairing", () => {
  it("creates a one-time XXXX-XXXX code, stored only as its hash, good for 10 minutes", async () => {
    const before = Date.now();
    const { code, expiresAt, deviceId } = await createPairingCode(db, hubManager, hub.id);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const [row] = await db.select().from(terminalDevices).where(eq(terminalDevices.id, deviceId));
    expect(row?.pairingCodeHash).toBe(secretHash(code.replace("-", "")));
    expect(JSON.stringify(row)).not.toContain(code.replace("-", ""));
    expect(expiresAt.getTime() - before).toBeGreaterThan(9.9 * 60_000);
    expect(expiresAt.getTime() - before).toBeLessThan(10.1 * 60_000);
  });

  it("reads a typed code forgivingly: case, spaces, hyphens, O for 0 and I/L for 1", () => {
    expect(normalizePairingCode("4f7k 9qx2")).toBe("4F7K9QX2");
    expect(normalizePairingCode("O1IL-ABCD")).toBe("0111ABCD");
    expect(normalizePairingCode("4F7K-9QX")).toBeNull();
    expect(normalizePairingCode("4F7K-9QU2")).toBeNull();
  });

  it("exchanges a code once for a device token kept as a hash", async () => {
    const { code } = await createPairingCode(db, owner, hub.id);
    const paired = await pairDevice(db, { code: code.toLowerCase(), name: "  Front till " });
    expect(paired.deviceToken).toMatch(/^[\w-]{43}$/);
    expect(paired.device.name).toBe("Front till");
    expect(paired.device.tokenHash).toBe(secretHash(paired.deviceToken));
    expect(paired.device.pairingCodeHash).toBeNull();
    expect(paired.store.id).toBe(hub.id);
    expect(await refusal(pairDevice(db, { code, name: "Second" }))).toBe("invalid_pairing_code");
  });

  it("refuses an expired, unknown or malformed code", async () => {
    const { code, deviceId } = await createPairingCode(db, owner, hub.id);
    await db
      .update(terminalDevices)
      .set({ pairingCodeExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(terminalDevices.id, deviceId));
    expect(await refusal(pairDevice(db, { code, name: "Late" }))).toBe("invalid_pairing_code");
    expect(await refusal(pairDevice(db, { code: "ZZZZ-ZZZZ", name: "Guess" }))).toBe("invalid_pairing_code");
    expect(await refusal(pairDevice(db, { code: "not a code", name: "Guess" }))).toBe("invalid_pairing_code");
  });

  it("lets two devices race for one code: exactly one pairs", async () => {
    const { code } = await createPairingCode(db, owner, hub.id);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => pairDevice(db, { code, name: `Racer ${i}` })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });

  it("is for managers of the store: another store's manager gets 404, counter accounts 403", async () => {
    expect(await refusal(createPairingCode(db, outletManager, hub.id))).toBe("notFound");
    expect(await refusal(createPairingCode(db, clerk, hub.id))).toBe("accessDenied");
    expect(await refusal(createPairingCode(db, owner, "not-a-uuid"))).toBe("notFound");
  });
});

describe("device authentication", () => {
  it("knows a device by its token; unknown → device_unauthorized, revoked → device_revoked", async () => {
    const { deviceToken, device } = await pairedDevice(hub);
    const found = await authenticateDevice(db, deviceToken);
    expect(found.device.id).toBe(device.id);
    expect(found.store.id).toBe(hub.id);
    expect(await refusal(authenticateDevice(db, "x".repeat(43)))).toBe("device_unauthorized");
    expect(await refusal(authenticateDevice(db, ""))).toBe("device_unauthorized");
    await revokeDevice(db, hubManager, device.id);
    expect(await refusal(authenticateDevice(db, deviceToken))).toBe("device_revoked");
  });

  it("writes what the device reports when it changes, and its last-seen time at most once a minute", async () => {
    const { deviceToken, device } = await pairedDevice(hub);
    await authenticateDevice(db, deviceToken, { appVersion: "web-1.0.0", queueCount: 3 });
    const first = (await db.select().from(terminalDevices).where(eq(terminalDevices.id, device.id)))[0];
    expect(first).toMatchObject({ appVersion: "web-1.0.0", reportedQueueCount: 3 });
    await authenticateDevice(db, deviceToken, { appVersion: "web-1.0.0", queueCount: 3 });
    const second = (await db.select().from(terminalDevices).where(eq(terminalDevices.id, device.id)))[0];
    expect(second?.updatedAt.getTime()).toBe(first?.updatedAt.getTime());
    await db
      .update(terminalDevices)
      .set({ lastSeenAt: sql`now() - interval '61 seconds'` })
      .where(eq(terminalDevices.id, device.id));
    await authenticateDevice(db, deviceToken);
    const third = (await db.select().from(terminalDevices).where(eq(terminalDevices.id, device.id)))[0];
    expect(Date.now() - (third?.lastSeenAt?.getTime() ?? 0)).toBeLessThan(5_000);
    expect(third).toMatchObject({ appVersion: "web-1.0.0", reportedQueueCount: 3 });
  });

  it("renames and revokes within the manager's scope only, audited", async () => {
    const { device } = await pairedDevice(hub);
    await renameDevice(db, hubManager, device.id, "Back office");
    expect(await refusal(renameDevice(db, outletManager, device.id, "Mine"))).toBe("notFound");
    expect(await refusal(revokeDevice(db, clerk, device.id))).toBe("accessDenied");
    expect(await refusal(renameDevice(db, hubManager, device.id, "   "))).toBe("validation_failed");
    const listed = await listDevices(db, { kind: "store", merchantId: hub.merchantId, storeId: hub.id });
    expect(listed.find((row) => row.id === device.id)?.name).toBe("Back office");
    const outletView = await listDevices(db, { kind: "store", merchantId: outlet.merchantId, storeId: outlet.id });
    expect(outletView.some((row) => row.id === device.id)).toBe(false);
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, device.id));
    expect(audits.map((row) => row.action)).toContain("terminal.device_renamed");
  });
});

describe("counter staff and PINs", () => {
  async function staffWithPin(pin = "1234", store = hub) {
    return createCounterStaff(db, owner, { storeId: store.id, displayName: "Marie", pin });
  }

  it("keeps a bcrypt hash of cost 10, never the PIN; refuses a PIN that is not 4–6 digits", async () => {
    const member = await staffWithPin("123456");
    expect(member.pinHash).toMatch(/^\$2[aby]\$10\$/);
    for (const pin of ["123", "1234567", "12a4", " 1234"]) {
      expect(await refusal(setPin(db, owner, member.id, pin))).toBe("invalid_pin");
    }
    expect(await refusal(createCounterStaff(db, clerk, { storeId: hub.id, displayName: "X" }))).toBe("accessDenied");
    expect(await refusal(setPin(db, outletManager, member.id, "4321"))).toBe("notFound");
  });

  it("verifies a PIN for a device of the member's store only", async () => {
    const member = await staffWithPin();
    expect(await verifyPin(db, { storeId: hub.id }, member.id, "1234")).toEqual({
      id: member.id,
      displayName: "Marie",
    });
    expect(await refusal(verifyPin(db, { storeId: outlet.id }, member.id, "1234"))).toBe("counter_staff_not_found");
    expect(await refusal(verifyPin(db, { storeId: hub.id }, randomUUID(), "1234"))).toBe("counter_staff_not_found");
  });

  it("locks after 10 consecutive failures until a manager resets the PIN; a success resets the count", async () => {
    const member = await staffWithPin();
    for (let i = 0; i < 9; i++)
      expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "0000"))).toBe("pin_incorrect");
    await verifyPin(db, { storeId: hub.id }, member.id, "1234");
    const [afterSuccess] = await db.select().from(counterStaff).where(eq(counterStaff.id, member.id));
    expect(afterSuccess?.failedPinAttempts).toBe(0);
    for (let i = 0; i < 9; i++) await refusal(verifyPin(db, { storeId: hub.id }, member.id, "0000"));
    expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "0000"))).toBe("pin_locked");
    expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "1234"))).toBe("pin_locked");
    expect((await unlockableStaff(db, hub.id)).some((row) => row.id === member.id)).toBe(false);
    await setPin(db, hubManager, member.id, "5678");
    expect(await verifyPin(db, { storeId: hub.id }, member.id, "5678")).toMatchObject({ id: member.id });
    expect((await unlockableStaff(db, hub.id)).some((row) => row.id === member.id)).toBe(true);
  });

  it("counts 30 parallel wrong PINs atomically: locked at exactly the threshold, one lock audited", async () => {
    const member = await staffWithPin();
    const codes = await Promise.all(
      Array.from({ length: 30 }, () => refusal(verifyPin(db, { storeId: hub.id }, member.id, "9999"))),
    );
    expect(codes.filter((code) => code === "pin_incorrect")).toHaveLength(pinLockThreshold - 1);
    expect(codes.filter((code) => code === "pin_locked")).toHaveLength(30 - (pinLockThreshold - 1));
    const [row] = await db.select().from(counterStaff).where(eq(counterStaff.id, member.id));
    expect(row?.failedPinAttempts).toBe(pinLockThreshold);
    expect(row?.pinLockedAt).not.toBeNull();
    const locks = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, member.id), eq(auditLog.action, "terminal.pin_locked")));
    expect(locks).toHaveLength(1);
  });

  it("counts failures reported from offline, but not those made before the current PIN was set", async () => {
    const member = await staffWithPin();
    const now = new Date();
    expect(await reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 4, lastAttemptAt: now })).toEqual(
      {
        failedAttempts: 4,
        locked: false,
      },
    );
    const stale = new Date(Date.now() - 3_600_000);
    expect(
      await reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 5, lastAttemptAt: stale }),
    ).toEqual({
      failedAttempts: 4,
      locked: false,
    });
    for (let i = 0; i < 5; i++) await refusal(verifyPin(db, { storeId: hub.id }, member.id, "0000"));
    expect(
      await reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 3, lastAttemptAt: new Date() }),
    ).toEqual({
      failedAttempts: pinLockThreshold,
      locked: true,
    });
    expect(
      await refusal(reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 0, lastAttemptAt: now })),
    ).toBe("validation_failed");
    expect(
      await refusal(reportFailedPinAttempts(db, { storeId: outlet.id }, member.id, { count: 1, lastAttemptAt: now })),
    ).toBe("counter_staff_not_found");
  });

  it("counts parallel offline reports without passing the threshold", async () => {
    const member = await staffWithPin();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 3, lastAttemptAt: new Date() }),
      ),
    );
    expect(results.every((result) => result.failedAttempts <= pinLockThreshold)).toBe(true);
    const [row] = await db.select().from(counterStaff).where(eq(counterStaff.id, member.id));
    expect(row?.failedPinAttempts).toBe(pinLockThreshold);
  });

  it("renames and deactivates; a deactivated member cannot unlock and leaves the device's list", async () => {
    const member = await staffWithPin();
    await renameCounterStaff(db, hubManager, member.id, "Marie L.");
    await deactivateCounterStaff(db, hubManager, member.id);
    expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "1234"))).toBe("counter_staff_inactive");
    expect((await unlockableStaff(db, hub.id)).some((row) => row.id === member.id)).toBe(false);
    const listed = await listCounterStaff(db, { kind: "merchant", merchantId: hub.merchantId });
    const row = listed.find((entry) => entry.id === member.id);
    expect(row).toMatchObject({ displayName: "Marie L.", hasPin: true });
    expect(row?.deactivatedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain("$2");
  });

  it("reactivates a deactivated member, who unlocks with the PIN they had, audited", async () => {
    const member = await staffWithPin("2468");
    await deactivateCounterStaff(db, hubManager, member.id);
    expect(await refusal(reactivateCounterStaff(db, outletManager, member.id))).toBe("notFound");
    expect(await refusal(reactivateCounterStaff(db, clerk, member.id))).toBe("accessDenied");
    await reactivateCounterStaff(db, hubManager, member.id);
    await reactivateCounterStaff(db, hubManager, member.id);
    expect(await verifyPin(db, { storeId: hub.id }, member.id, "2468")).toMatchObject({ id: member.id });
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, member.id));
    expect(audits.filter((row) => row.action === "terminal.counter_staff_reactivated")).toHaveLength(1);
  });

  it("unlocks a locked PIN keeping it; failures reported from before the unlock do not lock it again", async () => {
    const member = await staffWithPin("1357");
    const beforeUnlock = new Date();
    await reportFailedPinAttempts(db, { storeId: hub.id }, member.id, {
      count: pinLockThreshold,
      lastAttemptAt: beforeUnlock,
    });
    expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "1357"))).toBe("pin_locked");
    expect(await refusal(unlockPin(db, outletManager, member.id))).toBe("notFound");
    await unlockPin(db, hubManager, member.id);
    await unlockPin(db, hubManager, member.id);
    const [row] = await db.select().from(counterStaff).where(eq(counterStaff.id, member.id));
    expect(row).toMatchObject({ failedPinAttempts: 0, pinLockedAt: null, pinHash: member.pinHash });
    expect(
      await reportFailedPinAttempts(db, { storeId: hub.id }, member.id, { count: 3, lastAttemptAt: beforeUnlock }),
    ).toEqual({ failedAttempts: 0, locked: false });
    expect(await verifyPin(db, { storeId: hub.id }, member.id, "1357")).toMatchObject({ id: member.id });
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, member.id));
    expect(audits.filter((row) => row.action === "terminal.pin_unlocked")).toHaveLength(1);
  });

  it("lists when each member last recorded something at the counter", async () => {
    const member = await staffWithPin();
    const idle = await staffWithPin();
    const { cardId } = await enrollCustomer(db, hub, {
      firstName: "Lena",
      lastName: "Schmit",
      email: `lena-${randomUUID()}@example.com`,
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "en",
    });
    await db.transaction((tx) =>
      appendLedgerEntry(tx, { cardId, storeId: hub.id, type: "earn", pointsDelta: 5, actingCounterStaffId: member.id }),
    );
    const listed = await listCounterStaff(db, { kind: "store", merchantId: hub.merchantId, storeId: hub.id }, hub.id);
    const lastActive = listed.find((row) => row.id === member.id)?.lastActiveAt;
    expect(lastActive).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (lastActive?.getTime() ?? 0))).toBeLessThan(60_000);
    expect(listed.find((row) => row.id === idle.id)?.lastActiveAt).toBeNull();
  });

  it("leaves members without a PIN out of the device's list and refuses them online", async () => {
    const member = await createCounterStaff(db, owner, { storeId: hub.id, displayName: "New" });
    expect((await unlockableStaff(db, hub.id)).some((row) => row.id === member.id)).toBe(false);
    expect(await refusal(verifyPin(db, { storeId: hub.id }, member.id, "1234"))).toBe("pin_locked");
  });
});

describe("the development demo counter", () => {
  it("creates the demo staff once and prints a fresh pairing code per store at every start", async () => {
    const first = await seedDemoCounter(db);
    const second = await seedDemoCounter(db);
    expect(first).toContain("counter staff at FashionHub: Marie (PIN 1234)");
    expect(first).toContain("counter staff at FashionOutlet: Paul (PIN 5678)");
    const codeLine = /^terminal pairing code for (FashionHub|FashionOutlet): ([0-9A-Z]{4}-[0-9A-Z]{4})$/;
    const codes = [...first, ...second].flatMap((line) => codeLine.exec(line)?.[2] ?? []);
    expect(codes).toHaveLength(4);
    const marie = await db
      .select()
      .from(counterStaff)
      .where(and(eq(counterStaff.storeId, hub.id), eq(counterStaff.displayName, "Marie")));
    expect(marie.filter((row) => row.pinHash !== null && row.failedPinAttempts === 0).length).toBeGreaterThan(0);
    const paired = await pairDevice(db, { code: codes[3] as string, name: "Demo till" });
    const staff = await unlockableStaff(db, paired.store.id);
    const demo = staff.find((row) => row.displayName === (paired.store.code === "FASHIONHUB" ? "Marie" : "Paul"));
    expect(demo).toBeDefined();
    expect(
      await verifyPin(
        db,
        { storeId: paired.store.id },
        demo?.id as string,
        paired.store.code === "FASHIONHUB" ? "1234" : "5678",
      ),
    ).toMatchObject({ id: demo?.id });
  });
});
