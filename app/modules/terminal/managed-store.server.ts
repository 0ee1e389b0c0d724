import { and, eq } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { accessDenied, notFound } from "~/errors";
import { storesInScope } from "~/modules/scope/conditions.server";
import { type Actor, scopeOf } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";

/** Roles that manage a store's counter: devices, counter staff and their PINs. */
const counterManagers = new Set<Actor["role"]>(["platform_admin", "merchant_owner", "store_manager"]);

/**
 * The store whose counter the actor manages: 403 for counter-side accounts, 404 for a store
 * outside the actor's scope (its existence is not confirmed).
 */
export async function managedStore(db: Executor, actor: Actor, storeId: string): Promise<Store> {
  if (!counterManagers.has(actor.role)) throw accessDenied();
  const [store] = isUuid(storeId)
    ? await db
        .select()
        .from(stores)
        .where(and(eq(stores.id, storeId), storesInScope(scopeOf(actor))))
    : [];
  if (!store) throw notFound();
  return store;
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
