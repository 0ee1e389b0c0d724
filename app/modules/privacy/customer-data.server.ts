import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { generatePublicToken } from "~/modules/loyalty/card-number";
import { customers, loyaltyCards, loyaltyPrograms, loyaltyTransactions } from "~/modules/loyalty/schema";
import { emailOutbox } from "~/modules/messaging/schema";
import { emailLogs } from "~/modules/outbox/schema";
import { cardsInScope, customersInScope } from "~/modules/scope/conditions.server";
import type { Actor, Scope } from "~/modules/scope/scope";
import { merchants, stores } from "~/modules/tenancy/schema";
import { queueWalletRetire } from "~/modules/wallet/jobs.server";

/** The reserved domain of an erased customer's placeholder email: never delivered (RFC 2606). */
const erasedDomain = "erased.invalid";

export const isErasedEmail = (email: string) => email.endsWith(`@${erasedDomain}`);

/** The customer holding a card the scope sees, or null. */
export async function customerOfCard(db: Executor, scope: Scope, cardId: string): Promise<string | null> {
  const [row] = await db
    .select({ customerId: loyaltyCards.customerId })
    .from(loyaltyCards)
    .where(and(eq(loyaltyCards.id, cardId), cardsInScope(scope)));
  return row?.customerId ?? null;
}

/**
 * Everything held about a customer (GDPR access and portability): their fields and consents,
 * their cards with each card's ledger, and every email log entry with its rendered content.
 * Null when the customer does not exist or lies outside the scope.
 */
export async function exportCustomerData(db: Executor, scope: Scope, customerId: string) {
  const [row] = await db
    .select({ customer: customers, merchant: { id: merchants.id, name: merchants.name } })
    .from(customers)
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .where(and(eq(customers.id, customerId), customersInScope(scope)));
  if (!row) return null;
  const { customer } = row;
  const cards = await db
    .select({
      id: loyaltyCards.id,
      cardNumber: loyaltyCards.cardNumber,
      program: loyaltyPrograms.name,
      kind: loyaltyPrograms.kind,
      enrolledAt: stores.name,
      status: loyaltyCards.status,
      pointsBalance: loyaltyCards.pointsBalance,
      stampsBalance: loyaltyCards.stampsBalance,
      googleWalletObjectId: loyaltyCards.googleWalletObjectId,
      createdAt: loyaltyCards.createdAt,
    })
    .from(loyaltyCards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyCards.programId))
    .innerJoin(stores, eq(stores.id, loyaltyCards.enrolledStoreId))
    .where(and(eq(loyaltyCards.customerId, customer.id), cardsInScope(scope)))
    .orderBy(asc(loyaltyCards.createdAt));
  const cardIds = cards.map((card) => card.id);
  const ledger = await db
    .select({
      id: loyaltyTransactions.id,
      cardId: loyaltyTransactions.cardId,
      type: loyaltyTransactions.type,
      store: stores.name,
      pointsDelta: loyaltyTransactions.pointsDelta,
      stampsDelta: loyaltyTransactions.stampsDelta,
      pointsBalanceAfter: loyaltyTransactions.pointsBalanceAfter,
      stampsBalanceAfter: loyaltyTransactions.stampsBalanceAfter,
      amountCents: loyaltyTransactions.amountCents,
      reason: loyaltyTransactions.reason,
      createdAt: loyaltyTransactions.createdAt,
    })
    .from(loyaltyTransactions)
    .innerJoin(stores, eq(stores.id, loyaltyTransactions.storeId))
    .where(inArray(loyaltyTransactions.cardId, cardIds))
    .orderBy(asc(loyaltyTransactions.createdAt), asc(loyaltyTransactions.id));
  const emails = await db
    .select({
      id: emailLogs.id,
      kind: emailLogs.templateKey,
      locale: emailLogs.locale,
      recipient: emailLogs.recipient,
      subject: emailLogs.subject,
      status: emailLogs.status,
      createdAt: emailLogs.createdAt,
      sentAt: emailLogs.sentAt,
      text: emailLogs.text,
      html: emailLogs.html,
    })
    .from(emailLogs)
    .where(or(eq(emailLogs.customerId, customer.id), inArray(emailLogs.cardId, cardIds)))
    .orderBy(asc(emailLogs.createdAt));
  return {
    exportedAt: new Date(),
    merchant: row.merchant.name,
    erased: isErasedEmail(customer.email),
    customer: {
      id: customer.id,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
      birthDate: customer.birthDate,
      preferredLanguage: customer.preferredLanguage,
      createdAt: customer.createdAt,
    },
    consents: {
      termsAcceptedAt: customer.termsAcceptedAt,
      marketingConsentAt: customer.marketingConsentAt,
      remindersOptedOutAt: customer.remindersOptedOutAt,
    },
    cards: cards.map((card) => ({ ...card, ledger: ledger.filter((entry) => entry.cardId === card.id) })),
    emails,
  };
}

