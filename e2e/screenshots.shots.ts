import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { type Locale, locales } from "./fixtures/i18n";
import {
  adminPages,
  enrollSampleShopper,
  inLanguage,
  merchantPages,
  type PageVisit,
  platformPages,
  type SampleCard,
  setUpCounter,
  signInAs,
  storefrontPages,
  walkTerminal,
} from "./fixtures/pages";
import { terminalUrl } from "./fixtures/terminal";
import { test } from "./fixtures/test";

/**
 * Takes a full-page picture of every page (e2e/fixtures/pages.ts) at a desktop and a phone width
 * in every language: screenshots/<width>/<locale>/<page>.png. Run with `npm run screenshots`.
 */

const outDir = path.resolve(import.meta.dirname, "..", "screenshots");
const widths = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

async function shoot(page: Page, width: number, locale: Locale, name: string) {
  const dir = path.join(outDir, String(width), locale);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, animations: "disabled" });
}

async function shootAll(page: Page, width: number, locale: Locale, visits: PageVisit[]) {
  for (const visit of visits) {
    await page.goto(inLanguage(visit.url, locale));
    await shoot(page, width, locale, visit.name);
  }
}

let card: SampleCard;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  card = await enrollSampleShopper(page);
  await page.close();
});

for (const viewport of widths) {
  for (const locale of locales) {
    test.describe(`${viewport.width} px, ${locale}`, () => {
      test.use({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });

      test("storefront and sign-in pages", async ({ page }) => {
        await shootAll(page, viewport.width, locale, [...storefrontPages(card), ...platformPages()]);
      });

      test("admin console", async ({ page }) => {
        await signInAs(page, "admin", locale);
        await shootAll(page, viewport.width, locale, await adminPages(card));
      });

      test("merchant portal and terminal", async ({ page }) => {
        await page.goto(terminalUrl({ lang: locale }));
        await shoot(page, viewport.width, locale, "terminal-pairing");
        const counter = await setUpCounter(page, locale);
        await walkTerminal(page, locale, counter, card, (name) => shoot(page, viewport.width, locale, name));
        await signInAs(page, "owner", locale);
        await shootAll(page, viewport.width, locale, await merchantPages(card, counter));
      });
    });
  }
}
