import type { AppLoadContext } from "react-router";
import { loyaltyUnavailable, notFound, unknownHost } from "~/errors";
import { activeProgram, type Program } from "~/modules/loyalty/programs.server";
import type { Merchant, Store } from "~/modules/tenancy/stores.server";

export interface Storefront {
  store: Store;
  merchant: Merchant;
  program: Program;
}

/** The layout's and the page's loaders both ask within one request: look the program up once. */
const perRequest = new WeakMap<AppLoadContext, Promise<Storefront>>();

/**
 * The store this host serves with its active program, or the 404 a shopper should see:
 * unknown host, loyalty switched off, or a storefront path asked of the platform host.
 */
export function requireStorefront(context: AppLoadContext): Promise<Storefront> {
  let storefront = perRequest.get(context);
  if (!storefront) {
    storefront = loadStorefront(context);
    perRequest.set(context, storefront);
  }
  return storefront;
}

async function loadStorefront(context: AppLoadContext): Promise<Storefront> {
  const { tenant } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  if (tenant.kind === "platform") throw notFound();
  const program = tenant.store.loyaltyEnabled ? await activeProgram(context.db, tenant.merchant.id) : null;
  if (!program) throw loyaltyUnavailable(tenant.store.name);
  return { store: tenant.store, merchant: tenant.merchant, program };
}
