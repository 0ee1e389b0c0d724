import type { AppLoadContext } from "react-router";
import { loyaltyUnavailable, notFound, unknownHost } from "~/errors";
import type { Program } from "~/modules/loyalty/programs.server";
import type { Merchant, Store } from "~/modules/tenancy/stores.server";

export interface Storefront {
  store: Store;
  merchant: Merchant;
  program: Program;
}

/**
 * The store this host serves with its active program (resolved with the host, before any loader),
 * or the 404 a shopper should see: unknown host, loyalty switched off, or a storefront path asked
 * of the platform host.
 */
export function requireStorefront(context: AppLoadContext): Storefront {
  const { tenant } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  if (tenant.kind === "platform") throw notFound();
  if (!tenant.program) throw loyaltyUnavailable(tenant.store.name);
  return { store: tenant.store, merchant: tenant.merchant, program: tenant.program };
}
