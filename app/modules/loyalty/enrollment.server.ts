import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db/client.server";
import { loyaltyUnavailable } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { queueEmail } from "~/modules/outbox/queue.server";
import type { Store } from "~/modules/tenancy/stores.server";
import { generateCardNumber, generatePublicToken } from "./card-number";
import { appendLedgerEntry } from "./ledger.server";
import { activeProgram, type Program } from "./programs.server";
import { customers, loyaltyCards } from "./schema";

export interface EnrollmentInput {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164 */
  phone: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  marketingConsent: boolean;
  locale: Locale;
}

export type EnrollmentResult =
  | {
      status: "enrolled";
      cardId: string;
      publicToken: string;
      cardNumber: string;
      pointsBalance: number;
      stampsBalance: number;
    }
  | { status: "existing"; cardId: string };

/**
 * Enrolls a shopper in the store's merchant program, in one transaction: the customer (one per
 * merchant and email), the card, the welcome bonus and the welcome email with its job. An email
 * that already has a card gets no second card or bonus, only a "your card" email.
 */
export async function enrollCustomer(db: Database, store: Store, input: EnrollmentInput): Promise<EnrollmentResult> {
  if (!store.loyaltyEnabled) throw loyaltyUnavailable();
  return db.transaction((tx) => enrollInTransaction(tx, store, input));
}

/** The enrollment on the caller's transaction: the storefront and the counter share every rule and email. */
export async function enrollInTransaction(
  tx: Transaction,
  store: Store,
  input: EnrollmentInput,
): Promise<EnrollmentResult> {
  const program = await activeProgram(tx, store.merchantId);
  if (!program) throw loyaltyUnavailable();
  const customerId = await upsertCustomer(tx, store.merchantId, input);
  const created = await createCard(tx, program, store, customerId);
  if (!created) {
    const [existing] = await tx
      .select({ id: loyaltyCards.id })
      .from(loyaltyCards)
      .where(and(eq(loyaltyCards.programId, program.id), eq(loyaltyCards.customerId, customerId)));
    if (!existing) throw new Error("card neither created nor found");
    const [customer] = await tx
      .select({ preferredLanguage: customers.preferredLanguage, email: customers.email })
      .from(customers)
      .where(eq(customers.id, customerId));
    await queueEmail(tx, {
      kind: "loyalty_card_link",
      locale: input.locale,
      recipient: customer?.email ?? input.email,
      merchantId: store.merchantId,
      storeId: store.id,
      customerId,
      cardId: existing.id,
    });
    return { status: "existing", cardId: existing.id };
  }

  let balance = { pointsBalance: 0, stampsBalance: 0 };
  if (program.welcomeBonus > 0) {
    const bonus =
      program.kind === "points" ? { pointsDelta: program.welcomeBonus } : { stampsDelta: program.welcomeBonus };
    ({ balance } = await appendLedgerEntry(tx, {
      cardId: created.id,
      storeId: store.id,
      type: "welcome_bonus",
      ...bonus,
      idempotencyKey: `welcome_bonus:${created.id}`,
    }));
  }
  const email = {
    locale: input.locale,
    recipient: input.email,
    merchantId: store.merchantId,
    storeId: store.id,
    customerId,
    cardId: created.id,
  };
  // One email, the card with its bonus when there is one: two in the same second said the same thing (ADR 030).
  await queueEmail(tx, {
    ...email,
    kind: program.welcomeBonus > 0 ? "loyalty_enrollment_with_bonus" : "loyalty_enrollment",
  });
  return {
    status: "enrolled",
    cardId: created.id,
    publicToken: created.publicToken,
    cardNumber: created.cardNumber,
    ...balance,
  };
}

/** Inserts the customer, or finds the one that already has this email at this merchant. */
async function upsertCustomer(tx: Transaction, merchantId: string, input: EnrollmentInput): Promise<string> {
  const [inserted] = await tx
    .insert(customers)
    .values({
      merchantId,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone,
      birthDate: input.birthDate,
      preferredLanguage: input.locale,
      termsAcceptedAt: sql`now()`,
      marketingConsentAt: input.marketingConsent ? sql`now()` : null,
    })
    .onConflictDoNothing()
    .returning({ id: customers.id });
  if (inserted) return inserted.id;
  const [existing] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), sql`lower(${customers.email}) = lower(${input.email})`));
  if (!existing) throw new Error("customer neither inserted nor found");
  return existing.id;
}

/** The new card, or null when the customer already has one in this program. */
async function createCard(tx: Transaction, program: Program, store: Store, customerId: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [card] = await tx
      .insert(loyaltyCards)
      .values({
        programId: program.id,
        customerId,
        merchantId: store.merchantId,
        enrolledStoreId: store.id,
        cardNumber: generateCardNumber(),
        publicToken: generatePublicToken(),
      })
      .onConflictDoNothing()
      .returning({ id: loyaltyCards.id, publicToken: loyaltyCards.publicToken, cardNumber: loyaltyCards.cardNumber });
    if (card) return card;
    const [existing] = await tx
      .select({ id: loyaltyCards.id })
      .from(loyaltyCards)
      .where(and(eq(loyaltyCards.programId, program.id), eq(loyaltyCards.customerId, customerId)));
    if (existing) return null;
    // Otherwise the random card number or token collided: draw again.
  }
  throw new Error("could not draw a unique card number");
}
