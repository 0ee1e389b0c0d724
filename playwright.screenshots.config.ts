import { defineConfig } from "@playwright/test";
import journeys from "./playwright.config";

/**
 * `npm run screenshots`: every storefront, sign-in, console and terminal page at 1280 and 390 px
 * in the four languages, written to screenshots/ (git-ignored). Same app, browser and fixtures as
 * the journeys, but not part of `npm test`: it takes pictures, it asserts little.
 */
export default defineConfig({
  ...journeys,
  testMatch: "screenshots.shots.ts",
  reporter: [["list"]],
  // Hundreds of pages in one run on a shared machine.
  timeout: 30 * 60_000,
  use: { ...journeys.use, trace: "off", screenshot: "off" },
});
