import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { storeUrl, uniqueEmail } from "./fixtures/app";
import { type Locale, locales, t } from "./fixtures/i18n";
import { emailSubject, emailsTo, htmlLang, waitForEmail } from "./fixtures/mail";
import { cardTokenFrom, fillJoinForm, submitJoinForm } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * Journey 1 — Enroll at FASHIONHUB in French (its default language), then in German,
 * Luxembourgish and English chosen with ?lang=. Every expected string comes from
 * locales/<lang>/*.json or from the seeded demo data, never typed here.
 */

// A Portuguese browser: its Accept-Language matches none of the store's languages, so the
// store's default decides when there is no ?lang= (and ?lang= decides otherwise).
test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const fashionHub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
if (!fashionGroup?.program || !fashionHub)
  throw new Error("demo-tenants.server.ts no longer has Fashion Group / FashionHub");
const program = fashionGroup.program;
const wizaMart = demoMerchants.flatMap((merchant) => merchant.stores).find((store) => store.code === "WIZAMART");

/** fr is FashionHub's default language: reached without ?lang=. */
const langQuery = (locale: Locale) => (locale === fashionHub.defaultLanguage ? {} : { lang: locale });
const how = (locale: Locale) =>
  locale === fashionHub.defaultLanguage ? `${locale} (store default, no ?lang)` : `${locale} (?lang=${locale})`;

/** Same tags as the app (app/i18n/locales.ts): numbers are formatted for Luxembourg and its neighbours. */
const intlTags: Record<Locale, string> = { fr: "fr-LU", de: "de-LU", lb: "lb-LU", en: "en-GB" };
const signed = (locale: Locale, value: number) =>
  new Intl.NumberFormat(intlTags[locale], { signDisplay: "exceptZero" }).format(value);

