import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { storeUrl, uniqueEmail } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { emailSubject, emailsTo, waitForEmail } from "./fixtures/mail";
import { cardTokenFrom, fillJoinForm, submitJoinForm } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

/**
 * Journey 2 — Cross-store re-enrollment. FASHIONHUB and FASHIONOUTLET belong to the same
 * merchant and share one program: the second sign-up (same address, other case) gets no second
 * card or bonus, only a "your card" email. Another merchant (WizaTech) gives a separate card.
 */

// Accept-Language matching none of the stores' languages: each store shows its default language.
test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const hub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
const outlet = fashionGroup?.stores.find((store) => store.code === "FASHIONOUTLET");
const wizaTechMerchant = demoMerchants.find((merchant) => merchant.slug === "wizatech");
const wizaTech = wizaTechMerchant?.stores.find((store) => store.code === "WIZATECH");
if (!fashionGroup?.program || !hub || !outlet || !wizaTechMerchant?.program || !wizaTech) {
  throw new Error("demo-tenants.server.ts no longer has the Fashion Group stores or WizaTech");
}
const fashionProgram = fashionGroup.program;
const wizaProgram = wizaTechMerchant.program;

test("same email at FashionOutlet: already a member, card-link email, no second bonus; WizaTech: new card", async ({
  page,
}) => {
  const email = uniqueEmail("j2-cross-store");
  const hubLocale: Locale = hub.defaultLanguage;
  const outletLocale: Locale = outlet.defaultLanguage;
  const wizaLocale: Locale = wizaTech.defaultLanguage;
  const fashionVars = (locale: Locale, store: string) => ({
    program: fashionProgram.name[locale],
    store,
    bonus: t(locale, "email:units.points", { count: fashionProgram.welcomeBonus }),
  });
  // One welcome email carries the card and its bonus (ADR 030); a later bonus has its own kind.
  const welcomeSubjects = new Set(
    (["loyalty_enrollment_with_bonus", "loyalty_welcome_bonus"] as const).flatMap((kind) => [
      emailSubject(hubLocale, kind, fashionVars(hubLocale, hub.name)),
      emailSubject(outletLocale, kind, fashionVars(outletLocale, outlet.name)),
    ]),
  );

  let hubToken = "";
  let hubCardNumber = "";
  await test.step(`enroll at ${hub.name} (${hubLocale})`, async () => {
    await page.goto(storeUrl(hub.subdomain, "/loyalty/join"));
    await expect(page.locator("html")).toHaveAttribute("lang", hubLocale);
    await fillJoinForm(page, hubLocale, { firstName: "Claire", lastName: "Hoffmann", email });
    await submitJoinForm(page, hubLocale);
    await page.waitForURL(/\/loyalty\/join\/success\?card=/);
    hubToken = cardTokenFrom(page.url());
    hubCardNumber = (await page.locator(".card-number").textContent()) ?? "";
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(hubLocale, "common:units.points", { count: fashionProgram.welcomeBonus }),
    );
    // Let the first enrollment's email go out before counting what the second attempt sends.
    await waitForEmail({
      to: email,
      subjectIncludes: emailSubject(hubLocale, "loyalty_enrollment_with_bonus", fashionVars(hubLocale, hub.name)),
    });
  });

  await test.step(`same address in upper case at ${outlet.name} (${outletLocale}): "already a member"`, async () => {
    await page.goto(storeUrl(outlet.subdomain, "/loyalty/join"));
    await expect(page.locator("html")).toHaveAttribute("lang", outletLocale);
    await fillJoinForm(page, outletLocale, { firstName: "Claire", lastName: "Hoffmann", email: email.toUpperCase() });
    await submitJoinForm(page, outletLocale);
    await page.waitForURL(/\/loyalty\/join\/success\?existing=1$/);
    await expect(page.locator("html")).toHaveAttribute("lang", outletLocale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      t(outletLocale, "storefront:success.existingTitle"),
    );
    await expect(page.getByRole("status")).toHaveText(
      t(outletLocale, "storefront:success.existingBody", { store: outlet.name }),
    );
    await expect(page.locator(".card-number")).toHaveCount(0);
  });

  await test.step("a card-link email for the existing card arrives; no second welcome email", async () => {
    const subject = emailSubject(outletLocale, "loyalty_card_link", fashionVars(outletLocale, outlet.name));
    const cardLink = await waitForEmail({ to: email, subjectIncludes: subject });
    expect(cardLink.subject).toBe(subject);
    expect(cardLink.html).toContain(`/loyalty/card/${hubToken}`);
    // It says where the shopper joined (FashionHub), not only the store just tried.
    expect(cardLink.text).toContain(hub.name);
    // The worker sends a job within about a second; give a wrongly queued second bonus email time to show up.
    await page.waitForTimeout(4_000);
    const received = emailsTo(email).map((message) => message.subject);
    expect(
      received.filter((s) => welcomeSubjects.has(s)),
      `emails received: ${received.join(" | ")}`,
    ).toHaveLength(1);
    expect(received, "the welcome email (card and bonus) + card link, nothing else").toHaveLength(2);
  });

  await test.step("the one card still holds a single welcome bonus", async () => {
    await page.goto(storeUrl(outlet.subdomain, `/loyalty/card/${hubToken}`));
    await expect(page.locator(".card-number")).toHaveText(hubCardNumber);
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(outletLocale, "common:units.points", { count: fashionProgram.welcomeBonus }),
    );
    await expect(page.locator(".history > li")).toHaveCount(1);
  });

  await test.step(`same address at ${wizaTech.name} (another merchant, ${wizaLocale}): a new, separate card`, async () => {
    await page.goto(storeUrl(wizaTech.subdomain, "/loyalty/join"));
    await expect(page.locator("html")).toHaveAttribute("lang", wizaLocale);
    await fillJoinForm(page, wizaLocale, { firstName: "Claire", lastName: "Hoffmann", email });
    await submitJoinForm(page, wizaLocale);
    await page.waitForURL(/\/loyalty\/join\/success\?card=/);
    const wizaToken = cardTokenFrom(page.url());
    expect(wizaToken).not.toBe(hubToken);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(wizaLocale, "storefront:success.heading"));
    const number = page.locator(".card-number");
    await expect(number).toHaveText(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(await number.textContent()).not.toBe(hubCardNumber);
    await expect(page.getByTestId("card-balance")).toHaveText(
      t(wizaLocale, "common:units.stamps", { count: wizaProgram.welcomeBonus }),
    );
    const enrollment = await waitForEmail({
      to: email,
      subjectIncludes: emailSubject(wizaLocale, "loyalty_enrollment_with_bonus", {
        program: wizaProgram.name[wizaLocale],
        store: wizaTech.name,
        bonus: t(wizaLocale, "email:units.stamps", { count: wizaProgram.welcomeBonus }),
      }),
    });
    expect(enrollment.html).toContain(`/loyalty/card/${wizaToken}`);
  });
});
