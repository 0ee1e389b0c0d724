import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "~/db/columns";
import { storeOwned } from "~/modules/tenancy/schema";

/** People who work the counter of one store: a name and a PIN, no email address or password. */
export const counterStaff = pgTable(
  "counter_staff",
  {
    id: uuid().primaryKey().defaultRandom(),
    ...storeOwned,
    displayName: text().notNull(),
    /** bcrypt; null until a manager sets the first PIN. Devices verify offline against it. */
    pinHash: text(),
    failedPinAttempts: integer().notNull().default(0),
    /** Set when consecutive failures reach the limit; cleared only by a manager's PIN reset. */
    pinLockedAt: timestamp({ withTimezone: true }),
    /** When the current PIN was set or last unlocked: failures a device reports from before it do not count. */
    pinSetAt: timestamp({ withTimezone: true }),
    deactivatedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index("counter_staff_store_idx").on(table.storeId),
    check("counter_staff_failed_pin_attempts", sql`${table.failedPinAttempts} >= 0`),
  ],
);

/** Counter terminals (the web terminal or the Android app) paired to one store. */
export const terminalDevices = pgTable(
  "terminal_devices",
  {
    id: uuid().primaryKey().defaultRandom(),
    ...storeOwned,
    name: text().notNull(),
    /** SHA-256 of the device token; null until the pairing code is exchanged. */
    tokenHash: text().unique(),
    /** SHA-256 of the one-time pairing code; cleared when the device pairs. */
    pairingCodeHash: text().unique(),
    pairingCodeExpiresAt: timestamp({ withTimezone: true }),
    pairedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastSeenAt: timestamp({ withTimezone: true }),
    appVersion: text(),
    /** Transactions waiting in the device's offline queue, as it last reported. */
    reportedQueueCount: integer(),
    ...timestamps,
  },
  (table) => [
    index("terminal_devices_store_idx").on(table.storeId),
    check(
      "terminal_devices_pairing_code_expiry",
      sql`(${table.pairingCodeHash} is null) = (${table.pairingCodeExpiresAt} is null)`,
    ),
  ],
);
