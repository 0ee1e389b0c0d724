import type { KeyObject } from "node:crypto";
import { decodeJwt, jwtVerify } from "jose";
import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { formatCents } from "../app/terminal/amount";
import { generateServiceAccountKey } from "../app/test/google-wallet-fake";
import { e2eEnv, requireEnv } from "./env";
import { platformUrl, storeUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, locales, t } from "./fixtures/i18n";
import { demoStaff, signIn } from "./fixtures/staff";
import { cardIdFor, enrollShopper, fillJoinForm, submitJoinForm } from "./fixtures/storefront";
import {
  findCard,
  newCounterStaff,
  newPairingCode,
  pairByTyping,
  recordPurchase,
  tt,
  unlock,
} from "./fixtures/terminal";
import { expect, test } from "./fixtures/test";

/**
 * Google Wallet. Wallet starts unconfigured (the app only knows where Google's API is: the fake
 * of e2e/global-setup.ts): the success page has no Wallet button. The admin then configures it on
 * /admin/wallet with a service-account key generated here, whose token_uri is the fake's token
 * endpoint. A shopper enrolling in French, German or English sees "Add to Google Wallet" in that
 * language; clicking it leads to Google's save URL (answered here, never sent out), whose JWT
 * verifies with the key's public key and names that shopper's card. A purchase recorded at the
 * counter terminal for a card whose pass was saved reaches Google as a PATCH of the object with
 * the new balance. The validator then shows a failing token endpoint as a failed line with its
 * fix. An afterAll removes the saved settings.
 */

const issuerId = "3388000000012345678";
const walletApiUrl = () => requireEnv(e2eEnv.googleWalletApiUrl);
const fakeOrigin = () => new URL(walletApiUrl()).origin;
let key: { json: string; publicKey: KeyObject; clientEmail: string };

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  key = generateServiceAccountKey(`${fakeOrigin()}/token`);
  const trusted = await fetch(`${fakeOrigin()}/_fake/keys`, {
    method: "POST",
    body: JSON.stringify({
      clientEmail: key.clientEmail,
      publicKeyPem: key.publicKey.export({ type: "spki", format: "pem" }),
    }),
  });
  expect(trusted.ok).toBe(true);
});

test.afterAll(async () => {
  await withDatabase((sql) => sql`delete from admin_settings where category = 'wallet'`);
});

test("without Wallet configured, the success page has no Wallet button", async ({ page }) => {
  await enrollShopper(page, {
    subdomain: "fashionhub",
    locale: "fr",
    shopper: { firstName: "Sans", lastName: "Wallet", email: uniqueEmail("wallet-off") },
  });
  await expect(page.locator(".card-number")).toBeVisible();
  await expect(page.getByRole("link", { name: t("fr", "storefront:wallet.button") })).toHaveCount(0);
});

test("the admin configures Google Wallet with a service-account key", async ({ page }) => {
  await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { locale: "en" });
  await page.goto(platformUrl("/admin/wallet", { lang: "en" }));
  const l = (name: string) => t("en", `console:wallet.${name}`);
  const missing = [t("en", "console:wallet.missing.issuerId"), t("en", "console:wallet.missing.serviceAccountKey")];
  await expect(page.getByText(t("en", "console:wallet.notConfigured", { missing: missing.join(", ") }))).toBeVisible();
  await page.getByLabel(l("issuerId"), { exact: true }).fill(issuerId);
  await page.getByLabel(l("serviceAccountKey"), { exact: true }).fill(key.json);
  await page.getByLabel(l("origins"), { exact: true }).fill("https://fashionhub.example.com");
  await page.getByRole("button", { name: l("save"), exact: true }).click();
  await page.waitForURL(/\/admin\/wallet\?saved=1/);
  await expect(page.getByText(l("saved"))).toBeVisible();
  await expect(page.getByText(l("ready"))).toBeVisible();
  await expect(page.getByRole("cell", { name: key.clientEmail })).toBeVisible();
  // The private key is never sent back, not even into the form.
  expect(await page.content()).not.toContain("PRIVATE KEY");
  await expect(page.getByLabel(l("serviceAccountKey"), { exact: true })).toHaveValue("");
});

