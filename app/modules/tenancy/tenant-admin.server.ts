import { and, asc, count, eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors";
import { pageCount, pageSize } from "~/db/pagination";
import { FieldError, notFound } from "~/errors";
import type { Locale, PartialTranslations } from "~/i18n/locales";
import { recordAudit } from "~/modules/audit/audit.server";
import { activeProgram } from "~/modules/loyalty/programs.server";
import { merchantsInScope, storesInScope } from "~/modules/scope/conditions.server";
import { type Actor, type Scope, scopeOf } from "~/modules/scope/scope";
import { queueMerchantClassSyncs } from "~/modules/wallet/jobs.server";
import { merchants, stores } from "./schema";

const uniqueFields: [constraint: string, field: string, key: string][] = [
  ["merchants_slug_unique", "slug", "tenancy.errors.slugTaken"],
  ["stores_code_unique", "code", "tenancy.errors.codeTaken"],
  ["stores_subdomain_key", "subdomain", "tenancy.errors.subdomainTaken"],
  ["stores_custom_domain_key", "customDomain", "tenancy.errors.domainTaken"],
];

/** Runs a write; a unique violation becomes a field error instead of a 500. */
async function withUniqueFields<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    for (const [constraint, field, key] of uniqueFields) {
      if (isUniqueViolation(error, constraint)) throw new FieldError(field, key);
    }
    throw error;
  }
}

export interface MerchantFields {
  name: string;
  slug: string;
  defaultLanguage: Locale;
  /** The merchant's privacy notice; null: the platform's default notice. */
  privacyUrl: string | null;
}

/** The merchants a scope may see with their store counts, one page at a time. */
export async function listMerchants(db: Database, scope: Scope, page: number) {
  const storeCounts = db
    .select({ merchantId: stores.merchantId, value: count().as("store_count") })
    .from(stores)
    .groupBy(stores.merchantId)
    .as("store_counts");
  const [rows, [total]] = await Promise.all([
    db
      .select({ merchant: merchants, storeCount: storeCounts.value })
      .from(merchants)
      .leftJoin(storeCounts, eq(storeCounts.merchantId, merchants.id))
      .where(merchantsInScope(scope))
      .orderBy(asc(merchants.name))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(merchants).where(merchantsInScope(scope)),
  ]);
  return { rows, pages: pageCount(total?.value ?? 0) };
}

export async function merchantById(db: Database, scope: Scope, id: string) {
  const [merchant] = await db
    .select()
    .from(merchants)
    .where(and(eq(merchants.id, id), merchantsInScope(scope)));
  return merchant ?? null;
}

export function createMerchant(db: Database, actor: Actor, fields: MerchantFields) {
  return withUniqueFields(() =>
    db.transaction(async (tx) => {
      const [merchant] = await tx.insert(merchants).values(fields).returning();
      if (!merchant) throw new Error("merchant insert returned no row");
      await recordAudit(tx, actor, {
        action: "merchant.create",
        entityType: "merchant",
        entityId: merchant.id,
        merchantId: merchant.id,
      });
      return merchant;
    }),
  );
}

export function updateMerchant(db: Database, actor: Actor, id: string, fields: MerchantFields) {
  return withUniqueFields(() =>
    db.transaction(async (tx) => {
      const [merchant] = await tx.update(merchants).set(fields).where(eq(merchants.id, id)).returning();
      if (!merchant) throw notFound();
      await recordAudit(tx, actor, { action: "merchant.update", entityType: "merchant", entityId: id, merchantId: id });
      return merchant;
    }),
  );
}

export interface StoreFields {
  code: string;
  name: string;
  subdomain: string;
  customDomain?: string;
  defaultLanguage: Locale;
  enabledLanguages: Locale[];
  websiteUrl?: string;
  contactEmail?: string;
  timezone: string;
  description: PartialTranslations;
  loyaltyEnabled: boolean;
  /** Postal address, one line per line of a letter; the Google Wallet pass lists it. */
  address?: string;
  /** Sells online only, with no counter (ADR 033). */
  onlineOnly?: boolean;
}

export async function storeById(db: Database, scope: Scope, id: string) {
  const [store] = await db
    .select()
    .from(stores)
    .where(and(eq(stores.id, id), storesInScope(scope)));
  return store ?? null;
}

function storeColumns(fields: StoreFields) {
  const description = Object.fromEntries(Object.entries(fields.description).filter(([, text]) => Boolean(text)));
  return {
    code: fields.code,
    name: fields.name,
    subdomain: fields.subdomain,
    customDomain: fields.customDomain ?? null,
    defaultLanguage: fields.defaultLanguage,
    enabledLanguages: fields.enabledLanguages,
    websiteUrl: fields.websiteUrl ?? null,
    contactEmail: fields.contactEmail ?? null,
    timezone: fields.timezone,
    descriptionTranslations: description,
    description: description[fields.defaultLanguage] ?? description.en ?? Object.values(description)[0] ?? "",
    loyaltyEnabled: fields.loyaltyEnabled,
    address: fields.address ?? null,
    onlineOnly: fields.onlineOnly ?? false,
  };
}

/** Checks what the schema cannot: the domain is not the platform's, and loyalty needs a program. */
async function checkStore(db: Database, merchantId: string, fields: StoreFields, platformDomain: string) {
  if (
    fields.customDomain &&
    (fields.customDomain === platformDomain || fields.customDomain.endsWith(`.${platformDomain}`))
  ) {
    throw new FieldError("customDomain", "tenancy.errors.domainIsPlatform");
  }
  if (fields.loyaltyEnabled && !(await activeProgram(db, merchantId))) {
    throw new FieldError("loyaltyEnabled", "tenancy.errors.loyaltyNeedsProgram");
  }
}

export async function createStore(
  db: Database,
  actor: Actor,
  merchantId: string,
  fields: StoreFields,
  platformDomain: string,
) {
  if (!(await merchantById(db, scopeOf(actor), merchantId)))
    throw new FieldError("merchantId", "tenancy.errors.merchantRequired");
  await checkStore(db, merchantId, fields, platformDomain);
  return withUniqueFields(() =>
    db.transaction(async (tx) => {
      const [store] = await tx
        .insert(stores)
        .values({ merchantId, ...storeColumns(fields) })
        .returning();
      if (!store) throw new Error("store insert returned no row");
      await recordAudit(tx, actor, { action: "store.create", entityType: "store", entityId: store.id, merchantId });
      await queueMerchantClassSyncs(tx, merchantId);
      return store;
    }),
  );
}

export async function updateStore(db: Database, actor: Actor, id: string, fields: StoreFields, platformDomain: string) {
  const existing = await storeById(db, scopeOf(actor), id);
  if (!existing) throw notFound();
  await checkStore(db, existing.merchantId, fields, platformDomain);
  return withUniqueFields(() =>
    db.transaction(async (tx) => {
      await tx.update(stores).set(storeColumns(fields)).where(eq(stores.id, id));
      await queueMerchantClassSyncs(tx, existing.merchantId);
      await recordAudit(tx, actor, {
        action: "store.update",
        entityType: "store",
        entityId: id,
        merchantId: existing.merchantId,
      });
    }),
  );
}
