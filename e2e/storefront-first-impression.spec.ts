import type { Locator, Page } from "@playwright/test";
import { brandPalette, contrastRatio, minimumTextContrast } from "../app/branding/contrast";
import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { platformUrl, storeUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, locales, t } from "./fixtures/i18n";
import { waitForEmail } from "./fixtures/mail";
import { enrollShopper, fillJoinForm } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * What a shopper sees first on a storefront: the merchant's colours and logo with readable text,
 * the stamp card, the default terms, a language switch that keeps the form, the phone layout,
 * "find my card" after an error, titles that follow navigation and the refusal pages' frame.
 */

const programOf = (slug: string) => {
  const program = demoMerchants.find((merchant) => merchant.slug === slug)?.program;
  if (!program) throw new Error(`seed.server.ts has no ${slug} program`);
  return program;
};
const wizaTech = programOf("wizatech");
const luxWeb = programOf("luxweb");
const s = (locale: Locale, key: string, vars?: Record<string, string | number>) => t(locale, `storefront:${key}`, vars);

/** A computed CSS colour (`rgb(r, g, b)`) as `#rrggbb`. */
async function cssColor(locator: Locator, property: "color" | "background-color"): Promise<string> {
  const value = await locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
  const numbers = value.match(/\d+(\.\d+)?/g) ?? [];
  if (numbers.length === 4 && Number(numbers[3]) === 0) throw new Error(`transparent ${property}: measure its parent`);
  const channels = numbers.slice(0, 3);
  if (channels.length !== 3) throw new Error(`unexpected colour ${value}`);
  return `#${channels.map((channel) => Math.round(Number(channel)).toString(16).padStart(2, "0")).join("")}`;
}

async function expectReadable(text: Locator, background: Locator, what: string) {
  const ratio = contrastRatio(await cssColor(text, "color"), await cssColor(background, "background-color"));
  expect(ratio, `${what}: contrast ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(minimumTextContrast);
}

test.describe("branding", () => {
  for (const [subdomain, program] of [
    ["wizatech", wizaTech],
    ["luxweb", luxWeb],
  ] as const) {
    test(`${subdomain}: header, logo and button in the program's colours, every text at AA contrast`, async ({
      page,
    }) => {
      await page.goto(storeUrl(subdomain, "/", { lang: "en" }));
      const header = page.locator("header.site-header");
      const palette = brandPalette(program.brandColor);
      expect(await cssColor(header, "background-color")).toBe(palette.brand);
      await expect(header.locator("img.brand-logo")).toHaveAttribute("src", program.logoUrl);
      expect(await header.locator("img.brand-logo").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(64);
      await expectReadable(header.locator(".brand span"), header, "store name on the header");
      await expectReadable(header.getByRole("link", { name: s("en", "nav.join") }), header, "header link");
      const join = page.getByRole("link", { name: s("en", "home.joinCta"), exact: true });
      expect(await cssColor(join, "background-color")).toBe(palette.accentText);
      await expectReadable(join, join, "join button");
      await expectReadable(page.getByRole("link", { name: s("en", "home.findCardCta") }), page.locator("html"), "link");
    });
  }

  test("two demo stores look different: their own colour and logo", async ({ page }) => {
    await page.goto(storeUrl("wizatech", "/"));
    const wizaHeader = await cssColor(page.locator("header.site-header"), "background-color");
    const wizaLogo = await page.locator("img.brand-logo").getAttribute("src");
    await page.goto(storeUrl("luxweb", "/"));
    expect(await cssColor(page.locator("header.site-header"), "background-color")).not.toBe(wizaHeader);
    expect(await page.locator("img.brand-logo").getAttribute("src")).not.toBe(wizaLogo);
    // LuxWeb's light blue takes black text, and its links a darker shade of it.
    expect(brandPalette(luxWeb.brandColor).onBrand).toBe("#000000");
    expect(brandPalette(luxWeb.brandColor).accentText).not.toBe(luxWeb.brandColor);
  });
});

