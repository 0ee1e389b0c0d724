import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end journeys (docs/user-journeys.md) against the real app, an embedded
 * PostgreSQL and a capturing SMTP server, all started once by e2e/global-setup.ts.
 * One worker: every spec shares that app and that SMTP server.
 *
 * The browser is Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) when present,
 * since Playwright cannot download its own here; elsewhere Playwright's bundled Chromium is used.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const executablePath = existsSync(chromiumPath) ? chromiumPath : undefined;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never" }]],
  use: {
    // No baseURL: each store has its own host, see storeUrl() in e2e/fixtures/app.ts.
    browserName: "chromium",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
});
