import { type AppLoadContext, data } from "react-router";
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
  if (tenant.kind === "unknown") throw data({ code: "unknownHost" }, { status: 404 });
  if (tenant.kind === "platform") throw data({ code: "notFound" }, { status: 404 });
  const program = tenant.store.loyaltyEnabled ? await activeProgram(context.db, tenant.merchant.id) : null;
  if (!program) throw data({ code: "loyaltyUnavailable", store: tenant.store.name }, { status: 404 });
  return { store: tenant.store, merchant: tenant.merchant, program };
}
