import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { type Locale, platformDefaultLocale } from "~/i18n/locales";
import { merchants, stores } from "./schema";

export type Store = typeof stores.$inferSelect;
export type Merchant = typeof merchants.$inferSelect;

export type HostResolution =
  | { kind: "platform" }
  | { kind: "store"; store: Store; merchant: Merchant }
  | { kind: "unknown" };

/**
 * Which surface a host name serves: the platform itself, a store (by `{subdomain}.{platformDomain}`
 * or its custom domain), or nothing we know.
 */
export async function resolveHost(db: Executor, hostname: string, platformDomain: string): Promise<HostResolution> {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === platformDomain) return { kind: "platform" };
  const suffix = `.${platformDomain}`;
  const subdomain = host.endsWith(suffix) ? host.slice(0, -suffix.length) : null;
  if (subdomain?.includes(".")) return { kind: "unknown" };
  const condition =
    subdomain !== null ? sql`lower(${stores.subdomain}) = ${subdomain}` : sql`lower(${stores.customDomain}) = ${host}`;
  const [row] = await db
    .select({ store: stores, merchant: merchants })
    .from(stores)
    .innerJoin(merchants, eq(merchants.id, stores.merchantId))
    .where(condition)
    .limit(1);
  return row ? { kind: "store", ...row } : { kind: "unknown" };
}

/** Requested language → store default → platform default → the plain description. */
export function storeDescription(
  store: Pick<Store, "description" | "descriptionTranslations" | "defaultLanguage">,
  locale: Locale,
): string {
  const translations = store.descriptionTranslations;
  return (
    translations[locale] ||
    translations[store.defaultLanguage] ||
    translations[platformDefaultLocale] ||
    store.description
  );
}

/** Where shoppers reach a store: its custom domain, else its platform subdomain. */
export function storeOrigin(platformOrigin: string, store: Pick<Store, "subdomain" | "customDomain">): string {
  const url = new URL(platformOrigin);
  if (store.customDomain) return `https://${store.customDomain}`;
  url.hostname = `${store.subdomain}.${url.hostname}`;
  return url.origin;
}

/** The public directory on the platform's home page: stores whose join page is live. */
export function storesWithLoyalty(db: Executor) {
  return db
    .select({ name: stores.name, subdomain: stores.subdomain, customDomain: stores.customDomain })
    .from(stores)
    .where(eq(stores.loyaltyEnabled, true))
    .orderBy(asc(stores.name));
}
