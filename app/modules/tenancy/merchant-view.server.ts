import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { users } from "~/modules/auth/schema";
import type { Scope } from "~/modules/auth/scope";
import { stores } from "./schema";

/** The stores and staff accounts a merchant user may see: the merchant's, or one store's. */
export async function merchantStoresAndStaff(db: Executor, scope: Exclude<Scope, { kind: "platform" }>) {
  const storeFilter =
    scope.kind === "merchant"
      ? eq(stores.merchantId, scope.merchantId)
      : and(eq(stores.merchantId, scope.merchantId), eq(stores.id, scope.storeId));
  const userFilter =
    scope.kind === "merchant"
      ? eq(users.merchantId, scope.merchantId)
      : and(eq(users.merchantId, scope.merchantId), eq(users.storeId, scope.storeId));
  const [storeRows, staffRows] = await Promise.all([
    db.select().from(stores).where(storeFilter).orderBy(asc(stores.name)),
    db
      .select({ user: users, storeName: stores.name })
      .from(users)
      .leftJoin(stores, eq(stores.id, users.storeId))
      .where(and(userFilter, eq(users.active, true)))
      .orderBy(asc(users.name)),
  ]);
  return { stores: storeRows, staff: staffRows };
}
