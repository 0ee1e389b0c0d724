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
  const { store, merchant, program, loyaltyOffered } = storefrontShell(context);
  if (!program || !loyaltyOffered) throw loyaltyUnavailable(store.name);
  return { store, merchant, program };
}

export interface StorefrontShell {
  store: Store;
  merchant: Merchant;
  /** The merchant's active program, for its branding even while the store offers no loyalty. */
  program: Program | null;
  loyaltyOffered: boolean;
}

/**
 * What the storefront's header and footer need on a known store host, including a store whose
 * loyalty is off (its "not available" page keeps the store's look); other hosts throw their 404.
 */
export function storefrontShell(context: AppLoadContext): StorefrontShell {
  const { tenant } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  if (tenant.kind === "platform") throw notFound();
  return {
    store: tenant.store,
    merchant: tenant.merchant,
    program: tenant.program,
    loyaltyOffered: tenant.store.loyaltyEnabled && tenant.program !== null,
  };
}
