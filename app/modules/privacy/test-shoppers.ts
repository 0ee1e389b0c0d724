import { eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { appendLedgerEntry } from "~/modules/loyalty/ledger.server";
import { stores } from "~/modules/tenancy/schema";

/** Enrolls a shopper at a seeded store (by code) with one purchase; for the privacy tests. */
export async function enrollTestShopper(db: Database, storeCode: string, email: string) {
  const [store] = await db.select().from(stores).where(eq(stores.code, storeCode));
  if (!store) throw new Error(`no store ${storeCode}`);
  const enrolled = await enrollCustomer(db, store, {
    firstName: "Test",
    lastName: `Shopper ${email}`,
    email,
    phone: "+352621123456",
    birthDate: "1990-04-12",
    marketingConsent: true,
    locale: "fr",
  });
  await db.transaction((tx) =>
    appendLedgerEntry(tx, {
      cardId: enrolled.cardId,
      storeId: store.id,
      type: "earn",
      pointsDelta: 25,
      amountCents: 2_500,
    }),
  );
  return { ...enrolled, store };
}
