import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "~/db/client.server";
import { loyaltyUnavailable } from "~/errors";
import type { Locale } from "~/i18n/locales";
import { queueEmail } from "~/modules/outbox/queue.server";
import type { Store } from "~/modules/tenancy/stores.server";
import { generateCardNumber, generatePublicToken } from "./card-number";
import { appendLedgerEntry } from "./ledger.server";
import type { Program } from "./programs.server";
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
  const opened = await openEnrollment(tx, store, input);
  if (!opened) throw loyaltyUnavailable();
  const { program } = opened;
  // A shopper whose customer or card another transaction committed meanwhile is found by the slower path.
  const customerId = opened.customerId ?? (await upsertCustomer(tx, store.merchantId, input));
  const created = opened.card ?? (opened.hasCard ? null : await createCard(tx, program, store, customerId));
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

  const bonus =
    program.kind === "points" ? { pointsDelta: program.welcomeBonus } : { stampsDelta: program.welcomeBonus };
  // The bonus and the email need only the card: sent together, one round trip for both (ADR 037).
  const [bonusEntry] = await Promise.all([
    program.welcomeBonus > 0
      ? appendLedgerEntry(tx, {
          cardId: created.id,
          storeId: store.id,
          type: "welcome_bonus",
          ...bonus,
          idempotencyKey: `welcome_bonus:${created.id}`,
        })
      : null,
    // One email, the card with its bonus when there is one: two in the same second said the same thing (ADR 030).
    queueEmail(tx, {
      kind: program.welcomeBonus > 0 ? "loyalty_enrollment_with_bonus" : "loyalty_enrollment",
      locale: input.locale,
      recipient: input.email,
      merchantId: store.merchantId,
      storeId: store.id,
      customerId,
      cardId: created.id,
    }),
  ]);
  const balance = bonusEntry?.balance ?? { pointsBalance: 0, stampsBalance: 0 };
  return {
    status: "enrolled",
    cardId: created.id,
    publicToken: created.publicToken,
    cardNumber: created.cardNumber,
    ...balance,
  };
}

/**
 * The enrollment's first statement (ADR 037): the merchant's active program, the customer inserted
 * or found by email, and the new card. Null without an active program (then nothing is written).
 * `customerId` is null when another transaction committed the email after this statement began, and
 * `card` null when the customer has a card (`hasCard`) or a drawn number was taken: the caller then
 * takes the statement-per-step path.
 */
async function openEnrollment(tx: Transaction, store: Store, input: EnrollmentInput) {
  const [row] = await tx.execute<{
    program_id: string;
    program_kind: Program["kind"];
    program_welcome_bonus: number;
    customer_id: string | null;
    card_id: string | null;
    card_public_token: string | null;
    card_number: string | null;
    has_card: boolean;
  }>(sql`
    with program as (
      select id, kind, welcome_bonus from loyalty_programs where merchant_id = ${store.merchantId}::uuid and active
      limit 1
    ), inserted_customer as (
      insert into customers (merchant_id, email, first_name, last_name, phone, birth_date, preferred_language,
        terms_accepted_at, marketing_consent_at)
      select ${store.merchantId}::uuid, ${input.email}::text, ${input.firstName}::text, ${input.lastName}::text,
        ${input.phone}::text, ${input.birthDate}::date, ${input.locale}::text, now(),
        case when ${input.marketingConsent}::boolean then now() end
      from program
      on conflict do nothing
      returning id
    ), customer as (
      select id from inserted_customer
      union all
      select id from customers where merchant_id = ${store.merchantId}::uuid and lower(email) = lower(${input.email}::text)
    ), card as (
      insert into loyalty_cards (program_id, customer_id, merchant_id, enrolled_store_id, card_number, public_token)
      select program.id, customer.id, ${store.merchantId}::uuid, ${store.id}::uuid, ${generateCardNumber()}::text,
        ${generatePublicToken()}::text
      from program cross join customer
      on conflict do nothing
      returning id, public_token, card_number
    )
    select program.id as program_id, program.kind as program_kind, program.welcome_bonus as program_welcome_bonus,
      customer.id as customer_id, card.id as card_id, card.public_token as card_public_token, card.card_number,
      exists (select from loyalty_cards held where held.program_id = program.id and held.customer_id = customer.id)
        as has_card
    from program left join customer on true left join card on true`);
  if (!row) return null;
  const program = { id: row.program_id, kind: row.program_kind, welcomeBonus: row.program_welcome_bonus };
  const card =
    row.card_id && row.card_public_token && row.card_number
      ? { id: row.card_id, publicToken: row.card_public_token, cardNumber: row.card_number }
      : null;
  return { program, customerId: row.customer_id, card, hasCard: row.has_card };
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
async function createCard(tx: Transaction, program: Pick<Program, "id">, store: Store, customerId: string) {
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
