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
  const { store, merchant, program, loyaltyOffered } = await storefrontShell(context);
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

const shellPerRequest = new WeakMap<AppLoadContext, Promise<StorefrontShell>>();

/**
 * What the storefront's header and footer need on a known store host, including a store whose
 * loyalty is off (its "not available" page keeps the store's look); other hosts throw their 404.
 */
export function storefrontShell(context: AppLoadContext): Promise<StorefrontShell> {
  let shell = shellPerRequest.get(context);
  if (!shell) {
    shell = loadShell(context);
    shellPerRequest.set(context, shell);
  }
  return shell;
}

async function loadShell(context: AppLoadContext): Promise<StorefrontShell> {
  const { tenant } = context;
  if (tenant.kind === "unknown") throw unknownHost();
  if (tenant.kind === "platform") throw notFound();
  const program = await activeProgram(context.db, tenant.merchant.id);
  return {
    store: tenant.store,
    merchant: tenant.merchant,
    program,
    loyaltyOffered: tenant.store.loyaltyEnabled && !!program,
  };
}
