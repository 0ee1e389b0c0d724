import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq, TransactionRollbackError } from "drizzle-orm";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "~/db/client.server";
import { serverI18n } from "~/i18n/resources.server";
import { listUsers, storeOptions, userById } from "~/modules/auth/accounts.server";
import { createUser } from "~/modules/auth/users.server";
import { loyaltyAnalytics } from "~/modules/loyalty/analytics.server";
import { cardsForExport, countCards, getCardDetail, searchCards } from "~/modules/loyalty/card-detail.server";
import { cardsCsv } from "~/modules/loyalty/card-export.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { appendLedgerEntry } from "~/modules/loyalty/ledger.server";
import { listPrograms, merchantOptions, programForEdit } from "~/modules/loyalty/program-admin.server";
import { customers, loyaltyCards, loyaltyPrograms } from "~/modules/loyalty/schema";
import { emailLogById, listEmailLogs } from "~/modules/messaging/email-logs.server";
import { platformDashboard } from "~/modules/ops/dashboard.server";
import { emailLogs } from "~/modules/outbox/schema";
import { customerOfCard, eraseCustomer, exportCustomerData } from "~/modules/privacy/customer-data.server";
import { merchantStoresAndStaff } from "~/modules/tenancy/merchant-view.server";
import { merchants, stores } from "~/modules/tenancy/schema";
import { listStores } from "~/modules/tenancy/store-admin.server";
import { listMerchants, merchantById, storeById } from "~/modules/tenancy/tenant-admin.server";
import { listCounterStaff } from "~/modules/terminal/counter-staff.server";
import { listDevices } from "~/modules/terminal/devices.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { walletSyncHealth } from "~/modules/wallet/admin.server";
import { createTestDatabase } from "~/test/database";
import { customersInScope } from "./conditions.server";
import type { Scope } from "./scope";

/**
 * Every service that reads tenant data for a Scope, walked with another merchant's and another
 * store's scope: nothing of the other tenant may come back. A new service joins by being
 * registered here; the guard at the end fails while one is missing.
 */

const { db } = await createTestDatabase();

/** What identifies a tenant's rows in a service's answer: ids, names, emails, card numbers. */
interface Markers {
  merchant: string[];
  stores: Record<string, string[]>;
}

interface Tenant {
  merchantId: string;
  storeIds: [string, string];
  markers: Markers;
}

const ids = { cards: [] as string[], merchants: [] as string[], stores: [] as string[], programs: [] as string[] };
const staffIds: string[] = [];

/** Every seeded card makes one purchase, at the store where it was enrolled. */
const purchaseCents = 1_200;