export type CustomerDataExport = NonNullable<Awaited<ReturnType<typeof exportCustomerData>>>;

/**
 * Erases a customer's personal data (GDPR erasure) and keeps the ledger's amounts for the
 * merchant's accounts (ADR 019). Audited. Null when outside the scope.
 */
export async function eraseCustomer(db: Executor, actor: Actor, scope: Scope, customerId: string) {
  return db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id, merchantId: customers.merchantId })
      .from(customers)
      .where(and(eq(customers.id, customerId), customersInScope(scope)))
      .for("update");
    if (!customer) return null;
    await tx
      .update(customers)
      .set({
        email: `erased-${customer.id}@${erasedDomain}`,
        firstName: "",
        lastName: "",
        phone: null,
        birthDate: null,
        marketingConsentAt: null,
        remindersOptedOutAt: sql`coalesce(${customers.remindersOptedOutAt}, now())`,
      })
      .where(eq(customers.id, customer.id));
    const cards = await tx
      .select({ id: loyaltyCards.id, walletObjectId: loyaltyCards.googleWalletObjectId })
      .from(loyaltyCards)
      .where(eq(loyaltyCards.customerId, customer.id));
    for (const card of cards) {
      // Google keeps the pass: it is retired there (inactive, no name or balance) after the commit.
      if (card.walletObjectId) await queueWalletRetire(tx, card.walletObjectId);
      await tx
        .update(loyaltyCards)
        .set({ status: "closed", googleWalletObjectId: null, publicToken: generatePublicToken() })
        .where(eq(loyaltyCards.id, card.id));
    }
    const cardIds = cards.map((card) => card.id);
    const logs = await tx
      .select({ id: emailLogs.id })
      .from(emailLogs)
      .where(or(eq(emailLogs.customerId, customer.id), inArray(emailLogs.cardId, cardIds)));
    const logIds = logs.map((log) => log.id);
    await tx.delete(emailOutbox).where(inArray(emailOutbox.emailLogId, logIds));
    await tx
      .update(emailLogs)
      .set({
        recipient: "",
        subject: null,
        html: null,
        text: null,
        params: {},
        // An email not yet sent must never go out to the erased address.
        status: sql`case when ${emailLogs.status} in ('queued', 'sending') then 'failed' else ${emailLogs.status} end`,
        lastError: sql`case when ${emailLogs.status} in ('queued', 'sending') then 'recipient erased' else ${emailLogs.lastError} end`,
      })
      .where(inArray(emailLogs.id, logIds));
    await recordAudit(tx, actor, {
      action: "customer.erased",
      entityType: "customer",
      entityId: customer.id,
      merchantId: customer.merchantId,
      details: {
        cards: cardIds.length,
        emails: logIds.length,
        walletObjects: cards.filter((card) => card.walletObjectId).length,
      },
    });
    return { cards: cardIds.length, emails: logIds.length };
  });
}
