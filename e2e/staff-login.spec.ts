import type { Page } from "@playwright/test";
import { platformUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, t } from "./fixtures/i18n";
import { createStaffUser, demoStaff, loginForm, signIn, signOut } from "./fixtures/staff";
import { expect, test } from "./fixtures/test";

/**
 * Staff sign-in: three wrong passwords from one connection make that email wait there (the page
 * says how long, or to reset the password), with the very same answer for an unknown email, so
 * the page never tells whether an account exists; ?redirectTo= round trip; sign-out.
 * In English (?lang=en); the throttled account is a fresh one inserted in the database.
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

test("3 wrong passwords make this connection wait for the account: the page says so, the same as for an unknown email", async ({
  page,
}) => {
  const user = await createStaffUser({ tag: "throttle", role: "merchant_owner", merchantSlug: "wizatech" });
  const failed = t(locale, "console:login.failed");
  // Ten failures in a row mean a 128 s wait ("3 minutes"): long enough not to run out mid-test.
  const waitMessage = t(locale, "console:login.throttledMinutes", { count: 3 });
  const failTenTimes = (email: string) =>
    withDatabase(
      (sql) => sql`update rate_limits set count = 10 where starts_with(key, ${`sign-in:${email.toLowerCase()}:`})`,
    );
  const message = page.getByRole("alert");

  await page.goto(platformUrl("/login", { lang: locale }));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t(locale, "console:login.heading"));

  for (let attemptNumber = 1; attemptNumber <= 3; attemptNumber++) {
    await test.step(`wrong password #${attemptNumber}`, async () => {
      expect(await attempt(page, user.email, `wrong-${attemptNumber}`)).toBe(401);
      await expect(message).toHaveText(failed);
      await expect(page).toHaveURL(/\/login(\?.*)?$/);
    });
  }

  let throttledAnswer = "";
  await test.step("after more failures, the right password: refused, told to wait or reset", async () => {
    await failTenTimes(user.email);
    expect(await attempt(page, user.email, user.password)).toBe(429);
    await expect(message).toHaveText(waitMessage);
    throttledAnswer = ((await page.locator("main").textContent()) ?? "").trim();
    const [row] = await withDatabase(
      (sql) => sql<{ locked: boolean }[]>`
        select locked_until is not null as locked from users where id = ${user.id}`,
    );
    expect(row?.locked, "the account itself is not locked").toBe(false);
    // No session was handed out: the console still sends us to sign in.
    await page.goto(platformUrl("/merchant/cards"));
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
  });

  await test.step("an unknown email gets the very same answers", async () => {
    await page.goto(platformUrl("/login", { lang: locale }));
    const unknown = uniqueEmail("nobody");
    for (let attemptNumber = 1; attemptNumber <= 3; attemptNumber++) {
      expect(await attempt(page, unknown, `wrong-${attemptNumber}`)).toBe(401);
      await expect(message).toHaveText(failed);
    }
    await failTenTimes(unknown);
    expect(await attempt(page, unknown, user.password)).toBe(429);
    await expect(message).toHaveText(waitMessage);
    // The whole page, not only the message, is the same (the typed email aside).
    const unknownAnswer = ((await page.locator("main").textContent()) ?? "").trim();
    expect(unknownAnswer).toBe(throttledAnswer);
    await expect(loginForm(page, locale).email).toHaveValue(unknown);
  });

  await test.step("after the wait, the right password signs in", async () => {
    await withDatabase(
      (sql) =>
        sql`update rate_limits set window_start = now() - interval '1 hour' where starts_with(key, ${`sign-in:${user.email.toLowerCase()}:`})`,
    );
    await page.goto(platformUrl("/login", { lang: locale }));
    const form = loginForm(page, locale);
    await form.email.fill(user.email);
    await form.password.fill(user.password);
    await form.submit.click();
    await expect(page).toHaveURL(platformUrl("/merchant/cards"));
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
