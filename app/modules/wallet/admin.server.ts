import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "~/db/client.server";
import { customers, loyaltyCards, type WalletSyncStatus } from "~/modules/loyalty/schema";
import { cardsInScope } from "~/modules/scope/conditions.server";
import type { Scope } from "~/modules/scope/scope";
import { signAssertion, WalletApi, WalletApiError, walletAccessToken } from "./google-api.server";
import type { EffectiveWalletConfig } from "./wallet-config.server";

export const walletChecks = ["keySigns", "issuerId", "token", "api", "origins", "logo"] as const;
export type WalletCheck = (typeof walletChecks)[number];

export interface WalletCheckLine {
  check: WalletCheck;
  outcome: "passed" | "failed" | "skipped";
  /** What happened, in the technical words of the answer (status, count, error). */
  detail: string | null;
}

const checkTimeoutMs = 10_000;

/**
 * The /admin/wallet validator: each check one line, in order; a check that needs an earlier one
 * that failed is skipped. It reads from Google and changes nothing there.
 */
export async function checkWalletConfiguration(wallet: EffectiveWalletConfig): Promise<WalletCheckLine[]> {
  const lines: WalletCheckLine[] = [];
  const line = (check: WalletCheck, outcome: WalletCheckLine["outcome"], detail: string | null = null) => {
    lines.push({ check, outcome, detail });
    return outcome === "passed";
  };
  const { key, issuerId } = wallet;
  let keyOk = false;
  if (!key) line("keySigns", "failed", wallet.keyUnreadable ? "saved key unreadable" : "no key");
  else {
    try {
      await signAssertion(key, { check: true }, key.tokenUri);
      keyOk = line("keySigns", "passed", key.clientEmail);
    } catch (error) {
      line("keySigns", "failed", (error as Error).message);
    }
  }
  const issuerOk = issuerId !== null && /^\d{6,30}$/.test(issuerId);
  line("issuerId", issuerOk ? "passed" : "failed", issuerId);
  let tokenOk = false;
  if (!key || !keyOk) line("token", "skipped");
  else {
    try {
      await walletAccessToken(key, { fresh: true });
      tokenOk = line("token", "passed", key.tokenUri);
    } catch (error) {
      line("token", "failed", (error as Error).message);
    }
  }
  if (!key || !tokenOk || !issuerOk || issuerId === null) line("api", "skipped");
  else {
    try {
      const classes = await new WalletApi({ apiUrl: wallet.apiUrl, key }).listClasses(issuerId);
      line("api", "passed", `${wallet.apiUrl}: ${classes} loyalty class(es)`);
    } catch (error) {
      if (!(error instanceof WalletApiError)) throw error;
      line("api", "failed", error.message);
    }
  }
  const plain = wallet.origins.filter((origin) => !origin.startsWith("https://"));
  line("origins", plain.length === 0 ? "passed" : "failed", wallet.origins.join(", ") || null);
  if (!wallet.logoUrl) line("logo", "failed", null);
  else {
    try {
      const response = await fetch(wallet.logoUrl, { signal: AbortSignal.timeout(checkTimeoutMs) });
      const type = response.headers.get("content-type") ?? "";
      await response.body?.cancel();
      const image = response.ok && type.startsWith("image/");
      line("logo", image ? "passed" : "failed", `${response.status} ${type}`.trim());
    } catch (error) {
      line("logo", "failed", (error as Error).message);
    }
  }
  return lines;
}

/** Pass updates at a glance: cards with a pass by last sync outcome, and the latest failures. */
export async function walletSyncHealth(db: Executor, scope: Scope) {
  const counts = await db
    .select({ status: loyaltyCards.googleWalletSyncStatus, count: sql<number>`count(*)::int` })
    .from(loyaltyCards)
    .where(and(isNotNull(loyaltyCards.googleWalletObjectId), cardsInScope(scope)))
    .groupBy(loyaltyCards.googleWalletSyncStatus);
  const byStatus = Object.fromEntries(counts.map((row) => [row.status ?? "pending", row.count])) as Partial<
    Record<WalletSyncStatus | "pending", number>
  >;
  const failures = await db
    .select({
      cardId: loyaltyCards.id,
      cardNumber: loyaltyCards.cardNumber,
      holder: sql<string>`${customers.firstName} || ' ' || ${customers.lastName}`,
      at: loyaltyCards.googleWalletSyncedAt,
      error: loyaltyCards.googleWalletSyncError,
    })
    .from(loyaltyCards)
    .innerJoin(customers, eq(customers.id, loyaltyCards.customerId))
    .where(and(eq(loyaltyCards.googleWalletSyncStatus, "failed"), cardsInScope(scope)))
    .orderBy(desc(loyaltyCards.googleWalletSyncedAt))
    .limit(10);
  const passes = counts.reduce((sum, row) => sum + row.count, 0);
  return { passes, byStatus, failed: byStatus.failed ?? 0, failures };
}
