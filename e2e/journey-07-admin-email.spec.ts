import type { Page } from "@playwright/test";
import { defaultTemplates } from "../app/modules/messaging/default-templates";
import { demoMerchants } from "../app/modules/ops/demo-tenants.server";
import { emailKinds } from "../app/modules/outbox/kinds";
import { platformUrl, uniqueEmail, withDatabase } from "./fixtures/app";
import { type Locale, pageLocale, t } from "./fixtures/i18n";
import { htmlLang, restoreDefaultEmailTemplate, waitForEmail } from "./fixtures/mail";
import { demoStaff, signIn } from "./fixtures/staff";
import { enrollShopper } from "./fixtures/storefront";
import { expect, test, waitForHydration } from "./fixtures/test";

/**
 * Journey 7 — The admin edits an email. The admin changes the subject of the French enrollment
 * email to one with {{firstName}} and {{store}}, sees the live preview fill it with the French
 * sample data (the German preview keeps the German default), saves; a shopper then enrolls at
 * FashionHub in French and the enrollment email carries the new subject with their name and the
 * store's name; the email log lists both emails as sent and shows the new subject. An unknown
 * placeholder is refused next to the field and nothing is stored. The default copy is restored
 * through the editor at the end (and in the database after every test, whatever happened: the
 * other journeys expect the shipped subjects).
 *
 * The console strings are read in the admin's saved language, taken from the page's
 * `<html lang>` (another spec may have changed it with ?lang=).
 */

// A Portuguese browser: neither the storefront nor the console can take its language from it.
test.use({ locale: "pt-PT" });

const fashionGroup = demoMerchants.find((merchant) => merchant.slug === "fashion-group");
const fashionHub = fashionGroup?.stores.find((store) => store.code === "FASHIONHUB");
if (!fashionGroup?.program || !fashionHub)
  throw new Error("demo-tenants.server.ts no longer has Fashion Group / FashionHub");
const program = fashionGroup.program;

/** FashionHub's program has a welcome bonus: its enrollment email carries the card and the bonus (ADR 030). */
const key = "loyalty_enrollment_with_bonus";
/** The email's language: FashionHub's default, French. */
const emailLocale: Locale = "fr";
if (fashionHub.defaultLanguage !== emailLocale) throw new Error("FashionHub's default language is no longer French");
const otherLocale: Locale = "de";
const defaultSubject = defaultTemplates[emailLocale][key].subject;

