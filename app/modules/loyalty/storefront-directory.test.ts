import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "~/logger.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { eventually } from "~/test/eventually";
import { loyaltyPrograms } from "./schema";
import { storefrontDirectory } from "./storefront-directory.server";

const { db } = await createTestDatabase();
await seedDemoData(db);
const logger = createLogger("silent");
afterAll(async () => {
  await db.update(stores).set({ loyaltyEnabled: true }).where(eq(stores.code, "FASHIONHUB"));
});

/** A change the triggers do not announce, to see what the cache answers without a notification. */
async function silently(change: string) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table stores disable trigger stores_notify_tenancy`);
    await tx.execute(sql.raw(change));
    await tx.execute(sql`alter table stores enable trigger stores_notify_tenancy`);
  });
}

describe("the storefront directory", () => {
  it("answers the platform, a store with its program, and unknown hosts", async () => {
    const { resolve } = storefrontDirectory(db, "localhost", logger);
    expect(await resolve("localhost")).toEqual({ kind: "platform" });
    const hub = await resolve("FashionHub.localhost.");
    expect(hub.kind === "store" && [hub.store.code, hub.program?.merchantId]).toEqual([
      "FASHIONHUB",
      hub.kind === "store" && hub.merchant.id,
    ]);
    expect(await resolve("nowhere.localhost")).toEqual({ kind: "unknown" });
    expect(await resolve("a.b.localhost")).toEqual({ kind: "unknown" });
  });

  it("keeps answers until a change to stores, merchants or programs is notified, from any connection", async () => {
    const { resolve, listening } = storefrontDirectory(db, "localhost", logger, { ttlMs: 60_000 });
    expect(await listening).toBe(true);
    expect((await resolve("fashionhub.localhost")).kind).toBe("store");
    await silently(`update stores set name = 'Renamed quietly' where code = 'FASHIONHUB'`);
    const cached = await resolve("fashionhub.localhost");
    expect(cached.kind === "store" && cached.store.name).toBe("FashionHub");

    await db.update(stores).set({ loyaltyEnabled: false }).where(eq(stores.code, "FASHIONHUB"));
    const off = await eventually(
      () => resolve("fashionhub.localhost"),
      (t) => t.kind === "store" && !t.store.loyaltyEnabled,
    );
    // The program stays: a store without loyalty still wears its merchant's branding.
    expect(off.kind === "store" && [off.store.name, off.store.loyaltyEnabled, off.program?.id]).toEqual([
      "Renamed quietly",
      false,
      cached.kind === "store" && cached.program?.id,
    ]);

    await db.update(stores).set({ loyaltyEnabled: true, name: "FashionHub" }).where(eq(stores.code, "FASHIONHUB"));
    await db.update(loyaltyPrograms).set({ termsUrl: "https://fashionhub.example/terms-2" });
    const terms = await eventually(
      () => resolve("fashionhub.localhost"),
      (t) => t.kind === "store" && t.program?.termsUrl === "https://fashionhub.example/terms-2",
    );
    expect(terms.kind === "store" && terms.program?.termsUrl).toBe("https://fashionhub.example/terms-2");
  });

  it("lets an answer go after its time to live, notified or not", async () => {
    const { resolve, listening } = storefrontDirectory(db, "localhost", logger, { ttlMs: 100 });
    expect(await listening).toBe(true);
    expect((await resolve("fashionoutlet.localhost")).kind).toBe("store");
    await silently(`update stores set name = 'Outlet renamed quietly' where code = 'FASHIONOUTLET'`);
    const later = await eventually(
      () => resolve("fashionoutlet.localhost"),
      (t) => t.kind === "store" && t.store.name === "Outlet renamed quietly",
    );
    expect(later.kind === "store" && later.store.name).toBe("Outlet renamed quietly");
  });
});
