import { formatCents } from "../app/terminal/amount";
import { uniqueEmail } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { enrollShopper } from "./fixtures/storefront";
import {
  deviceIdByName,
  findCard,
  ledgerOf,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  queueStatus,
  recordPurchase,
  revokeTerminal,
  terminalStorage,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 14 — Revocation. A paired terminal holds its token, the staff list with PIN hashes and
 * a purchase queued while offline. A manager revokes the device (the merchant portal's service)
 * while the terminal is open: its next request is refused with device_revoked, and the terminal
 * wipes the token, staff, PIN hashes and queue (the queued purchase is never applied) and returns
 * to pairing with a clear message.
 */

test.use({ locale: "en-GB" });
const locale: Locale = "en";

test("a device revoked while open is cut off at its next request and wipes its data", async ({ page, context }) => {
  test.setTimeout(120_000);
  const card = await enrollShopper(page, {
    subdomain: "fashionhub",
    locale,
    shopper: { firstName: "Oliver", lastName: "Reed", email: uniqueEmail("j14-revoked") },
  });
  const staff = await newCounterStaff("FASHIONHUB", "Robin", "6060");
  const deviceName = `Till J14 ${Date.now().toString(36)}`;
  await pairByTyping(page, locale, await newPairingCode("FASHIONHUB"), deviceName);
  await unlock(page, locale, staff.displayName, staff.pin);

  await test.step("offline, a purchase waits in the terminal's queue beside the staff and PIN hashes", async () => {
    await context.setOffline(true);
    await findCard(page, locale, card.cardNumber);
    await recordPurchase(page, locale, "12", formatCents(1200, locale));
    await expect(queueStatus(page, locale, 1)).toBeVisible();
    expect(await terminalStorage(page)).toMatchObject({ state: 2, queue: 1 });
  });

  await test.step("the device is revoked; its next request is refused with device_revoked", async () => {
    await revokeTerminal(await deviceIdByName(deviceName));
    const refused = page.waitForResponse((response) => response.url().includes("/api/terminal/v1/"));
    await context.setOffline(false);
    const response = await refused;
    expect(response.status()).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("device_revoked");
  });

  await test.step("the terminal wipes its data and returns to pairing with a clear message", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "pairing.title"));
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "pairing.revoked"));
    expect(await terminalStorage(page)).toEqual({ state: 0, queue: 0, conflicts: 0, pinFailures: 0 });
    await expect(page.getByText(tt(locale, "status.staff", { name: staff.displayName }), { exact: true })).toHaveCount(
      0,
    );
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "pairing.title"));
    expect((await ledgerOf(card.cardNumber)).map((row) => row.type)).toEqual(["welcome_bonus"]);
  });
});
