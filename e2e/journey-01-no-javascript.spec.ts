import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { storeUrl, uniqueEmail } from "./fixtures/app";
import { t } from "./fixtures/i18n";
import { emailSubject, waitForEmail } from "./fixtures/mail";
import { cardTokenFrom, fillJoinForm, submitJoinForm } from "./fixtures/storefront";
import { expect, test } from "./fixtures/test";

// Journey 1 with JavaScript switched off: the join form is a plain HTML form, validated on the server.
test.use({ javaScriptEnabled: false, locale: "pt-PT" });

const program = demoMerchants.find((merchant) => merchant.slug === "fashion-group")?.program;
if (!program) throw new Error("demo-tenants.server.ts no longer has Fashion Group's program");

test("a shopper without JavaScript sees field errors and then gets a card", async ({ page }) => {
  const locale = "de";
  await page.goto(storeUrl("fashionoutlet", "/loyalty/join"));
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await submitJoinForm(page, locale);
  await expect(page.locator("#firstName-error")).toHaveText(t(locale, "storefront:join.errors.firstNameRequired"));
  await expect(page.locator("#firstName")).toHaveAttribute("aria-invalid", "true");

  const email = uniqueEmail("nojs");
  await fillJoinForm(page, locale, { firstName: "Jos", lastName: "Weber", email });
  await submitJoinForm(page, locale);
  await expect(page).toHaveURL(/\/loyalty\/join\/success\?card=/);
  expect(cardTokenFrom(page.url())).not.toBe("");
  await expect(page.getByTestId("card-balance")).toHaveText(t(locale, "common:units.points", { count: 50 }));
  await waitForEmail({
    to: email,
    subjectIncludes: emailSubject(locale, "loyalty_enrollment_with_bonus", {
      program: program.name[locale],
      store: "FashionOutlet",
      bonus: t(locale, "email:units.points", { count: program.welcomeBonus }),
    }),
  });
});
