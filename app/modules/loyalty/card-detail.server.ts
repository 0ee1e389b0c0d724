import { and, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "~/db/client.server";
import { containsPattern } from "~/db/like";
import { cardsInScope } from "~/modules/scope/conditions.server";
import type { Scope } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import { cardHistory } from "./ledger.server";
import { activeRewards } from "./programs.server";
import { customers, loyaltyCards, loyaltyPrograms } from "./schema";

export const cardPageSize = 25;

/** Cards matching a name, email, phone or card number, newest first, one page at a time. */
export async function searchCards(db: Executor, scope: Scope, query: string, page: number) {
  const term = query.trim();
  const digits = term.replace(/[\s-]/g, "");
  const matches = term
    ? or(
        ilike(sql`${customers.firstName} || ' ' || ${customers.lastName}`, containsPattern(term)),
        ilike(customers.email, containsPattern(term)),
        /^\+?\d{3,}$/.test(digits) ? ilike(customers.phone, containsPattern(digits.replace(/^0+/, ""))) : undefined,
        /^\d{4,16}$/.test(digits) ? ilike(loyaltyCards.cardNumber, `${digits}%`) : undefined,
      )
    : undefined;
  const where = and(cardsInScope(scope), matches);
  const base = db
    .select({
      id: loyaltyCards.id,
      cardNumber: loyaltyCards.cardNumber,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      storeName: stores.name,
      storeTimezone: stores.timezone,
      pointsBalance: loyaltyCards.pointsBalance,
      stampsBalance: loyaltyCards.stampsBalance,
      kind: loyaltyPrograms.kind,
      createdAt: loyaltyCards.createdAt,
    })
    .from(loyaltyCards)
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(stores, eq(stores.id, loyaltyCards.enrolledStoreId))
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .where(where);
  const [rows, [total]] = await Promise.all([
    base
      .orderBy(desc(loyaltyCards.createdAt), desc(loyaltyCards.id))
      .limit(cardPageSize)
      .offset((page - 1) * cardPageSize),
    db
      .select({ value: count() })
      .from(loyaltyCards)
      .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
      .where(where),
  ]);
  return { rows, total: total?.value ?? 0, pages: Math.max(1, Math.ceil((total?.value ?? 0) / cardPageSize)) };
}

const enrolledStore = alias(stores, "enrolled_store");

/**
 * Everything staff may know about one card, in the actor's scope (null when out of scope or
 * absent). The one serializer behind the admin and merchant card pages.
 */
export async function getCardDetail(db: Executor, scope: Scope, cardId: string) {
  const [row] = await db
    .select({ card: loyaltyCards, customer: customers, program: loyaltyPrograms, enrolledStore })
    .from(loyaltyCards)
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(enrolledStore, eq(enrolledStore.id, loyaltyCards.enrolledStoreId))
    .where(and(eq(loyaltyCards.id, cardId), cardsInScope(scope)))
    .limit(1);
  if (!row) return null;
  const [rewards, history] = await Promise.all([activeRewards(db, row.program.id), cardHistory(db, cardId, 500)]);
  const { customer, card, program } = row;
  return {
    card: {
      id: card.id,
      cardNumber: card.cardNumber,
      status: card.status,
      pointsBalance: card.pointsBalance,
      stampsBalance: card.stampsBalance,
      createdAt: card.createdAt,
    },
    /** The card's Google Wallet pass: none until a save link was issued, then its last sync. */
    wallet: card.googleWalletObjectId
      ? { saved: true as const, syncStatus: card.googleWalletSyncStatus, syncedAt: card.googleWalletSyncedAt }
      : { saved: false as const },
    customer: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
      birthDate: customer.birthDate,
      preferredLanguage: customer.preferredLanguage,
      termsAcceptedAt: customer.termsAcceptedAt,
      marketingConsentAt: customer.marketingConsentAt,
    },
    program: { id: program.id, kind: program.kind, name: program.name, nameTranslations: program.nameTranslations },
    enrolledStore: { id: row.enrolledStore.id, name: row.enrolledStore.name, timezone: row.enrolledStore.timezone },
    rewards,
    history,
  };
}

export type CardDetail = NonNullable<Awaited<ReturnType<typeof getCardDetail>>>;

/**
 * Every card in scope with what the CSV export shows, oldest first, in batches read by keyset
 * (created_at, id): memory stays one batch whatever the merchant's size.
 */
export async function* cardsForExport(db: Executor, scope: Scope, batchSize = 1000) {
  let after: string | null = null;
  while (true) {
    const batch = await db
      .select({
        id: loyaltyCards.id,
        cardNumber: loyaltyCards.cardNumber,
        firstName: customers.firstName,
        lastName: customers.lastName,
        email: customers.email,
        phone: customers.phone,
        birthDate: customers.birthDate,
        language: customers.preferredLanguage,
        marketingConsentAt: customers.marketingConsentAt,
        storeName: stores.name,
        storeTimezone: stores.timezone,
        kind: loyaltyPrograms.kind,
        pointsBalance: loyaltyCards.pointsBalance,
        stampsBalance: loyaltyCards.stampsBalance,
        status: loyaltyCards.status,
        createdAt: loyaltyCards.createdAt,
      })
      .from(loyaltyCards)
      .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
      .innerJoin(stores, eq(stores.id, loyaltyCards.enrolledStoreId))
      .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
      .where(
        and(
          cardsInScope(scope),
          // The key is read back from the row itself: a JS Date would drop the microseconds.
          after
            ? sql`(${loyaltyCards.createdAt}, ${loyaltyCards.id}) >
                (select c.created_at, c.id from loyalty_cards c where c.id = ${after})`
            : undefined,
        ),
      )
      .orderBy(loyaltyCards.createdAt, loyaltyCards.id)
      .limit(batchSize);
    if (batch.length > 0) yield batch;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return;
    after = last.id;
  }
}

/** One row of the export. */
export type ExportedCard = typeof cardsForExport extends (...args: never[]) => AsyncGenerator<(infer Row)[]>
  ? Row
  : never;

/** How many cards the scope holds (the export's audit entry). */
export async function countCards(db: Executor, scope: Scope): Promise<number> {
  const [row] = await db.select({ value: count() }).from(loyaltyCards).where(cardsInScope(scope));
  return row?.value ?? 0;
}
