import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { platformUrl, uniqueEmail } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { demoStaff, signIn } from "./fixtures/staff";
import { enrollShopper } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * Journey 5 — The merchant owner looks at a card. A shopper enrolls at FASHIONHUB with a phone
 * number and a birthday; the Fashion Group owner signs in, lands on the merchant portal in their
 * saved language (French), finds the card by the shopper's email and sees phone, birthday,
 * enrollment store, balance and history; adds points with a reason and cancels that adjustment
 * after a confirmation step, each with its reason in the card's history.
 *
 * Not covered yet: the analytics page (enrollments, points issued / redeemed, revenue, monthly
 * cohorts as charts) — it is not built.
 */

// A Portuguese browser: neither the storefront nor the portal can take its language from it.
test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const fashionHub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
if (!fashionGroup?.program || !fashionHub)
  throw new Error("demo-tenants.server.ts no longer has Fashion Group / FashionHub");
const program = fashionGroup.program;

/** Same tags as the app (app/i18n/locales.ts `intlTags`). */
const intlTags: Record<Locale, string> = { fr: "fr-LU", de: "de-LU", lb: "lb-LU", en: "en-GB" };

test("the Fashion Group owner finds a FashionHub card and sees phone, birthday, store, balance and history in French", async ({
  page,
}) => {
  const ownerLocale: Locale = demoStaff.owner.preferredLanguage;
  const c = (key: string, vars?: Record<string, string | number>) => t(ownerLocale, `console:${key}`, vars);
  const email = uniqueEmail("j5-owner-card");
  const shopper = {
    firstName: "Léa",
    lastName: "Muller",
    email,
    phone: "621 123 456",
    birthday: { day: "14", month: "7", year: "1990" },
  };

  const card = await test.step(`a shopper enrolls at ${fashionHub.name} with phone and birthday`, () =>
    enrollShopper(page, {
      subdomain: fashionHub.subdomain,
      locale: fashionHub.defaultLanguage,
      useDefaultLanguage: true,
      shopper,
    }));

  await test.step("the owner signs in and lands on the portal's card search, in French", async () => {
    await signIn(page, demoStaff.owner.email, demoStaff.owner.password);
    await expect(page).toHaveURL(/\/merchant\/cards$/);
    // A full page load: right after signing in, the page still speaks the sign-in page's
    // language (app bug, pinned by the expected-failure test below).
    await page.goto(platformUrl("/merchant/cards"));
    await expect(page.locator("html")).toHaveAttribute("lang", ownerLocale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("cards.title"));
    await expect(page.getByRole("button", { name: c("shell.signOut"), exact: true })).toBeVisible();
  });

  await test.step("searching by the shopper's email finds exactly that card", async () => {
    await page.getByLabel(c("cards.search"), { exact: true }).fill(email);
    await page.getByRole("button", { name: c("cards.submit"), exact: true }).click();
    await expect(page).toHaveURL(/\/merchant\/cards\?q=/);
    await expect(page.getByRole("status")).toHaveText(c("cards.results", { count: 1 }));
    const rows = page.locator("table tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(email);
    await expect(rows.first()).toContainText(`${shopper.firstName} ${shopper.lastName}`);
    await expect(rows.first()).toContainText(fashionHub.name);
    await rows.first().getByRole("link", { name: card.cardNumber, exact: true }).click();
  });

  await test.step("the card page shows phone, birthday, enrollment store, balance and the welcome bonus", async () => {
    await expect(page).toHaveURL(/\/merchant\/cards\/[0-9a-f-]{36}$/);
    await expect(page.locator("html")).toHaveAttribute("lang", ownerLocale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("card.title", { number: card.cardNumber }));
    await expect(page.getByText(email, { exact: true })).toBeVisible();
    await expect(page.getByTestId("customer-phone")).toHaveText("+352621123456");
    const birthday = new Intl.DateTimeFormat(intlTags[ownerLocale], { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(Date.UTC(1990, 6, 14, 12)),
    );
    await expect(page.getByTestId("customer-birthday")).toHaveText(birthday);
    await expect(page.getByTestId("enrolled-store")).toHaveText(fashionHub.name);
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(ownerLocale, "common:units.points", { count: program.welcomeBonus }),
    );

    const history = page.getByRole("region", { name: c("card.history") }).locator("tbody tr");
    await expect(history).toHaveCount(1);
    const cells = history.first().getByRole("cell");
    // Date, activity, store, staff, device, amount, change.
    await expect(cells.nth(1)).toHaveText(t(ownerLocale, "common:transactionTypes.welcome_bonus"));
    await expect(cells.nth(2)).toHaveText(fashionHub.name);
    await expect(cells.nth(6)).toHaveText(
      new Intl.NumberFormat(intlTags[ownerLocale], { signDisplay: "exceptZero" }).format(program.welcomeBonus),
    );
  });

  await test.step("the owner adds points with a reason, then cancels that adjustment after confirming", async () => {
    const history = page.getByRole("region", { name: c("card.history") }).locator("tbody tr");
    const units = (count: number) => t(ownerLocale, "common:units.points", { count });
    await page.getByLabel(c("card.corrections.delta.points"), { exact: true }).fill("25");
    await page.getByLabel(c("card.corrections.reason"), { exact: true }).fill("Geste commercial");
    await page.getByRole("button", { name: c("card.corrections.adjustSubmit"), exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: c("card.corrections.adjusted") })).toBeVisible();
    await expect(page.getByTestId("card-balance")).toHaveText(units(program.welcomeBonus + 25));
    await expect(history).toHaveCount(2);
    const adjustment = history.first().getByRole("cell");
    await expect(adjustment.nth(1)).toHaveText(t(ownerLocale, "common:transactionTypes.adjust"));
    await expect(adjustment.nth(7)).toHaveText("Geste commercial");

    // The void link opens a confirmation (a page of its own, no script needed) asking why.
    await adjustment.nth(8).getByRole("link").click();
    await expect(page).toHaveURL(/\?void=\d+#void-confirm$/);
    const confirm = page.getByRole("region", { name: c("card.corrections.confirmTitle") });
    await expect(confirm).toBeVisible();
    await confirm.getByRole("button", { name: c("card.corrections.confirmSubmit"), exact: true }).click();
    const reasonRequired = confirm.getByText(t(ownerLocale, "common:errors.reason_required.body"));
    await expect(reasonRequired).toBeVisible();
    const reason = confirm.getByLabel(c("card.corrections.reason"), { exact: true });
    await reason.fill("Saisie en double");
    // Leaving the field clears its message first, so the button does not move under the click.
    await reason.blur();
    await expect(reasonRequired).toHaveCount(0);
    await confirm.getByRole("button", { name: c("card.corrections.confirmSubmit"), exact: true }).click();

    await expect(page.getByRole("status").filter({ hasText: c("card.corrections.voided") })).toBeVisible();
    await expect(page.getByTestId("card-balance")).toHaveText(units(program.welcomeBonus));
    await expect(history).toHaveCount(3);
    const reversal = history.first().getByRole("cell");
    await expect(reversal.nth(1)).toHaveText(t(ownerLocale, "common:transactionTypes.void"));
    await expect(reversal.nth(7)).toContainText("Saisie en double");
    // The void and the row it cancels point at each other; a cancelled row offers no second void.
    await expect(reversal.nth(7).getByRole("link")).toBeVisible();
    await expect(history.nth(1).getByRole("cell").nth(7).getByRole("link")).toBeVisible();
    await expect(history.nth(1).getByRole("cell").nth(8).getByRole("link")).toHaveCount(0);
  });

  await test.step("the analytics page shows the charts and cohorts in the owner's language", async () => {
    await page.getByRole("link", { name: c("shell.nav.analytics"), exact: true }).click();
    await expect(page).toHaveURL(/\/merchant\/analytics$/);
    await expect(page.locator("html")).toHaveAttribute("lang", ownerLocale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("analytics.title"));
    const enrollments = page.getByRole("figure", { name: c("analytics.enrollments") });
    // Drawn twice (ADR 034): the wide drawing on a desktop, the narrow one on a phone.
    await expect(enrollments.locator("svg.chart-svg-wide")).toBeVisible();
    await expect(enrollments.locator("svg.chart-svg-narrow")).toBeHidden();
    await expect(enrollments.getByRole("listitem").filter({ hasText: fashionHub.name })).toBeVisible();
    await expect(
      page.getByRole("figure", { name: c("analytics.pointsIssuedRedeemed") }).locator("svg.chart-svg-wide"),
    ).toBeVisible();
    await expect(page.getByRole("figure", { name: c("analytics.revenue") })).toBeVisible();
    await expect(page.getByRole("heading", { name: c("analytics.cohorts") })).toBeVisible();
  });
});

test("signing in lands on the portal in the owner's saved language, whatever the sign-in page's language", async ({
  page,
}) => {
  // Regression: the sign-in redirect is a document load (redirectDocument), so the browser's
  // i18next instance is created for the owner's saved language, not the sign-in page's.
  const ownerLocale: Locale = demoStaff.owner.preferredLanguage;
  // The sign-in page in English (a browser language the platform does not offer → its default, en).
  await signIn(page, demoStaff.owner.email, demoStaff.owner.password, { locale: "en" });
  await expect(page).toHaveURL(/\/merchant\/cards$/);
  await expect(page.locator("html")).toHaveAttribute("lang", ownerLocale, { timeout: 3_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(ownerLocale, "console:cards.title"), {
    timeout: 3_000,
  });
});
