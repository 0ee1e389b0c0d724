import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { platformUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { createStaffUser, demoStaff, type StaffUser, signIn } from "./fixtures/staff";
import { cardIdFor, type EnrolledCard, enrollShopper } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * Tenant isolation in the staff consoles: a merchant's staff never see another merchant's cards
 * (404, nothing leaked), merchant owners cannot open the admin console (403), and a store
 * manager sees the cards of their own store only. The WizaTech owner and the FashionOutlet
 * manager are inserted in the database (no user-management UI yet); the shoppers enroll through
 * the storefronts.
 */

test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const hub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
const outlet = fashionGroup?.stores.find((store) => store.code === "FASHIONOUTLET");
if (!fashionGroup || !hub || !outlet) throw new Error("demo-tenants.server.ts no longer has the Fashion Group stores");

const staffLocale: Locale = "en";

interface Enrolled extends EnrolledCard {
  email: string;
  cardId: string;
}

const hubShopper = {
  firstName: "Sophie",
  lastName: "Kieffer",
  email: uniqueEmail("xt-hub"),
  phone: "621 654 321",
  phoneE164: "+352621654321",
  birthday: { day: "3", month: "11", year: "1985" },
};
const outletShopper = { firstName: "Paul", lastName: "Reuter", email: uniqueEmail("xt-outlet") };

let hubCard: Enrolled;
let outletCard: Enrolled;
let wizaTechOwner: StaffUser;
let outletManager: StaffUser;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage({ locale: "pt-PT" });
  try {
    const atHub = await enrollShopper(page, {
      subdomain: hub.subdomain,
      locale: hub.defaultLanguage,
      useDefaultLanguage: true,
      shopper: hubShopper,
    });
    hubCard = { ...atHub, email: hubShopper.email, cardId: await cardIdFor(hubShopper.email, fashionGroup.slug) };
    const atOutlet = await enrollShopper(page, {
      subdomain: outlet.subdomain,
      locale: outlet.defaultLanguage,
      useDefaultLanguage: true,
      shopper: outletShopper,
    });
    outletCard = {
      ...atOutlet,
      email: outletShopper.email,
      cardId: await cardIdFor(outletShopper.email, fashionGroup.slug),
    };
  } finally {
    await page.close();
  }
  wizaTechOwner = await createStaffUser({
    tag: "wizatech-owner",
    role: "merchant_owner",
    merchantSlug: "wizatech",
    preferredLanguage: staffLocale,
  });
  outletManager = await createStaffUser({
    tag: "outlet-manager",
    role: "store_manager",
    storeCode: outlet.code,
    preferredLanguage: staffLocale,
  });
});

test("a WizaTech owner cannot open a Fashion Group card: 404, and nothing about the shopper leaks", async ({
  page,
}) => {
  await signIn(page, wizaTechOwner.email, wizaTechOwner.password, { locale: staffLocale });
  await expect(page).toHaveURL(/\/merchant\/cards$/);

  const response = await page.goto(platformUrl(`/merchant/cards/${hubCard.cardId}`));
  expect(response?.status()).toBe(404);
  await expect(page.locator("html")).toHaveAttribute("lang", staffLocale);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(staffLocale, "common:errors.notFound.title"));
  const html = await page.content();
  for (const secret of [hubCard.email, hubShopper.phoneE164, hubShopper.lastName, hubCard.cardNumber]) {
    expect(html, `the 404 page does not contain ${secret}`).not.toContain(secret);
  }

  // Nor does the search find it, by email or by card number.
  for (const query of [hubCard.email, hubCard.cardNumber.replace(/ /g, "")]) {
    await page.goto(platformUrl("/merchant/cards", { q: query }));
    await expect(page.getByRole("status")).toHaveText(t(staffLocale, "console:cards.noResults", { query }));
    expect(await page.content()).not.toContain(hubShopper.phoneE164);
  }

  // The admin's card page is no way round: 403.
  const admin = await page.goto(platformUrl(`/admin/cards/${hubCard.cardId}`));
  expect(admin?.status()).toBe(403);
  expect(await page.content()).not.toContain(hubCard.email);
});

test("the Fashion Group owner gets 403 on the admin console", async ({ page }) => {
  const ownerLocale: Locale = demoStaff.owner.preferredLanguage;
  await signIn(page, demoStaff.owner.email, demoStaff.owner.password);
  for (const pathname of ["/admin", "/admin/loyalty/programs", "/admin/stores", "/admin/cards"]) {
    const response = await page.goto(platformUrl(pathname));
    expect(response?.status(), `${pathname} answers 403`).toBe(403);
    await expect(page.locator("html")).toHaveAttribute("lang", ownerLocale);
    await expect(page.getByRole("link", { name: t(ownerLocale, "console:shell.nav.programs") })).toHaveCount(0);
    await expect(page.getByRole("button", { name: t(ownerLocale, "console:programs.new") })).toHaveCount(0);
  }
});

