import { hash } from "bcryptjs";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { stores } from "~/modules/tenancy/schema";
import { pinHashCost } from "./counter-staff.server";
import { issuePairingCode } from "./devices.server";
import { counterStaff } from "./schema";

/** Counter staff of the demo stores, with the PINs the boot log prints (development only). */
export const demoCounterStaff = [
  { storeCode: "FASHIONHUB", displayName: "Marie", pin: "1234" },
  { storeCode: "FASHIONHUB", displayName: "Luc", pin: "2468" },
  { storeCode: "FASHIONOUTLET", displayName: "Paul", pin: "5678" },
] as const;

/** Demo pairing codes last a working day instead of 10 minutes, so the printed code still works after lunch. */
const demoPairingCodeMinutes = 12 * 60;

/**
 * Development only, at every start: the demo counter staff (created once) and a fresh unused
 * pairing code per demo store. Returns the boot log's lines, one per code and per person.
 */
export async function seedDemoCounter(db: Database): Promise<string[]> {
  const codes = [...new Set(demoCounterStaff.map((member) => member.storeCode))];
  const rows = await db.select().from(stores).where(inArray(stores.code, codes));
  const lines: string[] = [];
  for (const store of codes.map((code) => rows.find((row) => row.code === code))) {
    if (!store) continue;
    for (const member of demoCounterStaff.filter((entry) => entry.storeCode === store.code)) {
      const [existing] = await db
        .select({ id: counterStaff.id })
        .from(counterStaff)
        .where(and(eq(counterStaff.storeId, store.id), eq(counterStaff.displayName, member.displayName)));
      if (!existing) {
        await db.insert(counterStaff).values({
          merchantId: store.merchantId,
          storeId: store.id,
          displayName: member.displayName,
          pinHash: await hash(member.pin, pinHashCost),
          pinSetAt: new Date(),
        });
      }
      lines.push(`counter staff at ${store.name}: ${member.displayName} (PIN ${member.pin})`);
    }
    const { code } = await issuePairingCode(db, store, undefined, demoPairingCodeMinutes);
    lines.push(`terminal pairing code for ${store.name}: ${code}`);
  }
  return lines;
}
