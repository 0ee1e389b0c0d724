import type { Locale } from "./fixtures/i18n";
import {
  findCard,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  setIdleLockMinutes,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 13 — Auto-lock. FASHIONOUTLET's idle lock is set to one minute (a store setting the
 * terminal downloads). Staff activity keeps the terminal open; a minute without a touch or a key
 * locks it, back to "who is at the counter?". The page's clock is Playwright's, so no test waits
 * a real minute.
 */

test.use({ locale: "de-LU" });
const locale: Locale = "de";
const storeCode = "FASHIONOUTLET";
const defaultIdleMinutes = 5;

test.afterAll(async () => {
  await setIdleLockMinutes(storeCode, defaultIdleMinutes);
});

test("a terminal left alone for the store's idle minutes locks itself; activity keeps it open", async ({ page }) => {
  await setIdleLockMinutes(storeCode, 1);
  const staff = await newCounterStaff(storeCode, "Karin", "4711");
  await page.clock.install();
  await pairByTyping(page, locale, await newPairingCode(storeCode), `Kasse J13 ${Date.now().toString(36)}`);
  await unlock(page, locale, staff.displayName, staff.pin);
  const heading = page.getByRole("heading", { level: 1 });
  const servedBy = page.getByText(tt(locale, "status.staff", { name: staff.displayName }), { exact: true });

  await test.step("activity within the minute keeps the terminal unlocked", async () => {
    await page.clock.fastForward("00:40");
    await findCard(page, locale, "0000 0000 0000 0000");
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "errors.card_not_found"));
    await page.clock.fastForward("00:40");
    await expect(heading).toHaveText(tt(locale, "find.title"));
    await expect(servedBy).toBeVisible();
  });

  await test.step("a minute without a touch locks it", async () => {
    await page.clock.fastForward("01:01");
    await expect(heading).toHaveText(tt(locale, "unlock.title"));
    await expect(servedBy).toHaveCount(0);
    await expect(page.getByRole("button", { name: staff.displayName, exact: true })).toBeVisible();
  });

  await test.step("the PIN opens it again", async () => {
    await unlock(page, locale, staff.displayName, staff.pin);
  });
});
