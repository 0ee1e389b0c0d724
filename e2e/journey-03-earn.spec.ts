import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { formatCents } from "../app/terminal/amount";
import { storeUrl, uniqueEmail } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { enrollShopper } from "./fixtures/storefront";
import {
  findCard,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  recordPurchase,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 3 — Earn at the counter. A shopper who enrolled in German at FASHIONHUB buys for
 * €42.50; the staff member, whose terminal speaks French, types the amount on the keypad in the
 * French number format ("42,50"). The balance grows by the program's rule (1 point per whole euro:
 * 42 points), and the shopper's card page shows the new balance and the purchase in German.
 */

test.use({ locale: "fr-LU" });
const staffLocale: Locale = "fr";
const shopperLocale: Locale = "de";

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const program = fashionGroup?.program;
if (program?.kind !== "points") throw new Error("demo-tenants.server.ts no longer has Fashion Group's points program");
const amountCents = 4250;
const earned = Math.floor((amountCents * program.pointsPerEuro) / 100);

test("staff record a €42.50 purchase; the shopper's card page shows the new balance in German", async ({ page }) => {
  const shopper = { firstName: "Jonas", lastName: "Weber", email: uniqueEmail("j3-earn") };
  const card = await test.step("a shopper enrolls at FashionHub in German", () =>
    enrollShopper(page, { subdomain: "fashionhub", locale: shopperLocale, shopper }));
  const staff = await newCounterStaff("FASHIONHUB", "Marion", "2580");

  await test.step("the counter finds the card by its number", async () => {
    await pairByTyping(page, staffLocale, await newPairingCode("FASHIONHUB"), `Caisse J3 ${Date.now().toString(36)}`);
    await unlock(page, staffLocale, staff.displayName, staff.pin);
    await findCard(page, staffLocale, card.cardNumber);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${shopper.firstName} ${shopper.lastName}`);
    await expect(
      page.getByText(tt(staffLocale, "card.points", { count: program.welcomeBonus }), { exact: true }),
    ).toBeVisible();
  });

  await test.step("42,50 € typed on the keypad in the French format, recorded", async () => {
    await recordPurchase(page, staffLocale, "42,50", formatCents(amountCents, staffLocale));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(staffLocale, "done.recorded.earn"));
    await expect(
      page.getByText(tt(staffLocale, "done.balancePoints", { count: program.welcomeBonus + earned }), { exact: true }),
    ).toBeVisible();
  });

  await test.step("the shopper's card page shows the new balance and the purchase, in German", async () => {
    await page.goto(storeUrl("fashionhub", `/loyalty/card/${card.token}`));
    await expect(page.locator("html")).toHaveAttribute("lang", shopperLocale);
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(shopperLocale, "common:units.points", { count: program.welcomeBonus + earned }),
    );
    const entries = page.locator("ol.history > li");
    await expect(entries).toHaveCount(2);
    const purchase = entries.filter({ hasText: t(shopperLocale, "common:transactionTypes.earn") });
    await expect(purchase).toHaveCount(1);
    await expect(purchase.locator(".history-change")).toHaveText(`+${earned}`);
    await expect(purchase).toContainText("FashionHub");
  });
});
