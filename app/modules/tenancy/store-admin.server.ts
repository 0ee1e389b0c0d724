import { and, asc, count, eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { pageCount, pageSize } from "~/db/pagination";
import { notFound } from "~/errors";
import { recordAudit } from "~/modules/audit/audit.server";
import { loyaltyPrograms } from "~/modules/loyalty/schema";
import { storesInScope } from "~/modules/scope/conditions.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import { queueMerchantClassSyncs } from "~/modules/wallet/jobs.server";
import { merchants, stores } from "./schema";

/** The stores a scope may see with their merchant and active program, one page at a time. */
export async function listStores(db: Database, scope: Scope, page: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select({ store: stores, merchantName: merchants.name, programId: loyaltyPrograms.id })
      .from(stores)
      .innerJoin(merchants, eq(merchants.id, stores.merchantId))
      .leftJoin(
        loyaltyPrograms,
        and(eq(loyaltyPrograms.merchantId, stores.merchantId), eq(loyaltyPrograms.active, true)),
      )
      .where(storesInScope(scope))
      .orderBy(asc(merchants.name), asc(stores.name))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(stores).where(storesInScope(scope)),
  ]);
  return { rows, pages: pageCount(total?.value ?? 0) };
}

/**
 * Turns a store's loyalty feature on or off. On needs the merchant's active program, so a
 * storefront never shows a join form that cannot enroll anyone.
 */
export async function setStoreLoyalty(db: Database, actor: Actor, storeId: string, enabled: boolean) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ store: stores, merchantName: merchants.name, programId: loyaltyPrograms.id })
      .from(stores)
      .innerJoin(merchants, eq(merchants.id, stores.merchantId))
      .leftJoin(
        loyaltyPrograms,
        and(eq(loyaltyPrograms.merchantId, stores.merchantId), eq(loyaltyPrograms.active, true)),
      )
      .where(eq(stores.id, storeId));
    if (!row) throw notFound();
    if (enabled && !row.programId) return { ok: false as const, store: row.store.name, merchant: row.merchantName };
    await tx.update(stores).set({ loyaltyEnabled: enabled }).where(eq(stores.id, storeId));
    await queueMerchantClassSyncs(tx, row.store.merchantId);
    await recordAudit(tx, actor, {
      action: enabled ? "store.loyalty_on" : "store.loyalty_off",
      entityType: "store",
      entityId: storeId,
      merchantId: row.store.merchantId,
    });
    return { ok: true as const, store: row.store.name, merchant: row.merchantName };
  });
}
