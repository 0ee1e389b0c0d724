import { withDatabase } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { enterPin, newCounterStaff, newPairingCode, pairByTyping, tt, unlock } from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 10 — PIN. Counter staff unlock the terminal with their PIN. Ten wrong PINs in a row lock
 * that PIN on the server: typed online (the server counts them), and typed offline (the terminal
 * checks against the downloaded hash, counts them, locks locally and reports them when the network
 * is back, and the server locks the PIN too). A locked PIN shows a clear message and leaves the
 * staff list.
 */

test.use({ locale: "fr-LU" });
const locale: Locale = "fr";
const lockThreshold = 10;

async function pinState(staffId: string) {
  const [row] = await withDatabase(
    (sql) => sql<{ failed_pin_attempts: number; pin_locked_at: Date | null }[]>`
      select failed_pin_attempts, pin_locked_at from counter_staff where id = ${staffId}`,
  );
  if (!row) throw new Error(`no counter staff ${staffId}`);
  return { failedAttempts: row.failed_pin_attempts, locked: row.pin_locked_at !== null };
}

test("staff unlock with their PIN; ten wrong PINs lock it on the server, online and offline", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const nina = await newCounterStaff("FASHIONHUB", "Nina", "4826");
  const otto = await newCounterStaff("FASHIONHUB", "Otto", "7391");
  const vera = await newCounterStaff("FASHIONHUB", "Vera", "150926");
  await pairByTyping(page, locale, await newPairingCode("FASHIONHUB"), `Caisse J10 ${Date.now().toString(36)}`);
  const heading = page.getByRole("heading", { level: 1 });

  await test.step("Nina unlocks with her PIN and locks the terminal again", async () => {
    await unlock(page, locale, nina.displayName, nina.pin);
    await page.getByRole("button", { name: tt(locale, "status.lock"), exact: true }).click();
    await expect(heading).toHaveText(tt(locale, "unlock.title"));
  });

  await test.step("a wrong PIN online is refused and counted by the server", async () => {
    await enterPin(page, locale, otto.displayName, "0000");
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.wrongPin"));
    expect(await pinState(otto.id)).toEqual({ failedAttempts: 1, locked: false });
  });

  await test.step("the tenth wrong PIN in a row locks Otto's PIN on the server, with a clear message", async () => {
    for (let attempt = 2; attempt < lockThreshold; attempt++) {
      await enterPin(page, locale, otto.displayName, "0000");
      await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.wrongPin"));
    }
    await enterPin(page, locale, otto.displayName, "0000");
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.locked"));
    expect(await pinState(otto.id)).toEqual({ failedAttempts: lockThreshold, locked: true });
    // Even the right PIN is refused now.
    await enterPin(page, locale, otto.displayName, otto.pin);
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.locked"));
    await page.getByRole("button", { name: tt(locale, "unlock.otherStaff"), exact: true }).click();
    await expect(page.getByRole("button", { name: otto.displayName, exact: true })).toHaveCount(0);
  });

  await test.step("offline, Vera's PIN is checked on the device: wrong ones are counted locally", async () => {
    await context.setOffline(true);
    await expect(page.getByText(tt(locale, "status.offline"), { exact: true })).toBeVisible();
    for (let attempt = 1; attempt < lockThreshold; attempt++) {
      await enterPin(page, locale, vera.displayName, "999999");
      await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.wrongPin"));
    }
    await enterPin(page, locale, vera.displayName, "999999");
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.locked"));
    // Locked on the device: the right PIN no longer opens it either.
    await enterPin(page, locale, vera.displayName, vera.pin);
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "unlock.locked"));
    expect(await pinState(vera.id)).toEqual({ failedAttempts: 0, locked: false });
  });

  await test.step("back online, the failures are reported and the server locks Vera's PIN too", async () => {
    await context.setOffline(false);
    await expect
      .poll(() => pinState(vera.id), { timeout: 20_000 })
      .toEqual({ failedAttempts: lockThreshold, locked: true });
    await page.getByRole("button", { name: tt(locale, "unlock.otherStaff"), exact: true }).click();
    await expect(page.getByRole("button", { name: vera.displayName, exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: nina.displayName, exact: true })).toBeVisible();
  });

  await test.step("offline, the right PIN still unlocks (checked against the downloaded hash)", async () => {
    await context.setOffline(true);
    await unlock(page, locale, nina.displayName, nina.pin);
    await context.setOffline(false);
  });
});