async function seedTenant(tag: string): Promise<Tenant> {
  const [merchant] = await db
    .insert(merchants)
    .values({ name: `Merchant ${tag}`, slug: `merchant-${tag}` })
    .returning();
  if (!merchant) throw new Error("merchant insert returned no row");
  const [program] = await db
    .insert(loyaltyPrograms)
    .values({
      merchantId: merchant.id,
      name: `Program ${tag}`,
      nameTranslations: { en: `Program ${tag}` },
      kind: "points",
    })
    .returning();
  if (!program) throw new Error("program insert returned no row");
  const owner = await createUser(db, {
    email: `owner-${tag}@example.com`,
    name: `Owner ${tag}`,
    password: null,
    role: "merchant_owner",
    merchantId: merchant.id,
  });
  ids.merchants.push(merchant.id);
  ids.programs.push(program.id);
  staffIds.push(owner.id);
  const markers: Markers = {
    merchant: [merchant.id, merchant.name, program.id, program.name, owner.id, owner.email],
    stores: {},
  };
  const storeIds: string[] = [];
  for (const n of [1, 2]) {
    const storeTag = `${tag}${n}`;
    const [store] = await db
      .insert(stores)
      .values({
        merchantId: merchant.id,
        code: `STORE-${storeTag}`,
        subdomain: `store-${storeTag}`,
        name: `Store ${storeTag}`,
        loyaltyEnabled: true,
      })
      .returning();
    if (!store) throw new Error("store insert returned no row");
    const manager = await createUser(db, {
      email: `manager-${storeTag}@example.com`,
      name: `Manager ${storeTag}`,
      password: null,
      role: "store_manager",
      merchantId: merchant.id,
      storeId: store.id,
    });
    const own = [store.id, store.name, store.code, manager.id, manager.email];
    const [member] = await db
      .insert(counterStaff)
      .values({ merchantId: merchant.id, storeId: store.id, displayName: `Counter ${storeTag}` })
      .returning();
    const [device] = await db
      .insert(terminalDevices)
      .values({ merchantId: merchant.id, storeId: store.id, name: `Till ${storeTag}`, pairedAt: new Date() })
      .returning();
    if (!member || !device) throw new Error("counter fixture insert returned no row");
    own.push(member.id, member.displayName, device.id, device.name);
    for (const shopper of ["one", "two"]) {
      const email = `${shopper}-${storeTag}@example.com`;
      const { cardId } = await enrollCustomer(db, store, {
        firstName: `Shopper${shopper}`,
        lastName: storeTag,
        email,
        phone: null,
        birthDate: null,
        marketingConsent: false,
        locale: "en",
      });
      await db.transaction((tx) =>
        appendLedgerEntry(tx, { cardId, storeId: store.id, type: "earn", pointsDelta: 12, amountCents: purchaseCents }),
      );
      // Every card has a Wallet pass whose last update failed, so the Wallet health list names it.
      await db
        .update(loyaltyCards)
        .set({ googleWalletObjectId: `issuer.card-${cardId}`, googleWalletSyncStatus: "failed" })
        .where(eq(loyaltyCards.id, cardId));
      ids.cards.push(cardId);
      own.push(cardId, email);
    }
    ids.stores.push(store.id);
    staffIds.push(manager.id);
    storeIds.push(store.id);
    markers.stores[store.id] = own;
  }
  return { merchantId: merchant.id, storeIds: storeIds as [string, string], markers };
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

const present = <T>(rows: (T | null)[]) => rows.filter((row): row is T => row !== null);

/** Long enough to hold every row seeded today. */
const everything = { from: "2020-01-01", to: "2030-12-31" };

interface ScopedService {
  /** The exported function's name: the guard below matches it against the source. */
  service: string;
  /** Calls the service as broadly as it can be called and returns what it shows. */
  read: (db: Database, scope: Scope) => Promise<unknown>;
}

const scopedServices: ScopedService[] = [
  { service: "searchCards", read: (db, scope) => searchCards(db, scope, "", 1) },
  {
    service: "getCardDetail",
    read: async (db, scope) => present(await Promise.all(ids.cards.map((id) => getCardDetail(db, scope, id)))),
  },
  { service: "cardsForExport", read: (db, scope) => collect(cardsForExport(db, scope, 3)) },
  {
    service: "cardsCsv",
    // The file a merchant downloads, read to its last line.
    read: (db, scope) => new Response(cardsCsv(db, scope, { locale: "en", t: serverI18n("en").t })).text(),
  },
  {
    service: "countCards",
    // A count names no one: it must count exactly the cards the export (checked itself) lists.
    read: async (db, scope) => {
      const cards = await collect(cardsForExport(db, scope));
      expect(await countCards(db, scope)).toBe(cards.length);
      return cards;
    },
  },
  {
    service: "loyaltyAnalytics",
    read: async (db, scope) => {
      const analytics = await loyaltyAnalytics(db, scope, everything);
      const cards = await collect(cardsForExport(db, scope));
      expect(analytics.summary.cards).toBe(cards.length);
      expect(analytics.movements.reduce((sum, row) => sum + row.revenue_cents, 0)).toBe(cards.length * purchaseCents);
      return analytics;
    },
  },
  {
    service: "platformDashboard",
    // Counts name no one: each must equal what the scoped lists (checked themselves, answered here) show.
    read: async (db, scope) => {
      const stats = await platformDashboard(db, scope);
      const stores = await listStores(db, scope, 1);
      const merchants = await listMerchants(db, scope, 1);
      expect([stores.pages, merchants.pages]).toEqual([1, 1]);
      expect(stats.cards).toBe(await countCards(db, scope));
      expect(stats.stores).toBe(stores.rows.length);
      expect(stats.merchants).toBe(merchants.rows.length);
      return { stores: stores.rows, merchants: merchants.rows };
    },
  },
  { service: "listPrograms", read: (db, scope) => listPrograms(db, scope, 1) },
  {
    service: "programForEdit",
    read: async (db, scope) => present(await Promise.all(ids.programs.map((id) => programForEdit(db, scope, id)))),
  },
  { service: "merchantOptions", read: (db, scope) => merchantOptions(db, scope) },
  { service: "listStores", read: (db, scope) => listStores(db, scope, 1) },
  { service: "listMerchants", read: (db, scope) => listMerchants(db, scope, 1) },
  {
    service: "merchantById",
    read: async (db, scope) => present(await Promise.all(ids.merchants.map((id) => merchantById(db, scope, id)))),
  },
  {
    service: "storeById",
    read: async (db, scope) => present(await Promise.all(ids.stores.map((id) => storeById(db, scope, id)))),
  },
  { service: "merchantStoresAndStaff", read: (db, scope) => merchantStoresAndStaff(db, scope) },
  { service: "listUsers", read: (db, scope) => listUsers(db, scope, 1) },
  {
    service: "userById",
    read: async (db, scope) => present(await Promise.all(staffIds.map((id) => userById(db, scope, id)))),
  },
  { service: "storeOptions", read: (db, scope) => storeOptions(db, scope) },
  { service: "listEmailLogs", read: (db, scope) => listEmailLogs(db, scope, {}, 1) },
  {
    service: "emailLogById",
    read: async (db, scope) => {
      const all = await db.select({ id: emailLogs.id }).from(emailLogs);
      return present(await Promise.all(all.map(({ id }) => emailLogById(db, scope, id))));
    },
  },
  { service: "walletSyncHealth", read: async (db, scope) => (await walletSyncHealth(db, scope)).failures },
  { service: "listDevices", read: (db, scope) => listDevices(db, scope) },
  { service: "listCounterStaff", read: (db, scope) => listCounterStaff(db, scope) },
  {
    service: "customerOfCard",
    // Answers the cards whose customer it reveals.
    read: async (db, scope) =>
      present(await Promise.all(ids.cards.map(async (id) => ((await customerOfCard(db, scope, id)) ? id : null)))),
  },
  {
    service: "exportCustomerData",
    read: async (db, scope) => {
      const all = await db.select({ id: customers.id }).from(customers);
      return present(await Promise.all(all.map(({ id }) => exportCustomerData(db, scope, id))));
    },
  },
  {
    service: "eraseCustomer",
    // Erases every customer the scope lets it, in a transaction rolled back: the answer is whom it reached.
    read: async (db, scope) => {
      const reached: string[] = [];
      const actor = { userId: staffIds[0] ?? "", email: "", name: "", role: "platform_admin" as const };
      await db
        .transaction(async (tx) => {
          for (const customer of await tx.select().from(customers)) {
            const erased = await eraseCustomer(
              tx,
              { ...actor, merchantId: null, storeId: null, preferredLanguage: "en" },
              scope,
              customer.id,
            );
            if (erased) reached.push(customer.email);
          }
          tx.rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof TransactionRollbackError)) throw error;
        });
      return reached;
    },
  },
];