test("a stamps program shows a stamp card, not a progress bar, from the success page to the card page", async ({
  page,
}) => {
  const locale: Locale = "en";
  await enrollShopper(page, {
    subdomain: "wizatech",
    locale,
    shopper: { firstName: "Lena", lastName: "Hoffmann", email: uniqueEmail("stamp-grid") },
  });
  const label = s(locale, "stampCard.label", { count: wizaTech.welcomeBonus, total: wizaTech.stampsPerCard });
  expect(label).toBe("1 of 10 stamps");
  await expect(page.getByRole("img", { name: label, exact: true })).toBeVisible();
  await expect(page.locator(".stamp-filled")).toHaveCount(wizaTech.welcomeBonus);
  await expect(page.locator(".stamp")).toHaveCount(wizaTech.stampsPerCard);
  await expect(page).toHaveTitle(s(locale, "success.title", { store: "WizaTech" }));

  await page.getByRole("link", { name: s(locale, "success.viewCard") }).click();
  await expect(page).toHaveTitle(s(locale, "card.title", { store: "WizaTech" }));
  await expect(page.getByRole("img", { name: label, exact: true })).toBeVisible();
  await expect(page.locator("progress")).toHaveCount(0);
});

test.describe("find my card", () => {
  test("the first click after an error sends the link", async ({ page }) => {
    const locale: Locale = "fr";
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener("securitypolicyviolation", (event) => seen.push(event.violatedDirective));
    });
    await page.goto(storeUrl("fashionhub", "/loyalty/card", { lang: locale }));
    const email = page.getByLabel(s(locale, "findCard.email"), { exact: true });
    const send = page.getByRole("button", { name: s(locale, "findCard.submit"), exact: true });

    // A wrong address and one click: the message appears, and the button was clicked.
    await email.fill("not-an-address");
    await send.click();
    await expect(page.locator("#email-error")).toHaveText(s(locale, "join.errors.emailInvalid"));

    // Corrected, then one click right away: that click sends the request.
    await email.fill(uniqueEmail("find-first-click"));
    await send.click();
    await expect(page.getByText(s(locale, "findCard.sent"), { exact: true })).toBeVisible();
    await expect(page.locator("#email-error")).toHaveCount(0);
    await expect(page).toHaveTitle(s(locale, "findCard.title", { store: "FashionHub" }));
    // The page broke no rule of the CSP.
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });
});

test("a page with errors says so in its title, in French with the space before the colon", async ({ page }) => {
  await page.goto(storeUrl("fashionhub", "/loyalty/join", { lang: "fr" }));
  await page.getByRole("button", { name: s("fr", "join.submit"), exact: true }).click();
  const title = s("fr", "join.title", { store: "FashionHub" });
  const problem = t("fr", "common:form.errorSummary");
  await expect(page).toHaveTitle(t("fr", "common:form.titleWithErrors", { problem, title }));
  expect(await page.title()).toBe(`Il y a un problème\u00a0: ${title}`);
});

test.describe("a storefront page is plain HTML (ADR 043)", () => {
  test("it requests no script, and a second tap on Join while the first is on its way sends nothing", async ({
    page,
  }) => {
    const scripts: string[] = [];
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto(storeUrl("fashionhub", "/loyalty/join", { lang: "en" }));
    await fillJoinForm(page, "en", { firstName: "Once", lastName: "Only", email: uniqueEmail("submit-once") });
    const join = page.getByRole("button", { name: s("en", "join.submit"), exact: true });
    await expect(join.locator(".spinner")).toBeHidden();
    // What each submission looked like once the page's script had seen it, kept across the navigation.
    await page.evaluate(() => {
      addEventListener("submit", (event) => {
        const button = event.submitter;
        const seen = JSON.parse(sessionStorage.getItem("submissions") ?? "[]");
        seen.push({
          busy: button?.getAttribute("aria-busy"),
          spinner: button?.querySelector(".spinner")?.checkVisibility(),
          sent: !event.defaultPrevented,
        });
        sessionStorage.setItem("submissions", JSON.stringify(seen));
      });
    });
    // Two taps: the second lands while the first submission is on its way.
    await join.dblclick();
    await expect(page).toHaveURL(/\/loyalty\/join\/success\?card=/);
    await expect(page).toHaveTitle(s("en", "success.title", { store: "FashionHub" }));
    expect(posts).toHaveLength(1);
    expect(JSON.parse((await page.evaluate(() => sessionStorage.getItem("submissions"))) ?? "[]")).toEqual([
      { busy: "true", spinner: true, sent: true },
      { busy: "true", spinner: true, sent: false },
    ]);
    expect(scripts).toEqual([]);
  });
});

