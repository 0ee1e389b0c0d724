import type { Locator, Page } from "@playwright/test";
import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { platformUrl, storeUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, locales, t } from "./fixtures/i18n";
import { emailSubject, waitForEmail } from "./fixtures/mail";
import { demoStaff, signIn } from "./fixtures/staff";
import { enrollShopper } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * Journey 6 — The admin opens a program. WizaMart (seeded with loyalty off and no program)
 * cannot be switched on without a program; the admin's empty program form shows localized
 * errors next to the fields; the admin creates a points program with two rewards, switches
 * WizaMart's loyalty on, and its storefront goes live (join form, program name, a shopper
 * enrolls). At the end WizaMart is switched off again through the stores page and answers the
 * "not available" 404 once more, so journey 1's WizaMart test holds in any order (an afterAll
 * also switches it off in the database should this test stop halfway).
 *
 * The admin console is used in English (?lang=en): the other console languages are checked
 * elsewhere; the storefront is seen in WizaMart's default language.
 */

test.use({ locale: "pt-PT" });

const wizaMartMerchant = demoMerchants.find((merchant) => merchant.slug === "wizamart");
const wizaMart = wizaMartMerchant?.stores.find((store) => store.code === "WIZAMART");
if (!wizaMartMerchant || !wizaMart || wizaMartMerchant.program || wizaMart.loyaltyEnabled) {
  throw new Error("demo-tenants.server.ts no longer has WizaMart without a program and with loyalty off");
}

const admin: Locale = "en";
const c = (key: string, vars?: Record<string, string | number>) => t(admin, `console:${key}`, vars);

/** The program this journey creates; a name per language, as shoppers see it. */
const newProgram = {
  name: { en: "WizaMart Rewards", fr: "Fidélité WizaMart", de: "WizaMart Treue", lb: "WizaMart Trei" },
  pointsPerEuro: 2,
  welcomeBonus: 10,
  brandColor: "#2e7d32",
  rewards: [
    { cost: 100, name: { en: "Free coffee", fr: "Un café offert", de: "Ein Kaffee gratis", lb: "E Kaffi gratis" } },
    { cost: 250, name: { en: "€5 voucher", fr: "Bon de 5 €", de: "Gutschein über 5 €", lb: "Bong vu 5 €" } },
  ],
} satisfies {
  name: Record<Locale, string>;
  pointsPerEuro: number;
  welcomeBonus: number;
  brandColor: string;
  rewards: { cost: number; name: Record<Locale, string> }[];
};

/** The "Name in <language>" field of one language inside a fieldset (program names or a reward). */
const nameField = (scope: Locator, locale: Locale) =>
  scope.getByLabel(c("programs.form.languageName", { language: t(admin, `common:languageNames.${locale}`) }), {
    exact: true,
  });

/** The row of WizaMart in /admin/stores, found by its (unique) store code. */
const wizaMartRow = (page: Page) => page.getByRole("row").filter({ hasText: `(${wizaMart.code})` });

test.afterAll(async () => {
  // Whatever happened above, leave WizaMart as seeded for the other journeys: loyalty off.
  await withDatabase((sql) => sql`update stores set loyalty_enabled = false where code = ${wizaMart.code}`);
});

