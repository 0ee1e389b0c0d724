import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { cardsForExport, countCards } from "./card-detail.server";
import { enrollCustomer } from "./enrollment.server";

const { db } = await createTestDatabase();

describe("card export", () => {
  it("reads every card of the scope once, oldest first, batch after batch", async () => {
    await seedDemoData(db);
    const [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
    // created_at has microseconds that a JS Date drops: a key read back into JS would repeat rows.
    for (let n = 0; n < 7; n++) {
      await enrollCustomer(db, store, {
        firstName: "Batch",
        lastName: String(n),
        email: `batch-${n}@example.com`,
        phone: null,
        birthDate: null,
        marketingConsent: false,
        locale: "fr",
      });
    }
    const scope = { kind: "merchant", merchantId: store.merchantId } as const;
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of cardsForExport(db, scope, 3)) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(3);
      seen.push(...batch.map((row) => row.id));
    }
    const total = await countCards(db, scope);
    expect(total).toBeGreaterThanOrEqual(7);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(batches).toBe(Math.ceil(total / 3));
  });
});
