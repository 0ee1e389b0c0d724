import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { customers } from "~/modules/loyalty/schema";

function signature(appSecret: string, customerId: string): string {
  return createHmac("sha256", appSecret).update(`unsubscribe-reminders:${customerId}`).digest("base64url").slice(0, 32);
}

/**
 * The link in reminder emails (and their List-Unsubscribe header): signed, so it only works for
 * its customer, and in the email's language.
 */
export function unsubscribeUrl(appSecret: string, origin: string, customerId: string, locale?: string): string {
  const path = `${origin}/loyalty/unsubscribe/${customerId}.${signature(appSecret, customerId)}`;
  return locale ? `${path}?lang=${locale}` : path;
}

export async function isCustomerOfMerchant(db: Executor, merchantId: string, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)));
  return Boolean(row);
}

/** The customer a token was signed for, or null for a forged or mangled token. */
export function customerForUnsubscribe(appSecret: string, token: string): string | null {
  const [customerId, given] = token.split(".");
  if (!customerId || !given || !/^[0-9a-f-]{36}$/.test(customerId)) return null;
  const expected = Buffer.from(signature(appSecret, customerId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? customerId : null;
}

/** Turns reminder emails off for a customer of this merchant; repeating it changes nothing. */
export async function optOutOfReminders(db: Executor, merchantId: string, customerId: string): Promise<boolean> {
  const [row] = await db
    .update(customers)
    .set({ remindersOptedOutAt: sql`coalesce(${customers.remindersOptedOutAt}, now())` })
    .where(and(eq(customers.id, customerId), eq(customers.merchantId, merchantId)))
    .returning({ id: customers.id });
  return Boolean(row);
}
