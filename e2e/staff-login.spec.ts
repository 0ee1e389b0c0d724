import type { Page } from "@playwright/test";
import { platformUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { createStaffUser, demoStaff, loginForm, signIn, signOut } from "./fixtures/staff";
import { expect, test } from "./fixtures/test";

/**
 * Staff sign-in: lockout after 5 wrong passwords (with one message for every failure, so the
 * page never tells whether an account exists or is locked), ?redirectTo= round trip, sign-out.
 * In English (?lang=en); the lockout uses a fresh account inserted in the database.
 */

test.use({ locale: "en-GB" });

const locale: Locale = "en";

/** One sign-in attempt on the page already at /login; returns the HTTP status of the POST. */
async function attempt(page: Page, email: string, password: string): Promise<number> {
  const form = loginForm(page, locale);
  await form.email.fill(email);
  await form.password.fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login")),
    form.submit.click(),
  ]);
  return response.status();
}

test("5 wrong passwords lock the account: the right password then fails with the same message as an unknown email", async ({
  page,
}) => {
  const user = await createStaffUser({ tag: "lockout", role: "merchant_owner", merchantSlug: "wizatech" });
  const failed = t(locale, "console:login.failed");
  const message = page.getByRole("alert");

  await page.goto(platformUrl("/login", { lang: locale }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(locale, "console:login.heading"));

  for (let attemptNumber = 1; attemptNumber <= 5; attemptNumber++) {
    await test.step(`wrong password #${attemptNumber}`, async () => {
      expect(await attempt(page, user.email, `wrong-${attemptNumber}`)).toBe(401);
      await expect(message).toHaveText(failed);
      await expect(page).toHaveURL(/\/login(\?.*)?$/);
    });
  }

  let lockedAnswer = "";
  await test.step("6th attempt with the right password: still refused, same message", async () => {
    expect(await attempt(page, user.email, user.password)).toBe(401);
    await expect(message).toHaveText(failed);
    lockedAnswer = ((await page.locator("main").textContent()) ?? "").trim();
    await expect(page).toHaveURL(/\/login(\?.*)?$/);
    const [row] = await withDatabase(
      (sql) => sql<{ locked: boolean }[]>`
        select locked_until > now() + interval '14 minutes' as locked from users where id = ${user.id}`,
    );
    expect(row?.locked, "locked for about 15 minutes").toBe(true);
    // No session was handed out: the console still sends us to sign in.
    await page.goto(platformUrl("/merchant/cards"));
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
  });

  await test.step("an unknown email gets the very same answer", async () => {
    await page.goto(platformUrl("/login", { lang: locale }));
    const unknown = uniqueEmail("nobody");
    expect(await attempt(page, unknown, user.password)).toBe(401);
    await expect(message).toHaveText(failed);
    // The whole page, not only the message, is the same (the typed email aside).
    const unknownAnswer = ((await page.locator("main").textContent()) ?? "").trim();
    expect(unknownAnswer).toBe(lockedAnswer);
    await expect(loginForm(page, locale).email).toHaveValue(unknown);
  });
});

test("?redirectTo= brings the admin back to the page that asked for a sign-in", async ({ page }) => {
  const target = "/admin/cards?q=example";
  await page.goto(platformUrl(target));
  await expect(page).toHaveURL(platformUrl("/login", { redirectTo: target }));
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  const form = loginForm(page, locale);
  await form.email.fill(demoStaff.admin.email);
  await form.password.fill(demoStaff.admin.password);
  await form.submit.click();
  await expect(page).toHaveURL(platformUrl(target));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(locale, "console:cards.title"));
  await expect(page.getByLabel(t(locale, "console:cards.search"), { exact: true })).toHaveValue("example");

  // Already signed in: /login?redirectTo= goes straight there.
  await page.goto(platformUrl("/login", { redirectTo: "/admin/stores" }));
  await expect(page).toHaveURL(platformUrl("/admin/stores"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(locale, "console:stores.title"));
});

test("?redirectTo= never leaves the platform host", async ({ page }) => {
  await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { redirectTo: "//evil.example/steal" });
  await expect(page).toHaveURL(platformUrl("/admin"));
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, demoStaff.admin.email, demoStaff.admin.password, { locale });
  await expect(page).toHaveURL(platformUrl("/admin"));
  await signOut(page, locale);
  await expect(page.getByRole("status")).toHaveText(t(locale, "console:login.signedOut"));
  expect((await page.context().cookies()).find((cookie) => cookie.name.endsWith("rf_session"))).toBeUndefined();

  // The console is closed again, also for a page kept in the history.
  await page.goBack();
  await page.reload();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin/);
  await page.goto(platformUrl("/admin/loyalty/programs"));
  await expect(page).toHaveURL(platformUrl("/login", { redirectTo: "/admin/loyalty/programs" }));
});
