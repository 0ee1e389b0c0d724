import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { formatCents } from "../app/terminal/amount";
import { uniqueEmail, withDatabase } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { enrollShopper } from "./fixtures/storefront";
import {
  findCard,
  ledgerOf,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  queueStatus,
  recordPurchase,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 12 — Offline queue. The terminal is installed (its service worker keeps the app shell),
 * then the network goes: the terminal still opens, a PIN still unlocks it, and three purchases
 * and a redemption are recorded into its queue, the count always visible. When the network
 * returns the queue uploads by itself; the first upload reaches the server but its answer is lost,
 * so the terminal uploads again: each purchase is applied exactly once (idempotency keys), and the
 * redemption the balance does not cover is shown to staff as refused, not dropped.
 */

test.use({ locale: "fr-LU" });
const locale: Locale = "fr";

const program = demoMerchants.find((merchant) => merchant.slug === "fashion-group")?.program;
const voucher = program?.rewards.find((reward) => reward.cost === 200);
if (!program || !voucher) throw new Error("demo-tenants.server.ts no longer has Fashion Group's program");

const purchases = [
  { typed: "10", cents: 1000 },
  { typed: "20,50", cents: 2050 },
  { typed: "5", cents: 500 },
];

async function balanceOf(cardNumber: string): Promise<number> {
  const [row] = await withDatabase(
    (sql) => sql<{ points_balance: number }[]>`
      select points_balance from loyalty_cards where card_number = ${cardNumber.replace(/\s/g, "")}`,
  );
  return row?.points_balance ?? -1;
}

test("offline purchases queue on the device and are applied exactly once when the network returns", async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const card = await enrollShopper(page, {
    subdomain: "fashionhub",
    locale,
    shopper: { firstName: "Chloé", lastName: "Bernard", email: uniqueEmail("j12-offline") },
  });
  const staff = await newCounterStaff("FASHIONHUB", "Inès", "9753");
  const heading = page.getByRole("heading", { level: 1 });

  await test.step("paired online, the service worker takes the app shell in", async () => {
    await pairByTyping(page, locale, await newPairingCode("FASHIONHUB"), `Caisse J12 ${Date.now().toString(36)}`);
    await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect.poll(() => page.evaluate(async () => (await caches.match("/terminal")) !== undefined)).toBe(true);
  });

  await test.step("without a network the terminal still opens, from the service worker, and a PIN unlocks it", async () => {
    await context.setOffline(true);
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(heading).toHaveText(tt(locale, "unlock.title"));
    await expect(page.getByText(tt(locale, "status.offline"), { exact: true })).toBeVisible();
    await unlock(page, locale, staff.displayName, staff.pin);
  });

  await test.step("three purchases and a redemption are queued, the count always visible", async () => {
    for (const [index, purchase] of purchases.entries()) {
      await findCard(page, locale, card.cardNumber);
      await expect(heading).toHaveText(tt(locale, "card.offlineTitle"));
      await recordPurchase(page, locale, purchase.typed, formatCents(purchase.cents, locale));
      await expect(heading).toHaveText(tt(locale, "done.queuedTitle"));
      await expect(queueStatus(page, locale, index + 1)).toBeVisible();
      await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
    }
    await findCard(page, locale, card.cardNumber);
    await page.getByRole("button", { name: tt(locale, "card.redeem"), exact: true }).click();
    await expect(page.getByText(tt(locale, "redeem.offline"), { exact: true })).toBeVisible();
    await page.getByRole("button", { name: new RegExp(voucher.name.fr) }).click();
    await expect(queueStatus(page, locale, 4)).toBeVisible();
    await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
    expect(await balanceOf(card.cardNumber)).toBe(program.welcomeBonus);
  });

  await test.step("back online, the first upload's answer is lost; the retry changes nothing twice", async () => {
    let uploads = 0;
    let online = false;
    await page.route("**/api/terminal/v1/transactions/batch", async (route) => {
      // The terminal's own retries while still offline: the network is gone for them.
      if (!online) return route.abort("internetdisconnected");
      uploads++;
      if (uploads === 1) {
        // The server records the batch, then the connection drops before the answer arrives.
        const response = await route.fetch();
        expect(response.status()).toBe(200);
        await route.abort("connectionreset");
        return;
      }
      await route.continue();
    });
    online = true;
    await context.setOffline(false);
    await expect(queueStatus(page, locale, 0)).toBeVisible({ timeout: 30_000 });
    expect(uploads).toBe(2);
    const rows = await ledgerOf(card.cardNumber);
    expect(rows.map((row) => row.type)).toEqual(["welcome_bonus", "earn", "earn", "earn"]);
    expect(rows.filter((row) => row.type === "earn").map((row) => row.amount_cents)).toEqual(
      purchases.map((purchase) => purchase.cents),
    );
    expect(rows.every((row) => row.type === "welcome_bonus" || row.acting_counter_staff_id === staff.id)).toBe(true);
    const earned = purchases.reduce(
      (sum, purchase) => sum + Math.floor((purchase.cents * program.pointsPerEuro) / 100),
      0,
    );
    expect(await balanceOf(card.cardNumber)).toBe(program.welcomeBonus + earned);
  });

  await test.step("the redemption the balance did not cover is shown to staff as refused", async () => {
    const conflicts = page.getByRole("alert").filter({ hasText: tt(locale, "conflicts.title", { count: 1 }) });
    await expect(conflicts).toBeVisible();
    await expect(conflicts).toContainText(tt(locale, "conflicts.kind.redeem"));
    await expect(conflicts).toContainText(tt(locale, "errors.insufficient_balance"));
    await conflicts.getByRole("button", { name: tt(locale, "conflicts.dismiss"), exact: true }).click();
    await expect(conflicts).toHaveCount(0);
  });
});
