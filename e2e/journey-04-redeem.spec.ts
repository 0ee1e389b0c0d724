import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { formatCents } from "../app/terminal/amount";
import { uniqueEmail, withDatabase } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { emailSubject, emailsTo, waitForEmail } from "./fixtures/mail";
import { enrollShopper } from "./fixtures/storefront";
import {
  findCard,
  ledgerOf,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  recordPurchase,
  terminalUrl,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 4 — Reward ready and redeem. A purchase takes an English shopper's balance past the
 * €10 voucher's cost: one reward-ready email goes out, and a later purchase sends no second one.
 * Staff redeem the voucher; a second counter that still shows the old balance tries the same
 * redemption and is refused with a clear message; the ledger holds one redemption.
 */

test.use({ locale: "en-GB" });
const locale: Locale = "en";

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const program = fashionGroup?.program;
const voucher = program?.rewards.reduce((cheapest, reward) => (reward.cost < cheapest.cost ? reward : cheapest));
if (program?.kind !== "points" || !voucher)
  throw new Error("demo-tenants.server.ts no longer has Fashion Group's rewards");

async function rewardReadyLogs(email: string): Promise<number> {
  const [row] = await withDatabase(
    (sql) => sql<{ count: number }[]>`
      select count(*)::int as count from email_logs
      where template_key = 'loyalty_reward_ready' and lower(recipient) = lower(${email})`,
  );
  return row?.count ?? 0;
}

test("crossing a reward's cost sends one email; the reward is redeemed once, a second redeem is refused", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("j4-redeem");
  const card = await enrollShopper(page, {
    subdomain: "fashionhub",
    locale,
    shopper: { firstName: "Amelia", lastName: "Clarke", email },
  });
  const staff = await newCounterStaff("FASHIONHUB", "Sam", "8642");
  // From the welcome bonus to exactly the voucher's cost.
  const toCostCents = ((voucher.cost - program.welcomeBonus) * 100) / program.pointsPerEuro;
  const subject = emailSubject(locale, "loyalty_reward_ready", { store: "FashionHub" });

  await test.step("a purchase reaches the voucher's cost: one reward-ready email", async () => {
    await pairByTyping(page, locale, await newPairingCode("FASHIONHUB"), `Till J4 ${Date.now().toString(36)}`);
    await unlock(page, locale, staff.displayName, staff.pin);
    await findCard(page, locale, card.cardNumber);
    await recordPurchase(page, locale, String(toCostCents / 100), formatCents(toCostCents, locale));
    await expect(
      page.getByText(tt(locale, "done.balancePoints", { count: voucher.cost }), { exact: true }),
    ).toBeVisible();
    await waitForEmail({ to: email, subjectIncludes: subject });
  });

  await test.step("another purchase above the cost sends no second email", async () => {
    await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
    await findCard(page, locale, card.cardNumber);
    await recordPurchase(page, locale, "10", formatCents(1000, locale));
    await expect(
      page.getByText(tt(locale, "done.balancePoints", { count: voucher.cost + 10 * program.pointsPerEuro }), {
        exact: true,
      }),
    ).toBeVisible();
    expect(await rewardReadyLogs(email)).toBe(1);
    expect(emailsTo(email).filter((message) => message.subject.includes(subject))).toHaveLength(1);
  });

  // A second counter (another tab of the same paired device) opens the card before the redemption.
  const second = await context.newPage();
  await test.step("a second counter opens the same card and sees the voucher available", async () => {
    await second.goto(terminalUrl());
    await unlock(second, locale, staff.displayName, staff.pin);
    await findCard(second, locale, card.cardNumber);
    await second.getByRole("button", { name: tt(locale, "card.redeem"), exact: true }).click();
    await expect(second.getByRole("button", { name: new RegExp(voucher.name.en) })).toBeVisible();
  });

  await test.step("the first counter redeems the voucher: the balance drops by its cost", async () => {
    await page.getByRole("button", { name: tt(locale, "done.next"), exact: true }).click();
    await findCard(page, locale, card.cardNumber);
    await page.getByRole("button", { name: tt(locale, "card.redeem"), exact: true }).click();
    await page.getByRole("button", { name: new RegExp(voucher.name.en) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "done.recorded.redeem"));
    await expect(
      page.getByText(tt(locale, "done.balancePoints", { count: 10 * program.pointsPerEuro }), { exact: true }),
    ).toBeVisible();
  });

  await test.step("the second counter's redeem of the same balance is refused with a clear message", async () => {
    await second.getByRole("button", { name: new RegExp(voucher.name.en) }).click();
    await expect(second.getByRole("alert")).toHaveText(tt(locale, "errors.insufficient_balance"));
    const redemptions = (await ledgerOf(card.cardNumber)).filter((row) => row.type === "redeem");
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]?.points_delta).toBe(-voucher.cost);
  });
  await second.close();
});
