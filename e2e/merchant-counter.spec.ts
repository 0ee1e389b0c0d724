import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { platformUrl } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { demoStaff, signIn } from "./fixtures/staff";
import { expect, test } from "./fixtures/test";

/**
 * Counter staff and devices in the merchant portal. The Fashion Group owner (French) adds a
 * person with a PIN at FashionHub, creates a pairing code (shown as text and as a QR code), and
 * the test pairs a device with that code through the terminal API, as a new terminal would. The
 * device appears in the portal; the owner revokes it after a confirmation, and the API then
 * refuses its token with `device_revoked`.
 */

// A Portuguese browser: the portal's language comes from the owner's saved preference.
test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const fashionHub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
if (!fashionHub) throw new Error("demo-tenants.server.ts no longer has FashionHub");

const terminalApi = (path: string) => platformUrl(`/api/terminal/v1${path}`);

test("the owner adds counter staff with a PIN, pairs a device with a code and revokes it", async ({
  page,
  request,
}) => {
  const locale: Locale = demoStaff.owner.preferredLanguage;
  const c = (key: string, vars?: Record<string, string | number>) => t(locale, `console:counter.${key}`, vars);
  const person = `Julie ${Date.now().toString(36)}`;
  const deviceName = `Comptoir ${Date.now().toString(36)}`;

  await test.step("the owner opens Counter staff and picks FashionHub", async () => {
    await signIn(page, demoStaff.owner.email, demoStaff.owner.password);
    await page.goto(platformUrl("/merchant/cards"));
    await page
      .getByRole("navigation", { name: t(locale, "console:shell.mainNav") })
      .getByRole("link", { name: c("nav.staff"), exact: true })
      .click();
    await expect(page).toHaveURL(/\/merchant\/counter-staff$/);
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("nav.staff"));
    await page.getByRole("link", { name: fashionHub.name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("staff.title", { store: fashionHub.name }));
  });

  await test.step("a PIN that is not 4 to 6 digits is refused next to the field", async () => {
    await page.getByLabel(c("staff.name"), { exact: true }).fill(person);
    await page.getByLabel(c("pin.pin"), { exact: true }).fill("12");
    await page.getByLabel(c("pin.confirm"), { exact: true }).fill("12");
    await page.getByRole("button", { name: c("staff.add"), exact: true }).click();
    await expect(page.locator(".field-error").filter({ hasText: c("errors.pinFormat") })).toBeVisible();
    await expect(page.getByLabel(c("pin.pin"), { exact: true })).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("with a good PIN typed twice, the person is added and listed, the PIN not shown", async () => {
    await page.getByLabel(c("pin.pin"), { exact: true }).fill("482913");
    await page.getByLabel(c("pin.confirm"), { exact: true }).fill("482913");
    // Leaving the field clears its message first, so the toggle below does not move under the pointer.
    await page.getByLabel(c("pin.confirm"), { exact: true }).press("Tab");
    await expect(page.locator(".field-error")).toHaveCount(0);
    await page.getByRole("button", { name: c("pin.showPin"), exact: true }).click();
    await expect(page.getByLabel(c("pin.pin"), { exact: true })).toHaveAttribute("type", "text");
    await page.getByRole("button", { name: c("staff.add"), exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(c("staff.added", { name: person }));
    const row = page.locator("table tbody tr").filter({ hasText: person });
    await expect(row).toContainText(c("staff.active"));
    await expect(row).toContainText(c("staff.never"));
    expect(await page.content()).not.toContain("482913");
  });

  const code = await test.step("on the devices page, a pairing code appears as text and as a QR code", async () => {
    await page.getByRole("link", { name: c("staff.devicesLink"), exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("devices.title", { store: fashionHub.name }));
    await page.getByRole("button", { name: c("pairing.create"), exact: true }).click();
    const shown = page.getByTestId("pairing-code");
    await expect(shown).toHaveText(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const value = (await shown.textContent()) ?? "";
    const qr = page.getByRole("img", { name: c("pairing.qrLabel", { code: value }), exact: true });
    await expect(qr).toBeVisible();
    await expect(qr.locator("svg")).toBeVisible();
    await expect(page.getByText(c("pairing.expires", { time: "§" }).split("§")[0] ?? "")).toBeVisible();
    await expect(page.getByRole("link", { name: platformUrl("/terminal"), exact: true })).toHaveAttribute(
      "href",
      platformUrl("/terminal"),
    );
    return value;
  });

  const token = await test.step("a new terminal pairs with that code through the API", async () => {
    const response = await request.post(terminalApi("/devices/pair"), { data: { code, name: deviceName } });
    expect(response.status()).toBe(201);
    const body = (await response.json()) as { deviceToken: string; store: { id: string; name: string } };
    expect(body.store.name).toBe(fashionHub.name);
    const bootstrap = await request.get(terminalApi("/bootstrap"), {
      headers: { authorization: `Bearer ${body.deviceToken}` },
    });
    expect(bootstrap.status()).toBe(200);
    return body.deviceToken;
  });

  await test.step("the device is listed; the owner revokes it after a confirmation", async () => {
    await page.reload();
    await expect(page.getByTestId("pairing-code")).toHaveCount(0);
    const row = page.locator("table tbody tr").filter({ hasText: deviceName });
    await expect(row).toContainText(c("devices.active"));
    await row.getByRole("link", { name: c("devices.manageLabel", { name: deviceName }), exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(deviceName);
    await page.getByRole("link", { name: c("device.revoke"), exact: true }).click();
    await expect(page.getByRole("heading", { name: c("device.confirmTitle", { name: deviceName }) })).toBeVisible();
    await page.getByRole("button", { name: c("device.confirmSubmit"), exact: true }).click();
    await expect(page.getByRole("status")).toHaveText(c("device.done.revoked"));
    await page.getByRole("link", { name: c("device.back", { store: fashionHub.name }), exact: true }).click();
    await expect(page.locator("table tbody tr").filter({ hasText: deviceName })).toContainText(
      c("devices.revokedOn", { date: "§" }).split("§")[0] ?? "",
    );
  });

  await test.step("the API now refuses the device's token: 401 device_revoked", async () => {
    const response = await request.get(terminalApi("/bootstrap"), { headers: { authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "device_revoked" } });
  });
});