/** Rules no service reads alone yet, walked the same way. */
const rulesWithoutService: ScopedService[] = [
  {
    service: "customersInScope",
    read: (db, scope) => db.select().from(customers).where(customersInScope(scope)),
  },
];

let alpha: Tenant;
let beta: Tenant;

beforeAll(async () => {
  alpha = await seedTenant("alpha");
  beta = await seedTenant("beta");
});

const merchantScope = (tenant: Tenant): Scope => ({ kind: "merchant", merchantId: tenant.merchantId });
const storeScope = (tenant: Tenant, index: 0 | 1): Scope => ({
  kind: "store",
  merchantId: tenant.merchantId,
  storeId: tenant.storeIds[index],
});
const allMarkers = (tenant: Tenant) => [tenant.markers.merchant, ...Object.values(tenant.markers.stores)].flat();
const storeMarkers = (tenant: Tenant, index: 0 | 1) => tenant.markers.stores[tenant.storeIds[index]] ?? [];
const found = (answer: unknown, markers: string[]) => {
  const text = JSON.stringify(answer);
  return markers.filter((marker) => text.includes(marker));
};

describe.each([...scopedServices, ...rulesWithoutService])("$service", ({ read }) => {
  it("shows its own tenant something", async () => {
    expect(found(await read(db, merchantScope(alpha)), allMarkers(alpha))).not.toEqual([]);
    expect(found(await read(db, storeScope(alpha, 0)), allMarkers(alpha))).not.toEqual([]);
  });

  it("shows nothing of a merchant to another merchant's scope or to another merchant's store", async () => {
    for (const [viewer, other] of [
      [beta, alpha],
      [alpha, beta],
    ] as const) {
      expect(found(await read(db, merchantScope(viewer)), allMarkers(other))).toEqual([]);
      expect(found(await read(db, storeScope(viewer, 0)), allMarkers(other))).toEqual([]);
    }
  });

  it("shows a store nothing of its sister store (no shopper here buys at both)", async () => {
    expect(found(await read(db, storeScope(alpha, 0)), storeMarkers(alpha, 1))).toEqual([]);
    expect(found(await read(db, storeScope(alpha, 1)), storeMarkers(alpha, 0))).toEqual([]);
  });
});

describe("the registry of scoped services", () => {
  const modulesDir = path.resolve(import.meta.dirname, "..");

  /** Exported functions of app/modules/**\/*.server.ts with a parameter typed with Scope. */
  function servicesTakingScope(): string[] {
    const names: string[] = [];
    const files = readdirSync(modulesDir, { recursive: true, encoding: "utf8" }).filter(
      // The scope module is the rule itself, not a service reading tenant rows.
      (file) => file.endsWith(".server.ts") && !file.startsWith(`scope${path.sep}`),
    );
    for (const file of files) {
      const source = ts.createSourceFile(
        file,
        readFileSync(path.join(modulesDir, file), "utf8"),
        ts.ScriptTarget.Latest,
      );
      const takesScope = (parameters: readonly ts.ParameterDeclaration[]) =>
        parameters.some((parameter) => parameter.type && /\bScope\b/.test(parameter.type.getText(source)));
      const exported = (node: ts.Node) =>
        ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const statement of source.statements) {
        if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) {
          if (takesScope(statement.parameters)) names.push(statement.name.text);
        }
        if (ts.isVariableStatement(statement) && exported(statement)) {
          for (const declaration of statement.declarationList.declarations) {
            const init = declaration.initializer;
            if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && takesScope(init.parameters)) {
              names.push(declaration.name.getText(source));
            }
          }
        }
      }
    }
    return names.sort();
  }

  it("holds every exported service that takes a Scope, and nothing else", () => {
    const inSource = servicesTakingScope();
    expect(inSource.length).toBeGreaterThan(0);
    expect(scopedServices.map((entry) => entry.service).sort()).toEqual(inSource);
  });
});