test("admin creates a WizaMart program with two rewards and switches its storefront on, then off", async ({ page }) => {
  await test.step("the admin signs in (English) and lands on the dashboard", async () => {
    await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { locale: admin });
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.locator("html")).toHaveAttribute("lang", admin);
    const nav = page.getByRole("navigation", { name: c("shell.mainNav") });
    for (const key of ["dashboard", "stores", "programs", "cards"]) {
      await expect(nav.getByRole("link", { name: c(`shell.nav.${key}`), exact: true })).toBeVisible();
    }
    await expect(page.getByTestId("enrollments-today")).toHaveText(/^\d[\d,]*$/);
  });

  const enrollmentsBefore = Number(
    ((await page.getByTestId("enrollments-today").textContent()) ?? "").replace(/\D/g, ""),
  );

  await test.step("WizaMart cannot be switched on without a program", async () => {
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.stores") })
      .click();
    await expect(page).toHaveURL(/\/admin\/stores$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("stores.title"));
    const row = wizaMartRow(page);
    await expect(row).toHaveCount(1);
    await expect(row.locator(".badge")).toHaveText(c("stores.loyaltyOff"));
    await row.getByRole("button", { name: c("stores.enable", { store: wizaMart.name }), exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(
      c("stores.noProgram", { store: wizaMart.name, merchant: wizaMartMerchant.name }),
    );
    await expect(wizaMartRow(page).locator(".badge")).toHaveText(c("stores.loyaltyOff"));
    const storefront = await page.goto(storeUrl(wizaMart.subdomain, "/loyalty/join"));
    expect(storefront?.status(), "the join page stays unavailable").toBe(404);
  });

  await test.step("an empty new-program form shows English errors next to the merchant and the English name", async () => {
    await page.goto(platformUrl("/admin"));
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.programs") })
      .click();
    await expect(page).toHaveURL(/\/admin\/loyalty\/programs$/);
    await expect(page.getByRole("row").filter({ hasText: wizaMartMerchant.name })).toHaveCount(0);
    await page.getByRole("link", { name: c("programs.new"), exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/loyalty\/programs\/new$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("programs.createTitle"));
    await page.getByRole("button", { name: c("programs.form.save"), exact: true }).click();

    const merchant = page.getByLabel(c("programs.form.merchant"), { exact: true });
    const englishName = nameField(page.getByRole("group", { name: c("programs.form.names"), exact: true }), "en");
    const expected = [
      { input: merchant, id: "program-merchantId", error: c("programs.errors.merchantRequired") },
      { input: englishName, id: "program-name-en", error: c("programs.errors.nameRequired") },
    ];
    const summary = page.getByRole("alert");
    await expect(summary.getByRole("heading")).toHaveText(t(admin, "common:form.errorSummary"));
    await expect(summary.getByRole("link")).toHaveCount(expected.length);
    for (const field of expected) {
      await expect(field.input).toHaveAttribute("aria-invalid", "true");
      await expect(field.input).toHaveAttribute("aria-describedby", new RegExp(`\\b${field.id}-error\\b`));
      // Next to the field: inside the input's own .field container.
      const container = field.input.locator("xpath=..");
      await expect(container).toHaveClass(/\bfield-invalid\b/);
      await expect(container.locator(".field-error")).toHaveText(field.error);
      await expect(summary.getByRole("link", { name: field.error, exact: true })).toHaveAttribute(
        "href",
        `#${field.id}`,
      );
    }
    await expect(page).toHaveURL(/\/admin\/loyalty\/programs\/new$/);
  });

  await test.step("the admin creates a WizaMart points program with two rewards", async () => {
    await page.getByLabel(c("programs.form.merchant"), { exact: true }).selectOption({ label: wizaMartMerchant.name });
    const names = page.getByRole("group", { name: c("programs.form.names"), exact: true });
    for (const locale of locales) await nameField(names, locale).fill(newProgram.name[locale]);
    await page.getByLabel(c("programs.form.kindPoints"), { exact: true }).check();
    await page.getByLabel(c("programs.form.pointsPerEuro"), { exact: true }).fill(String(newProgram.pointsPerEuro));
    await page.getByLabel(c("programs.form.welcomeBonus"), { exact: true }).fill(String(newProgram.welcomeBonus));
    await page.getByLabel(c("programs.form.brandColor"), { exact: true }).fill(newProgram.brandColor);
    // Points only: the stamps fields are hidden until the stamps type is chosen.
    await expect(page.getByLabel(c("programs.form.stampsPerCard"), { exact: true })).toBeHidden();
    await page.getByLabel(c("programs.form.kindStamps"), { exact: true }).check();
    await expect(page.getByLabel(c("programs.form.stampsPerCard"), { exact: true })).toBeVisible();
    await expect(page.getByLabel(c("programs.form.pointsPerEuro"), { exact: true })).toBeHidden();
    await page.getByLabel(c("programs.form.kindPoints"), { exact: true }).check();
    await expect(page.getByLabel(c("programs.form.pointsPerEuro"), { exact: true })).toBeVisible();
    for (const [index, reward] of newProgram.rewards.entries()) {
      const row = page.getByRole("group", { name: c("programs.form.reward", { number: index + 1 }), exact: true });
      // A new program starts with one reward row; "Add a reward" adds the next.
      if (index > 0) {
        await expect(row).toHaveCount(0);
        await page.getByRole("button", { name: c("programRewards.add"), exact: true }).click();
      }
      for (const locale of locales) await nameField(row, locale).fill(reward.name[locale]);
      await row.getByLabel(c("programs.form.rewardCost"), { exact: true }).fill(String(reward.cost));
    }
    await expect(page.getByLabel(c("programs.form.active"), { exact: true })).toBeChecked();
    // Enter in a field saves the program (it does not press the first reward's "Remove" button).
    await page.getByLabel(c("programs.form.pointsPerEuro"), { exact: true }).press("Enter");

    await page.waitForURL(/\/admin\/loyalty\/programs\/[0-9a-f-]{36}\?created=1$/);
    await expect(page.getByRole("status")).toHaveText(c("programs.created"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      c("programs.editTitle", { name: newProgram.name.en }),
    );

    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.programs") })
      .click();
    const listed = page.getByRole("row").filter({ hasText: wizaMartMerchant.name });
    await expect(listed).toHaveCount(1);
    await expect(listed.getByRole("link", { name: newProgram.name.en, exact: true })).toBeVisible();
    await expect(listed.getByRole("cell").nth(4)).toHaveText(String(newProgram.rewards.length));
    await expect(listed).toContainText(c("programs.active"));
  });

  await test.step("the admin switches WizaMart's loyalty on", async () => {
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.stores") })
      .click();
    await wizaMartRow(page)
      .getByRole("button", { name: c("stores.enable", { store: wizaMart.name }), exact: true })
      .click();
    await expect(page.getByRole("status")).toHaveText(c("stores.enabled", { store: wizaMart.name }));
    await expect(wizaMartRow(page).locator(".badge")).toHaveText(c("stores.loyaltyOn"));
    await expect(
      wizaMartRow(page).getByRole("button", { name: c("stores.disable", { store: wizaMart.name }), exact: true }),
    ).toBeVisible();
  });

  const shopperLocale: Locale = wizaMart.defaultLanguage;
  const s = (key: string, vars?: Record<string, string | number>) => t(shopperLocale, `storefront:${key}`, vars);

  await test.step("WizaMart's storefront is live: home shows the program, /loyalty/join answers 200", async () => {
    const home = await page.goto(storeUrl(wizaMart.subdomain, "/"));
    expect(home?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", shopperLocale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(newProgram.name[shopperLocale]);
    await expect(page.locator(".lead")).toHaveText(wizaMart.description[shopperLocale]);
    await expect(page.locator(".steps")).toContainText(s("home.stepEarnPoints", { count: newProgram.pointsPerEuro }));
    await expect(page.locator(".bonus")).toHaveText(s("home.welcomeBonusPoints", { count: newProgram.welcomeBonus }));
    const rewards = page.locator(".reward-list > li");
    await expect(rewards).toHaveCount(newProgram.rewards.length);
    for (const [index, reward] of newProgram.rewards.entries()) {
      await expect(rewards.nth(index)).toHaveText(
        `${reward.name[shopperLocale]}${t(shopperLocale, "common:units.points", { count: reward.cost })}`,
      );
    }

    const join = await page.goto(storeUrl(wizaMart.subdomain, "/loyalty/join"));
    expect(join?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("join.title", { store: wizaMart.name }));
    await expect(page.getByLabel(s("join.email"), { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: s("join.submit"), exact: true })).toBeVisible();
  });

  await test.step("a shopper enrolls at WizaMart and gets the welcome bonus", async () => {
    const email = uniqueEmail("j6-wizamart");
    await enrollShopper(page, {
      subdomain: wizaMart.subdomain,
      locale: shopperLocale,
      useDefaultLanguage: true,
      shopper: { firstName: "Marc", lastName: "Schmit", email },
    });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("success.heading"));
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(shopperLocale, "common:units.points", { count: newProgram.welcomeBonus }),
    );
    // The program has a welcome bonus: one email carries the card and the bonus (ADR 030).
    const subject = emailSubject(shopperLocale, "loyalty_enrollment_with_bonus", {
      program: newProgram.name[shopperLocale],
      store: wizaMart.name,
      bonus: t(shopperLocale, "email:units.points", { count: newProgram.welcomeBonus }),
    });
    const enrollment = await waitForEmail({ to: email, subjectIncludes: subject });
    expect(enrollment.subject).toBe(subject);

    await page.goto(platformUrl("/admin"));
    await expect(page.getByTestId("enrollments-today")).toHaveText(
      new Intl.NumberFormat("en-GB").format(enrollmentsBefore + 1),
    );
  });

  await test.step("the admin switches WizaMart off again: the localized 404 is back", async () => {
    await page.goto(platformUrl("/admin/stores"));
    await wizaMartRow(page)
      .getByRole("button", { name: c("stores.disable", { store: wizaMart.name }), exact: true })
      .click();
    await expect(page.getByRole("status")).toHaveText(c("stores.disabled", { store: wizaMart.name }));
    await expect(wizaMartRow(page).locator(".badge")).toHaveText(c("stores.loyaltyOff"));

    for (const pathname of ["/", "/loyalty/join"]) {
      const response = await page.goto(storeUrl(wizaMart.subdomain, pathname));
      expect(response?.status(), `${pathname} answers 404 again`).toBe(404);
      await expect(page.locator("html")).toHaveAttribute("lang", shopperLocale);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(
        t(shopperLocale, "common:errors.loyaltyUnavailable.title"),
      );
    }
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the server refuses an empty new-program form with the same English errors", async ({ page }) => {
    await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { locale: admin });
    await page.goto(platformUrl("/admin/loyalty/programs/new"));
    await page.getByRole("button", { name: c("programs.form.save"), exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/loyalty\/programs\/new$/);
    await expect(page.locator("html")).toHaveAttribute("lang", admin);
    await expect(page.locator("#program-merchantId-error")).toHaveText(c("programs.errors.merchantRequired"));
    await expect(page.locator("#program-name-en-error")).toHaveText(c("programs.errors.nameRequired"));
    await expect(page.getByRole("alert").getByRole("link")).toHaveText([
      c("programs.errors.merchantRequired"),
      c("programs.errors.nameRequired"),
    ]);
  });
});