for (const locale of locales) {
  test(`enroll at FashionHub in ${how(locale)}: pages, card and the welcome email in that language`, async ({
    page,
  }) => {
    const s = (key: string, vars?: Record<string, string | number>) => t(locale, `storefront:${key}`, vars);
    const email = uniqueEmail(`j1-${locale}`);

    await test.step("store home is in the page's language", async () => {
      const response = await page.goto(storeUrl(fashionHub.subdomain, "/", langQuery(locale)));
      expect(response?.status()).toBe(200);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      const nav = page.getByRole("navigation", { name: s("nav.main") });
      await expect(nav.getByRole("link", { name: s("nav.join"), exact: true })).toBeVisible();
      await expect(nav.getByRole("link", { name: s("nav.findCard"), exact: true })).toBeVisible();
      await expect(
        page
          .getByRole("navigation", { name: t(locale, "common:languageSwitcher.label") })
          .locator('a[aria-current="true"]'),
      ).toHaveText(t(locale, `common:languageNames.${locale}`));
      await expect(page.locator(".lead")).toHaveText(fashionHub.description[locale]);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(program.name[locale]);
      await page.getByRole("link", { name: s("home.joinCta"), exact: true }).click();
    });

    await test.step("join form: labels in the language, birthday as day / month / year", async () => {
      await expect(page).toHaveURL(/\/loyalty\/join$/);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("join.title", { store: fashionHub.name }));
      const birthday = page.getByRole("group", { name: s("join.birthday") });
      const parts = await birthday.locator("input").evaluateAll((inputs) =>
        inputs.map((input) => ({
          id: input.id,
          autocomplete: input.getAttribute("autocomplete"),
          label: document.querySelector(`label[for="${input.id}"]`)?.textContent ?? null,
        })),
      );
      expect(parts).toEqual([
        { id: "birthday-day", autocomplete: "bday-day", label: s("join.day") },
        { id: "birthday-month", autocomplete: "bday-month", label: s("join.month") },
        { id: "birthday-year", autocomplete: "bday-year", label: s("join.year") },
      ]);
      await fillJoinForm(page, locale, {
        firstName: "Léa",
        lastName: "Muller",
        email,
        phone: "621 123 456",
        birthday: { day: "14", month: "7", year: "1990" },
      });
    });

    const submittedAt = Date.now();
    await submitJoinForm(page, locale);

    let token = "";
    let cardNumber = "";
    await test.step("success page: card number, welcome balance, QR, link to the card", async () => {
      await page.waitForURL(/\/loyalty\/join\/success\?card=/);
      token = cardTokenFrom(page.url());
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("success.heading"));
      await expect(page.getByRole("status")).toHaveText(s("success.emailSent"));
      const number = page.locator(".card-number");
      await expect(number).toHaveText(/^\d{4} \d{4} \d{4} \d{4}$/);
      cardNumber = (await number.textContent()) ?? "";
      await expect(page.getByTestId("card-balance")).toHaveText(
        t(locale, "common:units.points", { count: program.welcomeBonus }),
      );
      await expect(page.getByRole("img", { name: s("card.qrLabel", { number: cardNumber }) })).toBeVisible();
      await expect(page.locator(".card-qr svg")).toBeVisible();
      const cardLink = page.getByRole("link", { name: s("success.viewCard"), exact: true });
      await expect(cardLink).toHaveAttribute("href", `/loyalty/card/${token}`);
      await cardLink.click();
    });

    await test.step("card page: balance, rewards progress, welcome bonus in the history", async () => {
      await expect(page).toHaveURL(new RegExp(`/loyalty/card/${token}$`));
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("card.heading"));
      await expect(page.locator(".card-number")).toHaveText(cardNumber);
      await expect(page.getByTestId("card-balance")).toHaveText(
        t(locale, "common:units.points", { count: program.welcomeBonus }),
      );
      const progress = page.locator("progress");
      await expect(progress).toHaveCount(program.rewards.length);
      for (const [index, reward] of program.rewards.entries()) {
        await expect(progress.nth(index)).toHaveAttribute("max", String(reward.cost));
        await expect(progress.nth(index)).toHaveAttribute("value", String(program.welcomeBonus));
        await expect(page.getByText(reward.name[locale], { exact: true })).toBeVisible();
      }
      const entries = page
        .getByRole("list")
        .filter({ has: page.locator(".history-line") })
        .getByRole("listitem");
      await expect(entries).toHaveCount(1);
      await expect(entries.first().locator(".history-line")).toHaveText(
        `${t(locale, "common:transactionTypes.welcome_bonus")}${signed(locale, program.welcomeBonus)}`,
      );
      await expect(entries.first()).toContainText(fashionHub.name);
    });

    await test.step("one welcome email, the card and its bonus, arrives within 15 s, in the language", async () => {
      const remaining = () => Math.max(1_000, 15_000 - (Date.now() - submittedAt));
      const bonus = t(locale, "email:units.points", { count: program.welcomeBonus });
      const vars = { program: program.name[locale], store: fashionHub.name, bonus };
      const welcomeSubject = emailSubject(locale, "loyalty_enrollment_with_bonus", vars);

      const welcome = await waitForEmail({ to: email, subjectIncludes: welcomeSubject, timeoutMs: remaining() });
      expect(welcome.subject).toBe(welcomeSubject);
      expect(htmlLang(welcome)).toBe(locale);
      const qr = welcome.attachments.find((attachment) => attachment.contentType.startsWith("image/"));
      expect(qr, "the welcome email carries the QR code as an image attachment").toBeDefined();
      expect(qr?.contentId).toBeTruthy();
      expect(qr?.contentDisposition).toBe("inline");
      expect(welcome.html).toContain(`cid:${qr?.cid}`);
      expect(welcome.html).toContain(`/loyalty/card/${token}`);
      expect(welcome.text).toContain(cardNumber);
      expect(welcome.text).toContain(bonus);
      // The card and the bonus come in one email: no second message follows it.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(emailsTo(email)).toHaveLength(1);
      expect(Date.now() - submittedAt).toBeLessThanOrEqual(15_000);
    });
  });
}

