import type { Page } from "@playwright/test";
import { formatDate, formatNumber } from "../app/i18n/format";
import { platformUrl } from "./fixtures/app";
import { type Locale, locales } from "./fixtures/i18n";
import { createStaffUser, signIn } from "./fixtures/staff";
import { expect, test, waitForHydration } from "./fixtures/test";

/**
 * Numbers and dates a page formats while it renders are the same before and after hydration in
 * every language, Luxembourgish included, although Chromium's ICU has no `lb` (its Intl would
 * answer in en-US: "€0", "0%"). The browser-error guard fails a test on any hydration mismatch.
 */

/** The texts of `selector` as the server sent them: the page loaded with its scripts refused. */
async function serverTexts(page: Page, url: string, selector: string): Promise<string[]> {
  await page.route("**/*.js", (route) => route.abort());
  await page.goto(url);
  const texts = await page.locator(selector).allTextContents();
  await page.unroute("**/*.js");
  return texts;
}

for (const locale of locales) {
  test(`the merchant's analytics in ${locale}: figures formatted alike by the server and the browser`, async ({
    page,
  }) => {
    // A staff member of their own: ?lang= becomes the signed-in user's saved language.
    const owner = await createStaffUser({
      tag: `analytics-${locale}`,
      role: "merchant_owner",
      merchantSlug: "fashion-group",
    });
    await signIn(page, owner.email, owner.password);
    const url = platformUrl("/merchant/analytics", { lang: locale });
    const figures = ".stat-value, .chart-data th[scope=row], .chart-data td";
    const fromServer = await serverTexts(page, url, figures);
    expect(fromServer.length).toBeGreaterThan(3);

    await page.goto(url);
    await waitForHydration(page.getByRole("heading", { level: 1 }));
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    const hydrated = await page.locator(figures).allTextContents();
    expect(hydrated).toEqual(fromServer);

    const [, revenue, rate] = await page.locator(".stat-value").allTextContents();
    // Euros and percentages written the way the language writes them (never en-US's "€0" in fr, de or lb).
    const euro = locale === "en" ? /^€[\d,]+$/ : /^[\d.]+\u00a0€$/;
    expect(revenue).toMatch(euro);
    expect(rate).toMatch(locale === "en" ? /^\d+%$/ : /^\d+\u00a0%$/);
    expect(formatNumber(locale as Locale, 0.5, { style: "percent" })).toBe(locale === "en" ? "50%" : "50\u00a0%");
    if (locale === "lb") {
      // A cohort heading in Luxembourgish month names, e.g. "Mäerz 2026", never "March 2026".
      const cohort = formatDate("lb", "2026-03-01T00:00:00Z", { shape: "longMonthYear", timeZone: "UTC" });
      expect(cohort).toBe("Mäerz 2026");
    }
  });

  test(`the admin dashboard's counts in ${locale} hydrate as the server wrote them`, async ({ page }) => {
    const admin = await createStaffUser({ tag: `dashboard-${locale}`, role: "platform_admin" });
    await signIn(page, admin.email, admin.password);
    const url = platformUrl("/admin", { lang: locale });
    const fromServer = await serverTexts(page, url, ".stat-value");
    expect(fromServer.length).toBeGreaterThan(0);
    await page.goto(url);
    await waitForHydration(page.getByRole("heading", { level: 1 }));
    expect(await page.locator(".stat-value").allTextContents()).toEqual(fromServer);
  });
}