test("the 403 page says access is denied, in the owner's language", async ({ page }) => {
  // KNOWN APP BUG — remove this line once fixed: app/root.tsx's ErrorBoundary lists the known
  // error codes without "accessDenied", so requireRole()'s 403 { code: "accessDenied" } falls
  // through to common:errors.server ("Something went wrong") instead of common:errors.accessDenied.
  const ownerLocale: Locale = demoStaff.owner.preferredLanguage;
  await signIn(page, demoStaff.owner.email, demoStaff.owner.password);
  for (const pathname of ["/admin", "/admin/loyalty/programs"]) {
    await page.goto(platformUrl(pathname));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      t(ownerLocale, "common:errors.accessDenied.title"),
      { timeout: 3_000 },
    );
  }
});

test("a FashionOutlet manager opens cards enrolled at FashionOutlet, not those enrolled at FashionHub", async ({
  page,
}) => {
  const c = (key: string, vars?: Record<string, string | number>) => t(staffLocale, `console:${key}`, vars);
  await signIn(page, outletManager.email, outletManager.password, { locale: staffLocale });
  await expect(page).toHaveURL(/\/merchant\/cards$/);

  const refused = await page.goto(platformUrl(`/merchant/cards/${hubCard.cardId}`));
  expect(refused?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(staffLocale, "common:errors.notFound.title"));
  const html = await page.content();
  expect(html).not.toContain(hubCard.email);
  expect(html).not.toContain(hubShopper.phoneE164);

  const allowed = await page.goto(platformUrl(`/merchant/cards/${outletCard.cardId}`));
  expect(allowed?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("card.title", { number: outletCard.cardNumber }));
  await expect(page.getByText(outletCard.email, { exact: true })).toBeVisible();
  await expect(page.getByTestId("enrolled-store")).toHaveText(outlet.name);

  // The search lists the outlet's card and not the hub's.
  await page.goto(platformUrl("/merchant/cards", { q: outletCard.email }));
  await expect(page.getByRole("status")).toHaveText(c("cards.results", { count: 1 }));
  await expect(page.getByRole("link", { name: outletCard.cardNumber, exact: true })).toBeVisible();
  await page.goto(platformUrl("/merchant/cards", { q: hubCard.email }));
  await expect(page.getByRole("status")).toHaveText(c("cards.noResults", { query: hubCard.email }));
});

/** A FashionHub counter staff member and paired device, and the store ids their addresses use. */
const fashionHubCounter = () =>
  withDatabase(async (sql) => {
    const storeIds = Object.fromEntries(
      (await sql<{ id: string; code: string }[]>`select id, code from stores`).map((row) => [row.code, row.id]),
    );
    const [store] = await sql<{ id: string; merchant_id: string }[]>`
      select id, merchant_id from stores where code = ${hub.code}`;
    if (!store) throw new Error("no FashionHub store");
    const [member] = await sql<{ id: string }[]>`
      insert into counter_staff (merchant_id, store_id, display_name)
      values (${store.merchant_id}, ${store.id}, 'Xt Counter Clerk') returning id`;
    const [device] = await sql<{ id: string }[]>`
      insert into terminal_devices (merchant_id, store_id, name, paired_at)
      values (${store.merchant_id}, ${store.id}, 'Xt Counter Till', now()) returning id`;
    if (!member || !device) throw new Error("counter fixture insert returned no row");
    return { hubId: store.id, storeIds, memberId: member.id, deviceId: device.id };
  });

for (const who of ["the WizaTech owner", "the FashionOutlet manager"] as const) {
  test(`${who} gets 404 for FashionHub's counter staff and devices, under any address`, async ({ page }) => {
    const user = who === "the WizaTech owner" ? wizaTechOwner : outletManager;
    const { hubId, storeIds, memberId, deviceId } = await fashionHubCounter();
    const ownStore = who === "the WizaTech owner" ? storeIds.WIZATECH : storeIds[outlet.code];
    await signIn(page, user.email, user.password, { locale: staffLocale });
    for (const pathname of [
      `/merchant/counter-staff/${hubId}`,
      `/merchant/counter-staff/${hubId}/${memberId}`,
      `/merchant/counter-staff/${ownStore}/${memberId}`,
      `/merchant/devices/${hubId}`,
      `/merchant/devices/${hubId}/${deviceId}`,
      `/merchant/devices/${ownStore}/${deviceId}`,
    ]) {
      const response = await page.goto(platformUrl(pathname));
      expect(response?.status(), pathname).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(staffLocale, "common:errors.notFound.title"));
      const html = await page.content();
      for (const secret of ["Xt Counter Clerk", "Xt Counter Till", hub.name])
        expect(html, pathname).not.toContain(secret);
    }
    // Their own counter pages open, without FashionHub's people or devices.
    for (const section of ["counter-staff", "devices"]) {
      const response = await page.goto(platformUrl(`/merchant/${section}/${ownStore}`));
      expect(response?.status()).toBe(200);
      expect(await page.content()).not.toContain("Xt Counter");
    }
  });
}
