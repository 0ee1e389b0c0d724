import type { Page } from "@playwright/test";
import { platformUrl } from "./fixtures/app";
import {
  adminPages,
  enrollSampleShopper,
  inLanguage,
  merchantPages,
  type PageVisit,
  platformPages,
  type SampleCard,
  setUpCounter,
  sidewaysOverflow,
  signInAs,
  storefrontPages,
  walkTerminal,
} from "./fixtures/pages";
import { terminalUrl } from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * On a 390 × 844 phone no page scrolls sideways: the document is never wider than the window.
 * Wide content (tables, charts) scrolls inside its own box. Every console page is opened by the
 * role that uses it; every storefront page of every demo store; the terminal's screens.
 * German: its long words and labels are the widest of the four languages.
 */

// Not isMobile: a mobile layout viewport grows to fit wide content, which is what must not happen.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

const locale = "de";

/** Opens each page and returns those wider than the window, with how many pixels too wide. */
async function overflowingPages(page: Page, visits: PageVisit[]): Promise<string[]> {
  // One test walks a whole surface: its time grows with the number of pages, not its config.
  test.setTimeout(60_000 + visits.length * 5_000);
  const wide: string[] = [];
  for (const visit of visits) {
    await page.goto(inLanguage(visit.url, locale));
    // Still on the page asked for (not sent to the sign-in page, say).
    expect(new URL(page.url()).pathname, visit.name).toBe(new URL(visit.url).pathname);
    const overflow = await sidewaysOverflow(page);
    if (overflow > 0) wide.push(`${visit.name}: ${overflow}px wider than the phone`);
  }
  return wide;
}

let card: SampleCard;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  card = await enrollSampleShopper(page);
  await page.close();
});

test("storefront pages of every demo store fit a phone", async ({ page }) => {
  expect(await overflowingPages(page, storefrontPages(card))).toEqual([]);
});

test("sign-in pages fit a phone", async ({ page }) => {
  expect(await overflowingPages(page, platformPages())).toEqual([]);
});

test("admin console pages fit a phone, as the platform admin", async ({ page }) => {
  await signInAs(page, "admin", locale);
  expect(await overflowingPages(page, await adminPages(card))).toEqual([]);
});

test("merchant portal pages fit a phone, as the merchant owner", async ({ page }) => {
  const counter = await test.step("a paired terminal and a counter staff member to list", async () => {
    const terminal = await page
      .context()
      .browser()
      ?.newPage({ viewport: { width: 390, height: 844 } });
    if (!terminal) throw new Error("no browser");
    const setup = await setUpCounter(terminal, locale);
    await terminal.close();
    return setup;
  });
  await signInAs(page, "owner", locale);
  expect(await overflowingPages(page, await merchantPages(card, counter))).toEqual([]);
});

test("terminal screens fit a phone", async ({ page }) => {
  const wide: string[] = [];
  const measure = async (name: string) => {
    const overflow = await sidewaysOverflow(page);
    if (overflow > 0) wide.push(`${name}: ${overflow}px wider than the phone`);
  };
  await page.goto(terminalUrl({ lang: locale }));
  await measure("terminal-pairing");
  const counter = await setUpCounter(page, locale);
  await walkTerminal(page, locale, counter, card, measure);
  expect(wide).toEqual([]);
});

test("analytics charts keep axis labels readable on a phone", async ({ page }) => {
  await signInAs(page, "owner", locale);
  await page.goto(inLanguage(platformUrl("/merchant/analytics"), locale));
  const labels = page.locator("svg.chart-svg:visible text.chart-tick");
  await expect(labels.first()).toBeVisible();
  const heights = await labels.evaluateAll((texts) => texts.map((text) => text.getBoundingClientRect().height));
  // 12 px in the drawing; shrunk below about 10 px on screen it is no longer readable.
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
});
