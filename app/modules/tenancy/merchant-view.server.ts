import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { users } from "~/modules/auth/schema";
import { staffInScope, storesInScope } from "~/modules/scope/conditions.server";
import type { Scope } from "~/modules/scope/scope";
import { stores } from "./schema";

/** The stores and active staff accounts a scope may see: the merchant's, or one store's. */
export async function merchantStoresAndStaff(db: Executor, scope: Scope) {
  const [storeRows, staffRows] = await Promise.all([
    db.select().from(stores).where(storesInScope(scope)).orderBy(asc(stores.name)),
    db
      .select({ user: users, storeName: stores.name })
      .from(users)
      .leftJoin(stores, eq(stores.id, users.storeId))
      .where(and(staffInScope(scope), eq(users.active, true)))
      .orderBy(asc(users.name)),
  ]);
  return { stores: storeRows, staff: staffRows };
}
