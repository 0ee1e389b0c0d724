import { and, asc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors";
import { accessDenied, DomainError, notFound } from "~/errors";
import { recordAudit } from "~/modules/audit/audit.server";
import { devicesInScope } from "~/modules/scope/conditions.server";
import { type Actor, type Scope, scopeOf } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { isUuid, managedStore } from "./managed-store.server";
import { maxDeviceNameLength } from "./rules";
import { terminalDevices } from "./schema";
import { generateDeviceToken, generatePairingCode, normalizePairingCode, secretHash } from "./secrets.server";

export type TerminalDevice = typeof terminalDevices.$inferSelect;

/** A pairing code is good for this long after a manager creates it. */
export const pairingCodeMinutes = 10;
/** A device's report (last seen, app version, queue) is written at most this often when unchanged. */
export const deviceReportIntervalSeconds = 60;
export { maxDeviceNameLength };

export interface PairingCode {
  /** `XXXX-XXXX`, shown once to the manager; only its hash is stored. */
  code: string;
  expiresAt: Date;
  deviceId: string;
}

/**
 * A one-time code a manager gives a new counter device of the store. The device row exists from
 * now on, unpaired; expired unpaired rows of the store are cleared on the way.
 */
export async function createPairingCode(db: Database, actor: Actor, storeId: string): Promise<PairingCode> {
  const store = await managedStore(db, actor, storeId);
  return issuePairingCode(db, store, async (tx, pairing) => {
    await recordAudit(tx, actor, {
      action: "terminal.pairing_code_created",
      entityType: "terminal_device",
      entityId: pairing.deviceId,
      merchantId: store.merchantId,
      details: { storeId: store.id },
    });
  });
}

/** A new pairing code for the store, with whatever the caller records on the same transaction. */
export async function issuePairingCode(
  db: Database,
  store: Store,
  record: (tx: Transaction, pairing: PairingCode) => Promise<void> = async () => {},
  validMinutes = pairingCodeMinutes,
): Promise<PairingCode> {
  for (let attempt = 0; ; attempt++) {
    const code = generatePairingCode();
    try {
      return await db.transaction(async (tx) => {
        await tx
          .delete(terminalDevices)
          .where(
            and(
              eq(terminalDevices.storeId, store.id),
              isNull(terminalDevices.pairedAt),
              lt(terminalDevices.pairingCodeExpiresAt, sql`now()`),
            ),
          );
        const [device] = await tx
          .insert(terminalDevices)
          .values({
            merchantId: store.merchantId,
            storeId: store.id,
            name: "",
            pairingCodeHash: secretHash(normalizePairingCode(code) ?? code),
            pairingCodeExpiresAt: sql`now() + make_interval(mins => ${validMinutes})`,
          })
          .returning();
        if (!device?.pairingCodeExpiresAt) throw new Error("pairing code insert returned no row");
        const pairing = { code, expiresAt: device.pairingCodeExpiresAt, deviceId: device.id };
        await record(tx, pairing);
        return pairing;
      });
    } catch (error) {
      // 40 random bits: a collision with a live code is next to impossible, but never an error.
      if (attempt < 3 && isUniqueViolation(error, "terminal_devices_pairingCodeHash_unique")) continue;
      throw error;
    }
  }
}

export interface PairedDevice {
  /** Shown to the device once; RewardFlow keeps only its SHA-256. */
  deviceToken: string;
  device: TerminalDevice;
  store: Store;
}

/**
 * Exchanges a live pairing code for a device token, once: the code's hash is cleared in the same
 * statement that checks it, so two devices typing one code cannot both pair.
 */
export async function pairDevice(db: Database, input: { code: string; name: string }): Promise<PairedDevice> {
  const name = deviceName(input.name);
  const code = normalizePairingCode(input.code);
  if (!code) throw new DomainError("invalid_pairing_code");
  const deviceToken = generateDeviceToken();
  return db.transaction(async (tx) => {
    const [device] = await tx
      .update(terminalDevices)
      .set({
        name,
        tokenHash: secretHash(deviceToken),
        pairingCodeHash: null,
        pairingCodeExpiresAt: null,
        pairedAt: sql`now()`,
        lastSeenAt: sql`now()`,
      })
      .where(
        and(
          eq(terminalDevices.pairingCodeHash, secretHash(code)),
          sql`${terminalDevices.pairingCodeExpiresAt} > now()`,
          isNull(terminalDevices.revokedAt),
        ),
      )
      .returning();
    if (!device) throw new DomainError("invalid_pairing_code");
    const [store] = await tx.select().from(stores).where(eq(stores.id, device.storeId));
    if (!store) throw new Error(`store ${device.storeId} of device ${device.id} not found`);
    await recordAudit(tx, null, {
      action: "terminal.device_paired",
      entityType: "terminal_device",
      entityId: device.id,
      merchantId: device.merchantId,
      details: { storeId: store.id, name },
    });
    return { deviceToken, device, store };
  });
}

/** What a device says about itself on each request (headers); missing or unreadable values are left as they were. */
export interface DeviceReport {
  appVersion?: string | null;
  queueCount?: number | null;
}

export interface AuthenticatedDevice {
  device: TerminalDevice;
  store: Store;
}

/**
 * The device behind a bearer token: unknown → `device_unauthorized`, revoked → `device_revoked`.
 * Its report is written when it changed or when the last one is a minute old, not on every request.
 */
export async function authenticateDevice(
  db: Database,
  token: string,
  report: DeviceReport = {},
): Promise<AuthenticatedDevice> {
  if (!token) throw new DomainError("device_unauthorized");
  const [row] = await db
    .select({ device: terminalDevices, store: stores })
    .from(terminalDevices)
    .innerJoin(stores, eq(stores.id, terminalDevices.storeId))
    .where(eq(terminalDevices.tokenHash, secretHash(token)));
  if (!row) throw new DomainError("device_unauthorized");
  if (row.device.revokedAt) throw new DomainError("device_revoked");
  const { device } = row;
  const appVersion = report.appVersion ?? device.appVersion;
  const queueCount = report.queueCount ?? device.reportedQueueCount;
  const stale = !device.lastSeenAt || Date.now() - device.lastSeenAt.getTime() >= deviceReportIntervalSeconds * 1000;
  if (stale || appVersion !== device.appVersion || queueCount !== device.reportedQueueCount) {
    const [updated] = await db
      .update(terminalDevices)
      .set({ lastSeenAt: sql`now()`, appVersion, reportedQueueCount: queueCount })
      .where(eq(terminalDevices.id, device.id))
      .returning();
    return { device: updated ?? device, store: row.store };
  }
  return row;
}

/** The paired devices a scope may see, with what each last reported; optionally of one store. */
export async function listDevices(db: Database, scope: Scope, storeId?: string) {
  return db
    .select({
      id: terminalDevices.id,
      storeId: terminalDevices.storeId,
      storeName: stores.name,
      name: terminalDevices.name,
      pairedAt: terminalDevices.pairedAt,
      revokedAt: terminalDevices.revokedAt,
      lastSeenAt: terminalDevices.lastSeenAt,
      appVersion: terminalDevices.appVersion,
      reportedQueueCount: terminalDevices.reportedQueueCount,
    })
    .from(terminalDevices)
    .innerJoin(stores, eq(stores.id, terminalDevices.storeId))
    .where(
      and(
        devicesInScope(scope),
        isNotNull(terminalDevices.pairedAt),
        storeId && isUuid(storeId) ? eq(terminalDevices.storeId, storeId) : undefined,
      ),
    )
    .orderBy(asc(stores.name), asc(terminalDevices.name), asc(terminalDevices.id));
}

export async function renameDevice(db: Database, actor: Actor, deviceId: string, name: string): Promise<void> {
  const newName = deviceName(name);
  await db.transaction(async (tx) => {
    const device = await managedDevice(tx, actor, deviceId);
    await tx.update(terminalDevices).set({ name: newName }).where(eq(terminalDevices.id, device.id));
    await recordAudit(tx, actor, {
      action: "terminal.device_renamed",
      entityType: "terminal_device",
      entityId: device.id,
      merchantId: device.merchantId,
      details: { from: device.name, to: newName },
    });
  });
}

/** Revokes a device: its next request gets `device_revoked`, and the token can never be used again. */
export async function revokeDevice(db: Database, actor: Actor, deviceId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const device = await managedDevice(tx, actor, deviceId);
    if (device.revokedAt) return;
    await tx.update(terminalDevices).set({ revokedAt: sql`now()` }).where(eq(terminalDevices.id, device.id));
    await recordAudit(tx, actor, {
      action: "terminal.device_revoked",
      entityType: "terminal_device",
      entityId: device.id,
      merchantId: device.merchantId,
      details: { name: device.name },
    });
  });
}

function deviceName(input: string): string {
  const name = input.trim();
  if (!name || name.length > maxDeviceNameLength) throw new DomainError("validation_failed");
  return name;
}

async function managedDevice(tx: Transaction, actor: Actor, deviceId: string): Promise<TerminalDevice> {
  if (actor.role === "store_staff") throw accessDenied();
  const [device] = isUuid(deviceId)
    ? await tx
        .select()
        .from(terminalDevices)
        .where(
          and(eq(terminalDevices.id, deviceId), devicesInScope(scopeOf(actor)), isNotNull(terminalDevices.pairedAt)),
        )
        .for("update")
    : [];
  if (!device) throw notFound();
  return device;
}