test.describe("switching language on the join form", () => {
  async function switchAndCheck(page: Page) {
    const email = uniqueEmail("language-switch");
    await page.goto(storeUrl("bookworld", "/loyalty/join", { lang: "fr" }));
    await fillJoinForm(page, "fr", {
      firstName: "Élise",
      lastName: "Schmit",
      email,
      phone: "621 123 456",
      birthday: { day: "27", month: "3", year: "1990" },
    });
    await page
      .getByRole("navigation", { name: t("fr", "common:languageSwitcher.label") })
      .getByRole("button", { name: t("fr", "common:languageNames.de") })
      .click();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(s("de", "join.title", { store: "BookWorld" }));
    await expect(page.getByLabel(s("de", "join.firstName"), { exact: true })).toHaveValue("Élise");
    await expect(page.getByLabel(s("de", "join.lastName"), { exact: true })).toHaveValue("Schmit");
    await expect(page.getByLabel(s("de", "join.email"), { exact: true })).toHaveValue(email);
    await expect(page.getByLabel(s("de", "join.phone"), { exact: true })).toHaveValue("621 123 456");
    const birthday = page.getByRole("group", { name: s("de", "join.birthday") });
    await expect(birthday.getByLabel(s("de", "join.year"), { exact: true })).toHaveValue("1990");
    await expect(page.getByLabel(s("de", "join.terms"), { exact: true })).toBeChecked();
    // A switch is not a sign-up: no errors, and the form still joins in the new language.
    await expect(page.locator(".field-error")).toHaveCount(0);
    await page.getByRole("button", { name: s("de", "join.submit"), exact: true }).click();
    await expect(page).toHaveURL(/\/loyalty\/join\/success\?card=/);
    await expect(page).toHaveTitle(s("de", "success.title", { store: "BookWorld" }));
  }

  test("with JavaScript on, what was typed stays (the page's one script lets a language button through)", async ({
    page,
  }) => {
    await switchAndCheck(page);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });
    test("what was typed stays", async ({ page }) => {
      await switchAndCheck(page);
    });
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const locale of locales) {
    test(`the language switcher takes one row and nothing scrolls sideways (${locale})`, async ({ page }) => {
      for (const path of ["/", "/loyalty/join", "/loyalty/card"]) {
        await page.goto(storeUrl("fashionhub", path, { lang: locale }));
        const switcher = page.getByRole("navigation", { name: t(locale, "common:languageSwitcher.label") });
        const items = switcher.getByRole("listitem");
        await expect(items).toHaveCount(4);
        const tops = new Set<number>();
        for (const box of await items.evaluateAll((elements) =>
          elements.map((element) => Math.round(element.getBoundingClientRect().top)),
        ))
          tops.add(box);
        expect([...tops], `${path}: one row`).toHaveLength(1);
        // Each language keeps its full name for screen readers.
        for (const lang of locales) {
          await expect(
            switcher.getByRole(path === "/loyalty/join" && lang !== locale ? "button" : "link", {
              name: t(locale, `common:languageNames.${lang}`),
              exact: true,
            }),
          ).toHaveCount(1);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path}: no horizontal scroll`).toBeLessThanOrEqual(0);
      }
    });
  }
});

test.describe("the platform's default terms", () => {
  test.afterAll(async () => {
    await withDatabase(
      (sql) =>
        sql`update loyalty_programs set terms_url = ${programOf("bookworld").termsUrl}
            where merchant_id = (select id from merchants where slug = 'bookworld')`,
    );
  });

  test("a program without terms links to them, in each of the four languages", async ({ page }) => {
    await withDatabase(
      (sql) =>
        sql`update loyalty_programs set terms_url = null
            where merchant_id = (select id from merchants where slug = 'bookworld')`,
    );
    for (const locale of locales) {
      await page.goto(storeUrl("bookworld", "/loyalty/join", { lang: locale }));
      const link = page.getByRole("link", { name: s(locale, "join.termsLink"), exact: true });
      await expect(link).toHaveAttribute("href", "/terms");
      await page.goto(storeUrl("bookworld", "/terms", { lang: locale }));
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page).toHaveTitle(s(locale, "terms.title"));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(s(locale, "terms.title"));
      const program = programOf("bookworld").name[locale];
      await expect(page.locator("main > p").first()).toHaveText(
        s(locale, "terms.operatorStore", { merchant: "BookWorld", program }),
      );
      await expect(page.getByRole("heading", { level: 2 })).toHaveCount(7);
    }
  });

  test("a demo program links to its own terms page", async ({ page }) => {
    await page.goto(storeUrl("wizatech", "/loyalty/join", { lang: "en" }));
    const link = page.getByRole("link", { name: s("en", "join.termsLink"), exact: true });
    await expect(link).toHaveAttribute("href", wizaTech.termsUrl);
    const response = await page.goto(storeUrl("wizatech", wizaTech.termsUrl));
    expect(response?.status()).toBe(200);
    await expect(page.locator("section[lang]")).toHaveCount(4);
  });
});

test.describe("refusal pages", () => {
  test("a store with loyalty off keeps its header and footer and links to its website", async ({ page }) => {
    const response = await page.goto(storeUrl("wizamart", "/", { lang: "de" }));
    expect(response?.status()).toBe(404);
    await expect(page.locator("header.site-header .brand")).toHaveText("WizaMart");
    await expect(page.locator("footer.site-footer")).toHaveText(t("de", "common:poweredBy"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("de", "common:errors.loyaltyUnavailable.title"));
    await expect(
      page.getByRole("main").getByRole("link", { name: s("de", "storeFrame.website", { store: "WizaMart" }) }),
    ).toHaveAttribute("href", "https://wizamart.example");
  });

  test.describe("an unknown store", () => {
    test.use({ locale: "de-DE" });
    test("answers in the browser's language and points to the stores that exist", async ({ page }) => {
      const response = await page.goto(storeUrl("no-such-store", "/loyalty/join"));
      expect(response?.status()).toBe(404);
      await expect(page.locator("html")).toHaveAttribute("lang", "de");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("de", "common:errors.unknownHost.title"));
      const onwards = page.getByRole("link", { name: s("de", "storeFrame.storeDirectory") });
      await onwards.click();
      await expect(page.getByRole("link", { name: "WizaTech" })).toBeVisible();
    });
  });
});

test.describe("what search engines and tabs see", () => {
  for (const locale of locales) {
    test(`storefront pages in ${locale} describe the store and their titles follow navigation`, async ({ page }) => {
      const store = "BookWorld";
      await page.goto(storeUrl("bookworld", "/", { lang: locale }));
      const nav = page.getByRole("navigation", { name: s(locale, "nav.main") });
      const steps = [
        {
          go: nav.getByRole("link", { name: s(locale, "nav.join"), exact: true }),
          title: s(locale, "join.title", { store }),
        },
        {
          go: nav.getByRole("link", { name: s(locale, "nav.findCard"), exact: true }),
          title: s(locale, "findCard.title", { store }),
        },
        { go: page.locator("header a.brand"), title: s(locale, "home.title", { store }) },
      ];
      for (const step of steps) {
        await step.go.click();
        await expect(page).toHaveTitle(step.title);
        await expect(page.locator('meta[name="description"]')).toHaveCount(1);
        expect(await page.locator('meta[name="description"]').getAttribute("content")).toBeTruthy();
        await expect(page.locator('meta[name="robots"]')).toHaveCount(0);
      }
      for (const path of ["/terms", "/privacy"]) {
        await page.goto(storeUrl("bookworld", path, { lang: locale }));
        expect(await page.locator('meta[name="description"]').getAttribute("content")).toBeTruthy();
      }
    });
  }

  test("staff pages ask search engines to stay away", async ({ page }) => {
    for (const path of ["/login", "/forgot-password", "/terminal"]) {
      await page.goto(platformUrl(path));
      await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
    }
  });
});

test("an online-only store (LuxWeb) never sends its shoppers to a counter", async ({ page }) => {
  const locale: Locale = "lb";
  const email = uniqueEmail("online-only");
  const { token } = await enrollShopper(page, {
    subdomain: "luxweb",
    locale,
    shopper: { firstName: "Jos", lastName: "Schmit", email },
  });
  await page.goto(storeUrl("luxweb", `/loyalty/card/${token}`, { lang: locale }));
  await expect(page.getByText(s(locale, "onlineOnly.qrHint"), { exact: true })).toBeVisible();
  await expect(page.getByText(s(locale, "card.qrHint"), { exact: true })).toHaveCount(0);

  const enrollment = await waitForEmail({ to: email, subjectIncludes: "LuxWeb" });
  expect(enrollment.text).toContain(t(locale, "email:onlineOnly.qrHint"));
  for (const counter of [t(locale, "email:qrHint"), "Keess"]) expect(enrollment.text).not.toContain(counter);
});