for (const locale of locales) {
  test(`a shopper enrolling in ${locale} adds the card to Google Wallet with a verified save link`, async ({
    page,
  }) => {
    const email = uniqueEmail(`wallet-${locale}`);
    await page.goto(storeUrl("fashionhub", "/loyalty/join", { lang: locale }));
    await fillJoinForm(page, locale, { firstName: "Wallet", lastName: `Shopper ${locale}`, email });
    await submitJoinForm(page, locale);
    await page.waitForURL(/\/loyalty\/join\/success\?card=/);
    const button = page.getByRole("link", { name: t(locale as Locale, "storefront:wallet.button") });
    await expect(button).toBeVisible();
    // Google's save page is answered here: the journey never leaves this machine.
    let saveUrl = "";
    await page.route("https://pay.google.com/**", (route) => {
      saveUrl = route.request().url();
      return route.fulfill({ status: 200, contentType: "text/html", body: "<title>Google Wallet</title>" });
    });
    await button.click();
    await page.waitForURL(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
    const jwt = saveUrl.slice("https://pay.google.com/gp/v/save/".length);
    const { payload, protectedHeader } = await jwtVerify(jwt, key.publicKey, {
      issuer: key.clientEmail,
      audience: "google",
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.typ).toBe("savetowallet");
    expect(payload.origins).toEqual(["https://fashionhub.example.com"]);
    const cardId = await cardIdFor(email, "fashion-group");
    const objects = (payload.payload as { loyaltyObjects: { id: string }[] }).loyaltyObjects;
    expect(objects.map((object) => object.id)).toEqual([`${issuerId}.card-${cardId}`]);
  });
}

test("a purchase at the counter patches the saved pass with the new balance", async ({ page }) => {
  const program = demoMerchants.find((merchant) => merchant.slug === "fashion-group")?.program;
  if (program?.kind !== "points")
    throw new Error("demo-tenants.server.ts no longer has Fashion Group's points program");
  const card = await enrollShopper(page, {
    subdomain: "fashionhub",
    locale: "fr",
    shopper: { firstName: "Paul", lastName: "Kremer", email: uniqueEmail("wallet-earn") },
  });
  let saveUrl = "";
  await page.route("https://pay.google.com/**", (route) => {
    saveUrl = route.request().url();
    return route.fulfill({ status: 200, contentType: "text/html", body: "<title>Google Wallet</title>" });
  });
  await page.getByRole("link", { name: t("fr", "storefront:wallet.button") }).click();
  await page.waitForURL(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  // The shopper saves the pass: Google creates the object the link carries.
  const objects = (
    decodeJwt(saveUrl.slice("https://pay.google.com/gp/v/save/".length)).payload as {
      loyaltyObjects: { id: string }[];
    }
  ).loyaltyObjects;
  const objectId = objects[0]?.id ?? "";
  const saved = await fetch(`${fakeOrigin()}/_fake/save`, { method: "POST", body: JSON.stringify({ objects }) });
  expect(saved.ok).toBe(true);

  const staff = await newCounterStaff("FASHIONHUB", "Wallet", "3691");
  await pairByTyping(page, "fr", await newPairingCode("FASHIONHUB"), `Caisse Wallet ${Date.now().toString(36)}`);
  await unlock(page, "fr", staff.displayName, staff.pin);
  await findCard(page, "fr", card.cardNumber);
  await recordPurchase(page, "fr", "42,50", formatCents(4250, "fr"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tt("fr", "done.recorded.earn"));
  const balance = program.welcomeBonus + 42;
  // The worker's sync job runs a couple of seconds after the purchase (bursts are coalesced).
  await expect
    .poll(
      async () => {
        const { requests } = (await (await fetch(`${fakeOrigin()}/_fake/requests`)).json()) as {
          requests: { method: string; path: string; body: { loyaltyPoints?: { balance?: { int?: number } } } }[];
        };
        return requests
          .filter((request) => request.method === "PATCH" && request.path === `loyaltyObject/${objectId}`)
          .map((request) => request.body.loyaltyPoints?.balance?.int);
      },
      { timeout: 30_000 },
    )
    .toContain(balance);
});

test("the validator shows a failing token endpoint as a failed line with its fix", async ({ page }) => {
  await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { locale: "en" });
  await page.goto(platformUrl("/admin/wallet", { lang: "en" }));
  const failing = await fetch(`${fakeOrigin()}/_fake/fail`, {
    method: "POST",
    body: JSON.stringify({ target: "token", status: 500 }),
  });
  expect(failing.ok).toBe(true);
  await page.getByRole("button", { name: t("en", "console:wallet.check"), exact: true }).click();
  const tokenLine = page.locator('[data-check="token"]');
  await expect(tokenLine).toHaveAttribute("data-outcome", "failed");
  await expect(tokenLine).toContainText(t("en", "console:wallet.outcome.failed"));
  await expect(tokenLine).toContainText(
    t("en", "console:wallet.checks.token.fix", { tokenUri: `${fakeOrigin()}/token` }),
  );
  await expect(page.locator('[data-check="keySigns"]')).toHaveAttribute("data-outcome", "passed");
  await expect(page.locator('[data-check="api"]')).toHaveAttribute("data-outcome", "skipped");
});