/** Fills `{{name}}` placeholders of template copy; a missing value throws. */
function fillPlaceholders(copy: string, values: Record<string, string>): string {
  return copy.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {{${name}}} in "${copy}"`);
    return value;
  });
}

/** The store and program the preview shows: the oldest active program and its first store by name. */
let previewShop: { store: string; program: Record<string, string> & { name: string } };

test.beforeAll(async () => {
  previewShop = await withDatabase(async (sql) => {
    const [row] = await sql<{ store: string; name: string; translations: Record<string, string> }[]>`
      select s.name as store, p.name, p.name_translations as translations
      from loyalty_programs p join stores s on s.merchant_id = p.merchant_id
      where p.active order by p.created_at, s.name limit 1`;
    if (!row) throw new Error("no active demo program");
    return { store: row.store, program: { ...row.translations, name: row.name } };
  });
});

/** What the preview renders placeholders with in `locale` (email:sample.* and a real store, see renderPreview). */
const sampleValues = (locale: Locale) => ({
  firstName: t(locale, "email:sample.firstName"),
  lastName: t(locale, "email:sample.lastName"),
  store: previewShop.store,
  program: previewShop.program[locale] || previewShop.program.en || previewShop.program.name,
  bonus: t(locale, "email:units.points", { count: 50 }),
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test.afterEach(async () => {
  // Whatever happened in the test, the other journeys get the shipped French enrollment copy back.
  await restoreDefaultEmailTemplate(key, emailLocale);
});

/** Signs the admin in and returns the console's language (the admin's saved one). */
async function signInAdmin(page: Page): Promise<Locale> {
  await signIn(page, demoStaff.admin.email, demoStaff.admin.password);
  await expect(page).toHaveURL(/\/admin$/);
  return pageLocale(page);
}

test("admin changes the French enrollment subject, previews and saves it; the next French enrollment email carries it", async ({
  page,
}) => {
  const admin = await signInAdmin(page);
  const c = (name: string, vars?: Record<string, string | number>) => t(admin, `console:${name}`, vars);
  const emailName = c(`emailTemplates.keys.${key}`);
  const languageName = (locale: Locale) => t(admin, `common:languageNames.${locale}`);
  const editLink = (locale: Locale) =>
    page.getByRole("link", {
      name: c("emailTemplates.editLink", { email: emailName, language: languageName(locale) }),
      exact: true,
    });
  const subjectField = page.getByLabel(c("emailTemplates.subject"), { exact: true });
  const previewFrame = (locale: Locale) =>
    page
      .getByTitle(c("emailTemplates.previewFrame", { email: emailName, language: languageName(locale) }), {
        exact: true,
      })
      .contentFrame();
  /** The line the frame puts above the email: "Subject: …" in the admin's language. */
  const previewBanner = (locale: Locale) => previewFrame(locale).locator("body > p:first-child");
  const banner = (subject: string) => c("emailTemplates.previewSubject", { subject });

  const tag = `J7-${Date.now().toString(36)}`;
  const newSubject = `${tag} {{firstName}}, votre carte {{store}} vous attend`;

  await test.step("the email templates page lists the French enrollment email with its default subject", async () => {
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.emailTemplates"), exact: true })
      .click();
    await expect(page).toHaveURL(/\/admin\/email-templates$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("emailTemplates.title"));
    await expect(editLink(emailLocale)).toHaveText(defaultSubject);
    await expect(editLink(emailLocale).locator("xpath=..")).toContainText(c("emailTemplates.default"));
    await editLink(emailLocale).click();
  });

  await test.step("the editor shows the French copy and its preview with the French sample data", async () => {
    await expect(page).toHaveURL(new RegExp(`/admin/email-templates/${key}/${emailLocale}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      c("emailTemplates.editTitle", { email: emailName, language: languageName(emailLocale) }),
    );
    await expect(subjectField).toHaveValue(defaultSubject);
    await expect(previewFrame(emailLocale).locator("html")).toHaveAttribute("lang", emailLocale);
    await expect(previewBanner(emailLocale)).toHaveText(
      banner(fillPlaceholders(defaultSubject, sampleValues(emailLocale))),
    );
  });

  await test.step("typing a new subject updates the live preview with the sample first name and store", async () => {
    await waitForHydration(subjectField);
    await subjectField.fill(newSubject);
    await expect(previewBanner(emailLocale)).toHaveText(
      banner(fillPlaceholders(newSubject, sampleValues(emailLocale))),
    );
    // The sample first name (email:sample.firstName) really is in it: the placeholder was filled.
    await expect(previewBanner(emailLocale)).toContainText(`${tag} ${t(emailLocale, "email:sample.firstName")}, `);
  });

  await test.step("saving keeps the new subject", async () => {
    await page.getByRole("button", { name: c("emailTemplates.save"), exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/email-templates/${key}/${emailLocale}\\?saved=1$`));
    await expect(page.getByRole("status")).toHaveText(c("emailTemplates.saved"));
    await expect(subjectField).toHaveValue(newSubject);
    await expect(previewBanner(emailLocale)).toHaveText(
      banner(fillPlaceholders(newSubject, sampleValues(emailLocale))),
    );
  });

  await test.step("the German tab still shows the German default subject, in its preview too", async () => {
    const tabs = page.getByRole("navigation", { name: c("emailTemplates.languages") });
    await expect(tabs.getByRole("link", { name: languageName(emailLocale), exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await tabs.getByRole("link", { name: languageName(otherLocale), exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/email-templates/${key}/${otherLocale}$`));
    const germanDefault = defaultTemplates[otherLocale][key].subject;
    await expect(subjectField).toHaveValue(germanDefault);
    await expect(previewFrame(otherLocale).locator("html")).toHaveAttribute("lang", otherLocale);
    await expect(previewBanner(otherLocale)).toHaveText(
      banner(fillPlaceholders(germanDefault, sampleValues(otherLocale))),
    );
  });

  await test.step("the list shows the French subject as edited, the German one as default", async () => {
    await page.getByRole("link", { name: c("emailTemplates.back"), exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/email-templates$/);
    await expect(editLink(emailLocale)).toHaveText(newSubject);
    const [before, after] = c("emailTemplates.editedOn", { date: "\u0000" }).split("\u0000");
    await expect(editLink(emailLocale).locator("xpath=..")).toContainText(
      new RegExp(`${escapeRegExp(before ?? "")}.+${escapeRegExp(after ?? "")}`),
    );
    await expect(editLink(otherLocale)).toHaveText(defaultTemplates[otherLocale][key].subject);
    await expect(editLink(otherLocale).locator("xpath=..")).toContainText(c("emailTemplates.default"));
  });

  const shopper = { firstName: "Élodie", lastName: "Hoffmann", email: uniqueEmail("j7-subject") };
  const expectedSubject = fillPlaceholders(newSubject, { firstName: shopper.firstName, store: fashionHub.name });
  let cardNumber = "";

  await test.step("a shopper enrolls at FashionHub in French: the enrollment email has the new subject", async () => {
    ({ cardNumber } = await enrollShopper(page, {
      subdomain: fashionHub.subdomain,
      locale: emailLocale,
      useDefaultLanguage: true,
      shopper,
    }));
    const enrollment = await waitForEmail({ to: shopper.email, subjectIncludes: tag });
    expect(enrollment.subject).toBe(expectedSubject);
    expect(htmlLang(enrollment)).toBe(emailLocale);
    expect(enrollment.text).toContain(cardNumber);
    expect(enrollment.text, "the one welcome email carries the bonus").toContain(
      t(emailLocale, "email:units.points", { count: program.welcomeBonus }),
    );
  });

  await test.step("the email log, filtered by the shopper's address, lists the one welcome email as sent", async () => {
    await page.goto(platformUrl("/admin"));
    await page
      .getByRole("navigation", { name: c("shell.mainNav") })
      .getByRole("link", { name: c("shell.nav.emailLogs"), exact: true })
      .click();
    await expect(page).toHaveURL(/\/admin\/email-logs$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c("emailLogs.title"));
    const filters = page.getByRole("form", { name: c("emailLogs.filters") });
    await filters.getByLabel(c("emailLogs.recipient"), { exact: true }).fill(shopper.email);
    await filters.getByRole("button", { name: c("emailLogs.apply"), exact: true }).click();
    await expect(page).toHaveURL(/[?&]recipient=/);

    const rows = page.getByRole("row").filter({ hasText: shopper.email });
    const templateCell = (name: string) => `${c(`emailTemplates.keys.${name}`)} (${emailLocale})`;
    // It was captured already; "sent" is recorded as the SMTP server accepts: reload until it shows.
    await expect(async () => {
      await page.reload();
      await expect(rows.locator(".badge")).toHaveText([c("emailLogs.statuses.sent")], { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(rows).toHaveCount(1);
    const row = rows.filter({ hasText: templateCell(key) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("cell").nth(3)).toHaveText(fashionHub.name);
  });

  await test.step("the enrollment email's page shows the new subject and the email as sent", async () => {
    await page
      .getByRole("row")
      .filter({ hasText: `${emailName} (${emailLocale})` })
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(/\/admin\/email-logs\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      c("emailLogs.detailTitle", { email: emailName, recipient: shopper.email }),
    );
    const details = page.locator("dl.details");
    const value = (label: string) =>
      details
        .locator("div")
        .filter({ has: page.getByRole("term").getByText(label, { exact: true }) })
        .getByRole("definition");
    await expect(value(c("emailLogs.subject"))).toHaveText(expectedSubject);
    await expect(value(c("emailLogs.recipient"))).toHaveText(shopper.email);
    await expect(value(c("emailLogs.store"))).toHaveText(fashionHub.name);
    await expect(page.locator(".badge")).toHaveText(c("emailLogs.statuses.sent"));

    const frame = page.getByTitle(c("emailLogs.renderedFrame", { subject: expectedSubject }), { exact: true });
    await expect(frame).toBeVisible();
    const email = frame.contentFrame();
    await expect(email.locator("body > p:first-child")).toHaveText(banner(expectedSubject));
    await expect(email.locator("html")).toHaveAttribute("lang", emailLocale);
    const greeting = fillPlaceholders(defaultTemplates[emailLocale][key].body.split("\n")[0] ?? "", {
      firstName: shopper.firstName,
    });
    await expect(email.getByText(greeting, { exact: true })).toBeVisible();
    await expect(
      email.getByText(t(emailLocale, "email:cardNumber", { number: cardNumber }), { exact: true }),
    ).toBeVisible();
    await expect(email.locator('img[src^="data:image/png;base64,"]')).toHaveCount(1);
  });

  await test.step("restoring the default brings the French default subject back", async () => {
    await page.goto(platformUrl("/admin/email-templates"));
    await editLink(emailLocale).click();
    await expect(subjectField).toHaveValue(newSubject);
    await page.getByRole("button", { name: c("emailTemplates.restore"), exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/email-templates/${key}/${emailLocale}\\?restored=1$`));
    await expect(page.getByRole("status")).toHaveText(c("emailTemplates.restored"));
    await expect(subjectField).toHaveValue(defaultSubject);
    await expect(page.getByRole("button", { name: c("emailTemplates.restore"), exact: true })).toHaveCount(0);
    await expect(previewBanner(emailLocale)).toHaveText(
      banner(fillPlaceholders(defaultSubject, sampleValues(emailLocale))),
    );
    await page.getByRole("link", { name: c("emailTemplates.back"), exact: true }).click();
    await expect(editLink(emailLocale)).toHaveText(defaultSubject);
    await expect(editLink(emailLocale).locator("xpath=..")).toContainText(c("emailTemplates.default"));
  });
});

test("a subject with an unknown placeholder is refused next to the field and nothing is stored", async ({ page }) => {
  const admin = await signInAdmin(page);
  const c = (name: string, vars?: Record<string, string | number>) => t(admin, `console:${name}`, vars);
  const emailName = c(`emailTemplates.keys.${key}`);
  const language = t(admin, `common:languageNames.${emailLocale}`);
  const editorUrl = platformUrl(`/admin/email-templates/${key}/${emailLocale}`);
  const subjectField = page.getByLabel(c("emailTemplates.subject"), { exact: true });
  const storedSubject = async () =>
    withDatabase(async (sql) => {
      const [row] = await sql<{ subject: string }[]>`
        select subject from email_templates where key = ${key} and locale = ${emailLocale}`;
      return row?.subject;
    });

  await page.goto(editorUrl);
  await expect(subjectField).toHaveValue(defaultSubject);
  expect(await storedSubject()).toBe(defaultSubject);

  const badSubject = `J7-bad-${Date.now().toString(36)} {{prenom}}, votre carte {{store}}`;
  const message = c("emailTemplates.errors.unknownPlaceholder", {
    line: 1,
    detail: "prenom",
    allowed: emailKinds[key].placeholders.map((name) => `{{${name}}}`).join(", "),
  });

  await test.step("the live preview says why it cannot be shown", async () => {
    await waitForHydration(subjectField);
    await subjectField.fill(badSubject);
    const preview = page
      .getByTitle(c("emailTemplates.previewFrame", { email: emailName, language }), { exact: true })
      .contentFrame();
    await expect(preview.getByText(c("emailTemplates.previewInvalid"), { exact: true })).toBeVisible();
    await expect(preview.getByRole("listitem")).toHaveText([message]);
  });

  await test.step("saving is refused with the message next to the subject and in the summary", async () => {
    await page.getByRole("button", { name: c("emailTemplates.save"), exact: true }).click();
    await expect(page).toHaveURL(editorUrl);
    await expect(subjectField).toHaveAttribute("aria-invalid", "true");
    await expect(subjectField).toHaveAttribute("aria-describedby", /\btemplate-subject-error\b/);
    const container = subjectField.locator("xpath=..");
    await expect(container).toHaveClass(/\bfield-invalid\b/);
    await expect(container.locator(".field-error")).toHaveText(message);
    const summary = page.getByRole("alert");
    await expect(summary.getByRole("heading")).toHaveText(t(admin, "common:form.errorSummary"));
    await expect(summary.getByRole("link", { name: message, exact: true })).toHaveAttribute(
      "href",
      "#template-subject",
    );
    // The draft stays in the field to be corrected…
    await expect(subjectField).toHaveValue(badSubject);
    await expect(page.getByRole("status")).toHaveCount(0);
  });

  await test.step("…and the stored subject is unchanged", async () => {
    expect(await storedSubject()).toBe(defaultSubject);
    await page.goto(editorUrl);
    await expect(subjectField).toHaveValue(defaultSubject);
    await expect(subjectField).not.toHaveAttribute("aria-invalid", "true");
    await page.goto(platformUrl("/admin/email-templates"));
    const link = page.getByRole("link", {
      name: c("emailTemplates.editLink", { email: emailName, language }),
      exact: true,
    });
    await expect(link).toHaveText(defaultSubject);
    await expect(link.locator("xpath=..")).toContainText(c("emailTemplates.default"));
  });
});
