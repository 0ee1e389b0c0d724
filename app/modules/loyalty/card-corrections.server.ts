import { and, eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import { accessDenied, DomainError, notFound } from "~/errors";
import { cardsInScope } from "~/modules/scope/conditions.server";
import { type Actor, scopeOf } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { adjustBalance, type LedgerResult, voidTransaction } from "./ledger-operations.server";
import { loyaltyCards, loyaltyTransactions } from "./schema";

/** Roles that may correct a card in the portal: never store staff, who work at the counter. */
export const correctingRoles = ["platform_admin", "merchant_owner", "store_manager"] as const;

export function mayCorrectCards(actor: Pick<Actor, "role">): boolean {
  return (correctingRoles as readonly string[]).includes(actor.role);
}

/** Where a correction is recorded: a store manager's own store, else the given store of the card's merchant. */
async function correctionStore(db: Database, actor: Actor, fallbackStoreId: string): Promise<Store> {
  const scope = scopeOf(actor);
  const storeId = scope.kind === "store" ? scope.storeId : fallbackStoreId;
  const [store] = await db.select().from(stores).where(eq(stores.id, storeId));
  if (!store) throw notFound();
  return store;
}

/** The card, when it exists and lies in the actor's scope (else the 404 of a card that is not there). */
export async function cardInScope(db: Database, actor: Actor, cardId: string) {
  if (!mayCorrectCards(actor)) throw accessDenied();
  const [card] = await db
    .select({ id: loyaltyCards.id, enrolledStoreId: loyaltyCards.enrolledStoreId })
    .from(loyaltyCards)
    .where(and(eq(loyaltyCards.id, cardId), cardsInScope(scopeOf(actor))));
  if (!card) throw notFound();
  return card;
}

interface CorrectionRequest {
  cardId: string;
  reason: string;
  /** Minted when the page was shown and sent back with the form: a resent form records once. */
  idempotencyKey: string;
}

/**
 * A manager's adjustment of a card's balance from the portal, scope first (out of scope: 404),
 * recorded at the manager's store or, for owners and admins, at the card's enrollment store.
 */
export async function adjustCardBalance(
  db: Database,
  actor: Actor,
  input: CorrectionRequest & { delta: number },
): Promise<LedgerResult> {
  const card = await cardInScope(db, actor, input.cardId);
  const store = await correctionStore(db, actor, card.enrolledStoreId);
  return adjustBalance(
    db,
    { actor: { userId: actor.userId }, store, idempotencyKey: input.idempotencyKey, clientTime: new Date() },
    { cardId: card.id, delta: input.delta, reason: input.reason },
  );
}

/**
 * Voids one row of a card's history from the portal. The reversal is recorded at the store of
 * the row it reverses, so each store's figures stay its own; a store manager voids only rows of
 * their store.
 */
export async function voidCardTransaction(
  db: Database,
  actor: Actor,
  input: CorrectionRequest & { transactionId: number },
): Promise<LedgerResult> {
  const card = await cardInScope(db, actor, input.cardId);
  const [row] = Number.isSafeInteger(input.transactionId)
    ? await db
        .select({ storeId: loyaltyTransactions.storeId })
        .from(loyaltyTransactions)
        .where(and(eq(loyaltyTransactions.id, input.transactionId), eq(loyaltyTransactions.cardId, card.id)))
    : [];
  if (!row) throw new DomainError("transaction_not_found");
  const scope = scopeOf(actor);
  if (scope.kind === "store" && row.storeId !== scope.storeId) throw accessDenied();
  const store = await correctionStore(db, actor, row.storeId);
  return voidTransaction(
    db,
    { actor: { userId: actor.userId }, store, idempotencyKey: input.idempotencyKey, clientTime: new Date() },
    { transactionId: input.transactionId, reason: input.reason },
  );
}
