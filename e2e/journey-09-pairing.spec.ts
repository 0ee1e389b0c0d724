import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LaunchOptions } from "@playwright/test";
import { withDatabase } from "./fixtures/app";
import type { Locale } from "./fixtures/i18n";
import { newPairingCode, pairByTyping, terminalUrl, tt, writeQrVideo } from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Journey 9 — Pairing. A manager's one-time code (created through the same service as the
 * merchant portal's "Pair a device") is typed into a fresh browser's /terminal: the terminal is
 * paired to FashionHub, remembers it across reloads, and the code cannot pair a second device.
 * The page follows the browser's language (French here) and can be switched on the spot.
 *
 * A second terminal pairs by scanning the portal's QR code (its content is the plain pairing
 * code) with the camera: Chromium's fake camera plays a video of that QR code.
 */

test.use({ locale: "fr-FR" });
const locale: Locale = "fr";

test("a new terminal is paired by typing the manager's code, in the browser's language", async ({ page, browser }) => {
  const code = await newPairingCode("FASHIONHUB");
  const deviceName = `Caisse J9 ${Date.now().toString(36)}`;

  await test.step("the terminal opens in French on the pairing screen", async () => {
    await page.goto(terminalUrl());
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(page).toHaveTitle(tt(locale, "title"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "pairing.title"));
  });

  await test.step("a mistyped code is refused with a clear French message", async () => {
    await page.getByLabel(tt(locale, "pairing.code"), { exact: true }).fill("AAAA-AAAA");
    await page.getByRole("button", { name: tt(locale, "pairing.submit"), exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(tt(locale, "errors.invalid_pairing_code"));
  });

  await test.step("the manager's code pairs it (typed in lower case, as staff do): staff list shown", async () => {
    await pairByTyping(page, locale, code.toLowerCase(), deviceName);
    await expect(page.getByText("FashionHub", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Marie", exact: true })).toBeVisible();
    await expect(page.getByText(tt(locale, "status.queueEmpty"), { exact: true })).toBeVisible();
    const [device] = await withDatabase(
      (sql) => sql<{ paired_at: Date | null; app_version: string | null }[]>`
        select paired_at, app_version from terminal_devices where name = ${deviceName}`,
    );
    expect(device?.paired_at).not.toBeNull();
  });

  await test.step("after a reload the terminal is still paired", async () => {
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "unlock.title"));
  });

  await test.step("the language switcher turns the terminal German at once, and it stays German", async () => {
    await page
      .getByRole("navigation", { name: tt(locale, "language.label") })
      .getByRole("button", { name: "Deutsch" })
      .click();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt("de", "unlock.title"));
    await expect(page).toHaveTitle(tt("de", "title"));
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt("de", "unlock.title"));
  });

  await test.step("the same code cannot pair a second device", async () => {
    const other = await browser.newContext({ locale: "en-GB" });
    const second = await other.newPage();
    await second.goto(terminalUrl());
    await expect(second.locator("html")).toHaveAttribute("lang", "en");
    await second.getByLabel(tt("en", "pairing.code"), { exact: true }).fill(code);
    await second.getByRole("button", { name: tt("en", "pairing.submit"), exact: true }).click();
    await expect(second.getByRole("alert")).toHaveText(tt("en", "errors.invalid_pairing_code"));
    await other.close();
  });
});

/** A worker whose Chromium has a fake camera filming the QR code of a fresh pairing code. */
const withCamera = test.extend<object, { scannedCode: string; launchOptions: LaunchOptions }>({
  scannedCode: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      await use(await newPairingCode("FASHIONHUB"));
    },
    { scope: "worker" },
  ],
  launchOptions: [
    async ({ launchOptions, scannedCode }, use) => {
      const video = path.join(os.tmpdir(), `rewardflow-pairing-qr-${process.pid}.y4m`);
      await writeQrVideo(video, scannedCode);
      await use({
        ...launchOptions,
        args: [
          ...(launchOptions.args ?? []),
          "--use-fake-ui-for-media-stream",
          "--use-fake-device-for-media-stream",
          `--use-file-for-fake-video-capture=${video}`,
        ],
      });
      await rm(video, { force: true });
    },
    { scope: "worker" },
  ],
});

withCamera(
  "a terminal is paired by scanning the portal's QR code with the camera",
  async ({ page, context, scannedCode }) => {
    await context.grantPermissions(["camera"]);
    const deviceName = `Caisse J9 caméra ${Date.now().toString(36)}`;
    await page.goto(terminalUrl());
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "pairing.title"));
    await page.getByLabel(tt(locale, "pairing.name"), { exact: true }).fill(deviceName);
    await page.getByRole("button", { name: tt(locale, "pairing.scan"), exact: true }).click();
    await expect(page.getByRole("region", { name: tt(locale, "pairing.scanTitle") })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt(locale, "unlock.title"), { timeout: 30_000 });
    await expect(page.getByLabel(tt(locale, "pairing.code"))).toHaveCount(0);
    const [device] = await withDatabase(
      (sql) => sql<{ paired_at: Date | null }[]>`select paired_at from terminal_devices where name = ${deviceName}`,
    );
    expect(device?.paired_at).not.toBeNull();
    expect(scannedCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  },
);
