import type { Page } from "@playwright/test";
import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { formatCents } from "../app/terminal/amount";
import { terminalDatabaseName } from "../app/terminal/storage";
import { uniqueEmail, withDatabase } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { waitForEmail } from "./fixtures/mail";
import {
  deviceIdByName,
  findCard,
  ledgerOf,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  recordPurchase,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 11 — Daily flows. At FASHIONHUB (points) a staff member enrolls a shopper at the counter
 * (name and email: the shopper gets their card email), records a purchase and redeems a reward; at
 * WIZATECH (stamps) another enrolls a shopper and adds a stamp. Every ledger row the counter wrote
 * names the acting staff member and the device, with the idempotency key the terminal chose.
 */

test.use({ locale: "de-LU" });
const locale: Locale = "de";

const fashionProgram = demoMerchants.find((merchant) => merchant.slug === "fashion-group")?.program;
const wizaProgram = demoMerchants.find((merchant) => merchant.slug === "wizatech")?.program;
const voucher = fashionProgram?.rewards.find((reward) => reward.cost === 200);
if (!fashionProgram || !wizaProgram || wizaProgram.kind !== "stamps" || !voucher) {
  throw new Error("demo-tenants.server.ts no longer has the Fashion Group and WizaTech programs");
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 });

async function enrollAtCounter(page: Page, shopper: { firstName: string; lastName: string; email: string }) {
  await page.getByRole("button", { name: tt(locale, "find.enroll"), exact: true }).click();
  await expect(heading(page)).toHaveText(tt(locale, "enroll.title"));
  await page.getByLabel(tt(locale, "enroll.firstName"), { exact: true }).fill(shopper.firstName);
  await page.getByLabel(tt(locale, "enroll.lastName"), { exact: true }).fill(shopper.lastName);
  await page.getByLabel(tt(locale, "enroll.email"), { exact: true }).fill(shopper.email);
  await expect(page.getByLabel(tt(locale, "enroll.language"), { exact: true })).toHaveValue(locale);
  await page.getByRole("button", { name: tt(locale, "enroll.submit"), exact: true }).click();
  await expect(heading(page)).toHaveText(tt(locale, "done.recorded.enroll"));
  const number = await page.getByText(/^Karte \d{4} \d{4} \d{4} \d{4}$/).textContent();
  const cardNumber = number?.replace(/^Karte /, "") ?? "";
  await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
  return cardNumber;
}

test("enroll, earn and redeem at FashionHub, enroll and stamp at WizaTech: each row names staff and device", async ({
  page,
}) => {
  test.setTimeout(120_000);

  await test.step("FashionHub: enroll at the counter, record a purchase, redeem the voucher", async () => {
    const staff = await newCounterStaff("FASHIONHUB", "Greta", "3141");
    const deviceName = `Kasse J11 Hub ${Date.now().toString(36)}`;
    await pairByTyping(page, locale, await newPairingCode("FASHIONHUB"), deviceName);
    await unlock(page, locale, staff.displayName, staff.pin);
    const email = uniqueEmail("j11-hub");
    const cardNumber = await enrollAtCounter(page, { firstName: "Lukas", lastName: "Schmit", email });
    await waitForEmail({ to: email });

    await findCard(page, locale, cardNumber);
    await expect(
      page.getByText(tt(locale, "card.points", { count: fashionProgram.welcomeBonus }), { exact: true }),
    ).toBeVisible();
    const purchaseCents = (voucher.cost - fashionProgram.welcomeBonus) * 100;
    await recordPurchase(page, locale, String(purchaseCents / 100), formatCents(purchaseCents, locale));
    await expect(
      page.getByText(tt(locale, "done.balancePoints", { count: voucher.cost }), { exact: true }),
    ).toBeVisible();

    await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
    await findCard(page, locale, cardNumber);
    await page.getByRole("button", { name: tt(locale, "card.redeem"), exact: true }).click();
    await page.getByRole("button", { name: new RegExp(voucher.name.de) }).click();
    await expect(heading(page)).toHaveText(tt(locale, "done.recorded.redeem"));
    await expect(page.getByText(tt(locale, "done.balancePoints", { count: 0 }), { exact: true })).toBeVisible();

    const deviceId = await deviceIdByName(deviceName);
    const rows = await ledgerOf(cardNumber);
    expect(rows.map((row) => row.type)).toEqual(["welcome_bonus", "enroll", "earn", "redeem"]);
    for (const row of rows.filter((entry) => entry.type !== "welcome_bonus")) {
      expect(row.acting_counter_staff_id, row.type).toBe(staff.id);
      expect(row.acting_device_id, row.type).toBe(deviceId);
      expect(row.idempotency_key, row.type).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(rows.find((row) => row.type === "earn")?.amount_cents).toBe(purchaseCents);
  });

  await test.step("WizaTech: enroll at the counter and add a stamp", async () => {
    const staff = await newCounterStaff("WIZATECH", "Paula", "2718");
    const deviceName = `Kasse J11 Wiza ${Date.now().toString(36)}`;
    // A fresh terminal: this browser's storage still holds the FashionHub pairing.
    await page.evaluate(
      (name) =>
        new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = resolve;
          request.onerror = reject;
        }),
      terminalDatabaseName,
    );
    await pairByTyping(page, locale, await newPairingCode("WIZATECH"), deviceName);
    await unlock(page, locale, staff.displayName, staff.pin);
    const cardNumber = await enrollAtCounter(page, {
      firstName: "Mia",
      lastName: "Hoffmann",
      email: uniqueEmail("j11-wiza"),
    });
    await findCard(page, locale, cardNumber);
    await expect(
      page.getByText(tt(locale, "card.stamps", { count: wizaProgram.welcomeBonus }), { exact: true }),
    ).toBeVisible();
    const perPurchase = await withDatabase(
      async (sql) =>
        (
          await sql<{ stamps_per_purchase: number }[]>`
          select p.stamps_per_purchase from loyalty_programs p join merchants m on m.id = p.merchant_id
          where m.slug = 'wizatech' and p.active`
        )[0]?.stamps_per_purchase ?? 1,
    );
    await page.getByRole("button", { name: tt(locale, "card.stamp", { count: perPurchase }), exact: true }).click();
    await expect(heading(page)).toHaveText(tt(locale, "done.recorded.stamp"));
    await expect(
      page.getByText(tt(locale, "done.balanceStamps", { count: wizaProgram.welcomeBonus + perPurchase }), {
        exact: true,
      }),
    ).toBeVisible();

    const deviceId = await deviceIdByName(deviceName);
    const rows = await ledgerOf(cardNumber);
    expect(rows.map((row) => row.type)).toEqual(["welcome_bonus", "enroll", "stamp"]);
    const stamp = rows.find((row) => row.type === "stamp");
    expect(stamp?.stamps_delta).toBe(perPurchase);
    expect(stamp?.acting_counter_staff_id).toBe(staff.id);
    expect(stamp?.acting_device_id).toBe(deviceId);
  });
});