for (const locale of locales) {
  test(`join form in ${how(locale)}: empty form shows localized errors and creates nothing`, async ({ page }) => {
    const s = (key: string) => t(locale, `storefront:${key}`);
    await page.goto(storeUrl(fashionHub.subdomain, "/loyalty/join", langQuery(locale)));
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await submitJoinForm(page, locale);

    const summary = page.getByRole("alert");
    await expect(summary.getByRole("heading")).toHaveText(t(locale, "common:form.errorSummary"));
    const expected = [
      { id: "firstName", label: s("join.firstName"), error: s("join.errors.firstNameRequired") },
      { id: "lastName", label: s("join.lastName"), error: s("join.errors.lastNameRequired") },
      { id: "email", label: s("join.email"), error: s("join.errors.emailRequired") },
      { id: "terms", label: s("join.terms"), error: s("join.errors.termsRequired") },
    ];
    for (const field of expected) {
      const input = page.getByLabel(field.label, { exact: true });
      await expect(input).toHaveAttribute("aria-invalid", "true");
      await expect(input).toHaveAttribute("aria-describedby", new RegExp(`\\b${field.id}-error\\b`));
      // Next to the field: inside the field's own container.
      await expect(page.locator(".field", { has: input }).locator(".field-error")).toHaveText(field.error);
      await expect(summary.getByRole("link", { name: field.error, exact: true })).toHaveAttribute(
        "href",
        `#${field.id}`,
      );
    }
    await expect(page).toHaveURL(/\/loyalty\/join(\?.*)?$/);

    // Everything valid but the terms: refused as well…
    const email = uniqueEmail(`j1-errors-${locale}`);
    await fillJoinForm(page, locale, { firstName: "Jean", lastName: "Weber", email, acceptTerms: false });
    await submitJoinForm(page, locale);
    await expect(page.getByLabel(s("join.terms"), { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#terms-error")).toHaveText(s("join.errors.termsRequired"));
    await expect(page).toHaveURL(/\/loyalty\/join(\?.*)?$/);

    // …and nothing was created: the same address then gets a brand-new card, not "already a member".
    await page.getByLabel(s("join.terms"), { exact: true }).check();
    await submitJoinForm(page, locale);
    await page.waitForURL(/\/loyalty\/join\/success\?/);
    expect(new URL(page.url()).searchParams.get("existing")).toBeNull();
    expect(cardTokenFrom(page.url())).toBeTruthy();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("success.heading"));
  });
}

for (const locale of locales) {
  test(`join form in ${how(locale)}: 31/2/1990 is refused as an invalid birthday`, async ({ page }) => {
    const s = (key: string) => t(locale, `storefront:${key}`);
    await page.goto(storeUrl(fashionHub.subdomain, "/loyalty/join", langQuery(locale)));
    await fillJoinForm(page, locale, {
      firstName: "Anna",
      lastName: "Schmit",
      email: uniqueEmail(`j1-bday-${locale}`),
      birthday: { day: "31", month: "2", year: "1990" },
    });
    await submitJoinForm(page, locale);
    const birthday = page.getByRole("group", { name: s("join.birthday") });
    await expect(birthday.locator(".field-error")).toHaveText(s("join.errors.birthdayInvalid"));
    await expect(birthday).toHaveAttribute("aria-describedby", /\bbirthday-error\b/);
    for (const part of ["day", "month", "year"]) {
      await expect(birthday.getByLabel(s(`join.${part}`), { exact: true })).toHaveAttribute("aria-invalid", "true");
    }
    await expect(page.getByRole("alert").getByRole("link", { name: s("join.errors.birthdayInvalid") })).toBeVisible();
    await expect(page).toHaveURL(/\/loyalty\/join(\?.*)?$/);
  });
}

test.describe("a store with loyalty switched off", () => {
  if (!wizaMart) throw new Error("demo-tenants.server.ts no longer has WizaMart");
  for (const locale of locales) {
    const query = locale === wizaMart.defaultLanguage ? {} : { lang: locale };
    const label = locale === wizaMart.defaultLanguage ? `${locale} (store default)` : `${locale} (?lang=${locale})`;
    test(`WizaMart shows the localized "not available" page with HTTP 404 in ${label}`, async ({ page }) => {
      for (const pathname of ["/", "/loyalty/join"]) {
        const response = await page.goto(storeUrl(wizaMart.subdomain, pathname, query));
        expect(response?.status(), `${pathname} answers 404`).toBe(404);
        await expect(page.locator("html")).toHaveAttribute("lang", locale);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(
          t(locale, "common:errors.loyaltyUnavailable.title"),
        );
        await expect(
          page.getByText(t(locale, "common:errors.loyaltyUnavailable.body", { store: wizaMart.name }), { exact: true }),
        ).toBeVisible();
        await expect(page.getByRole("link", { name: t(locale, "common:errors.backHome"), exact: true })).toBeVisible();
      }
    });
  }
});
