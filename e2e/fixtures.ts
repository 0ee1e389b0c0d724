import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";
import { hashPassword } from "../app/modules/auth/password.server";
import { demoStaff as appDemoStaff } from "../app/modules/auth/users.server";
import { defaultTemplates } from "../app/modules/messaging/default-templates";
import type { EmailTemplateKey } from "../app/modules/outbox/kinds";
import { e2eEnv, requireEnv } from "./env";
import type { CapturedEmail } from "./mail-capture";

export type { CapturedEmail } from "./mail-capture";
export { expect };

export const locales = ["fr", "de", "lb", "en"] as const;
export type Locale = (typeof locales)[number];

const root = path.resolve(import.meta.dirname, "..");

// ---------------------------------------------------------------------------------------------
// Hosts

/**
 * URL of a store's storefront, e.g. storeUrl("fashionhub", "/loyalty/join", { lang: "de" })
 * → http://fashionhub.localhost:<port>/loyalty/join?lang=de. Chromium resolves *.localhost to
 * loopback; Node does not (use 127.0.0.1 with a Host header there).
 */
export function storeUrl(subdomain: string, pathname = "/", query: Record<string, string | undefined> = {}): string {
  const domain = process.env[e2eEnv.platformDomain] ?? "localhost";
  const url = new URL(pathname, `http://${subdomain}.${domain}:${requireEnv(e2eEnv.port)}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

/**
 * URL on the platform host (admin console, merchant portal, sign-in), e.g.
 * platformUrl("/login", { lang: "en" }) → http://localhost:<port>/login?lang=en.
 */
export function platformUrl(pathname = "/", query: Record<string, string | undefined> = {}): string {
  const domain = process.env[e2eEnv.platformDomain] ?? "localhost";
  const url = new URL(pathname, `http://${domain}:${requireEnv(e2eEnv.port)}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

// ---------------------------------------------------------------------------------------------
// Test data

/** An address no other test (or earlier run) uses: tag-<time>-<random>@example.com. */
export function uniqueEmail(tag: string): string {
  const safeTag =
    tag
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "shopper";
  return `${safeTag}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@example.com`;
}

// ---------------------------------------------------------------------------------------------
// Translations

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type TranslationVars = Record<string, string | number>;

function loadNamespace(locale: Locale, ns: string): Json {
  // Read on every call: the locale files are edited while the suite is being written.
  const file = path.join(root, "locales", locale, `${ns}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

function lookup(tree: Json, key: string): string | undefined {
  let node: Json | undefined = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * The string the app renders for `ns:key` in `locale`, read from locales/<locale>/<ns>.json:
 * nested keys, i18next plurals (`key_one`, `key_other`, … chosen with Intl.PluralRules like
 * i18next does, falling back to `key_other`) and `{{var}}` interpolation.
 *
 * A key missing from the locale file throws (naming file and key) instead of returning a
 * guess: the app would show the raw key there, and the journey must not pass on that.
 */
export function t(locale: Locale, nsKey: string, vars: TranslationVars = {}): string {
  const separator = nsKey.indexOf(":");
  if (separator < 0) throw new Error(`t(): give the namespace, e.g. "storefront:${nsKey}"`);
  const ns = nsKey.slice(0, separator);
  const key = nsKey.slice(separator + 1);
  const tree = loadNamespace(locale, ns);
  let template: string | undefined;
  const tried: string[] = [];
  if (typeof vars.count === "number") {
    const category = new Intl.PluralRules(locale).select(vars.count);
    for (const candidate of [`${key}_${category}`, `${key}_other`]) {
      tried.push(candidate);
      template ??= lookup(tree, candidate);
    }
  }
  if (template === undefined) {
    tried.push(key);
    template = lookup(tree, key);
  }
  if (template === undefined) {
    throw new Error(
      `Missing translation: ${tried.map((k) => `"${k}"`).join(" / ")} not in locales/${locale}/${ns}.json ` +
        `(the app shows the raw key "${key}" there)`,
    );
  }
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`t(${locale}, ${nsKey}): no value for {{${name}}}`);
    return String(value);
  });
}

/**
 * The subject an email has with the shipped template copy (journey 7 edits one and restores
 * it): `{{placeholders}}` filled from `vars`, a missing value throws.
 */
export function emailSubject(locale: Locale, key: EmailTemplateKey, vars: TranslationVars = {}): string {
  return defaultTemplates[locale][key].subject.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`emailSubject(${locale}, ${key}): no value for {{${name}}}`);
    return String(value);
  });
}

// ---------------------------------------------------------------------------------------------
// Captured email

function mailDir(): string {
  return requireEnv(e2eEnv.mailDir);
}

/** Every message the SMTP server has received so far, in arrival order. */
export function capturedEmails(): CapturedEmail[] {
  const dir = mailDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as CapturedEmail);
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Messages whose envelope or To header names `to` (case-insensitive). */
export function emailsTo(to: string): CapturedEmail[] {
  return capturedEmails().filter((message) =>
    [...message.envelope.to, ...message.to].some((address) => sameAddress(address, to)),
  );
}

export interface WaitForEmailOptions {
  to: string;
  /** Only a message whose subject contains this text (exact case). */
  subjectIncludes?: string;
  /** Default 15 s. */
  timeoutMs?: number;
}

/** The first captured message to `to` (with a matching subject), polling until timeoutMs. */
export async function waitForEmail({ to, subjectIncludes, timeoutMs = 15_000 }: WaitForEmailOptions) {
  const matches = (message: CapturedEmail) =>
    subjectIncludes === undefined || message.subject.includes(subjectIncludes);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = emailsTo(to).find(matches);
    if (found) return found;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const received = emailsTo(to).map((message) => `"${message.subject}"`);
  throw new Error(
    `No email to ${to}${subjectIncludes === undefined ? "" : ` with a subject containing "${subjectIncludes}"`} ` +
      `within ${timeoutMs / 1000} s. Received for this address: ${received.length ? received.join(", ") : "none"}.`,
  );
}

/** Port of the capturing SMTP server (the app's SMTP_PORT), set by e2e/global-setup.ts. */
export function mailCapturePort(): number {
  return Number(requireEnv("E2E_SMTP_PORT"));
}

/** The `lang` attribute of the email's <html> element. */
export function htmlLang(message: CapturedEmail): string | null {
  return /<html\b[^>]*\blang="([^"]*)"/i.exec(message.html)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Join form

export interface Shopper {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  birthday?: { day: string; month: string; year: string };
  acceptTerms?: boolean;
}

/** Fills the join form through its labels in `locale` (the labels are part of what is tested). */
export async function fillJoinForm(page: Page, locale: Locale, shopper: Shopper): Promise<void> {
  const l = (key: string) => t(locale, `storefront:join.${key}`);
  await page.getByLabel(l("firstName"), { exact: true }).fill(shopper.firstName);
  await page.getByLabel(l("lastName"), { exact: true }).fill(shopper.lastName);
  await page.getByLabel(l("email"), { exact: true }).fill(shopper.email);
  if (shopper.phone !== undefined) await page.getByLabel(l("phone"), { exact: true }).fill(shopper.phone);
  if (shopper.birthday) {
    const group = page.getByRole("group", { name: l("birthday") });
    await group.getByLabel(l("day"), { exact: true }).fill(shopper.birthday.day);
    await group.getByLabel(l("month"), { exact: true }).fill(shopper.birthday.month);
    await group.getByLabel(l("year"), { exact: true }).fill(shopper.birthday.year);
  }
  if (shopper.acceptTerms ?? true) await page.getByLabel(l("terms"), { exact: true }).check();
}

export async function submitJoinForm(page: Page, locale: Locale): Promise<void> {
  await page.getByRole("button", { name: t(locale, "storefront:join.submit"), exact: true }).click();
}

/** The card token from /loyalty/join/success?card=<token>. */
export function cardTokenFrom(url: string): string {
  const token = new URL(url).searchParams.get("card");
  if (!token) throw new Error(`no ?card= token in ${url}`);
  return token;
}

/** What a shopper's enrollment through the storefront gave them. */
export interface EnrolledCard {
  token: string;
  /** As printed on the success page: "1234 5678 9012 3456". */
  cardNumber: string;
}

/** Enrolls `shopper` through a store's join form in `locale` (the store's default when it is omitted). */
export async function enrollShopper(
  page: Page,
  options: { subdomain: string; locale: Locale; useDefaultLanguage?: boolean; shopper: Shopper },
): Promise<EnrolledCard> {
  const { subdomain, locale, shopper } = options;
  await page.goto(storeUrl(subdomain, "/loyalty/join", options.useDefaultLanguage ? {} : { lang: locale }));
  await expect(page.locator("html")).toHaveAttribute("lang", locale);
  await fillJoinForm(page, locale, shopper);
  await submitJoinForm(page, locale);
  await page.waitForURL(/\/loyalty\/join\/success\?card=/);
  const number = page.locator(".card-number");
  await expect(number).toHaveText(/^\d{4} \d{4} \d{4} \d{4}$/);
  return { token: cardTokenFrom(page.url()), cardNumber: (await number.textContent()) ?? "" };
}

// ---------------------------------------------------------------------------------------------
// Staff

/**
 * Development accounts the app seeds (app/modules/auth/users.server.ts `demoStaff`, with the
 * languages `seedDemoStaff` gives them).
 */
export const demoStaff = {
  admin: { ...appDemoStaff.admin, preferredLanguage: "en" },
  owner: { ...appDemoStaff.owner, preferredLanguage: "fr" },
} as const satisfies Record<string, { email: string; password: string; preferredLanguage: Locale }>;

/**
 * The language a page is shown in (its `<html lang>`), e.g. the admin console in the admin's saved
 * language, which any earlier visit with ?lang= may have changed.
 */
export async function pageLocale(page: Page): Promise<Locale> {
  const lang = await page.locator("html").getAttribute("lang");
  const locale = locales.find((candidate) => candidate === lang);
  if (!locale) throw new Error(`<html lang="${lang}"> is not one of ${locales.join(", ")}`);
  return locale;
}

/**
 * Waits until React owns `locator`'s element (hydrated after a document load, or rendered by a
 * client navigation), so handlers and effects that only JavaScript adds (a live preview that
 * follows typing, say) are in place before the test types into it.
 */
export async function waitForHydration(locator: Locator): Promise<void> {
  await expect
    .poll(() => locator.evaluate((element) => Object.keys(element).some((key) => key.startsWith("__reactFiber$"))), {
      message: "React has hydrated the element",
    })
    .toBe(true);
}

/** Labels and button of the sign-in page in `locale`. */
export function loginForm(page: Page, locale: Locale) {
  return {
    email: page.getByLabel(t(locale, "console:login.email"), { exact: true }),
    password: page.getByLabel(t(locale, "console:login.password"), { exact: true }),
    submit: page.getByRole("button", { name: t(locale, "console:login.submit"), exact: true }),
  };
}

/**
 * Signs in through /login (shown in `locale`, default en, with ?lang=) and waits until the browser
 * has left the sign-in page. `redirectTo` is passed on like the app's own redirects do.
 */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  options: { locale?: Locale; redirectTo?: string } = {},
): Promise<void> {
  const locale = options.locale ?? "en";
  await page.goto(platformUrl("/login", { lang: locale, redirectTo: options.redirectTo }));
  const form = loginForm(page, locale);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** The sign-out button in the console header (a form POST to /logout). */
export async function signOut(page: Page, locale: Locale): Promise<void> {
  await page.getByRole("button", { name: t(locale, "console:shell.signOut"), exact: true }).click();
  await page.waitForURL(/\/login\?signedOut=1$/);
}

// ---------------------------------------------------------------------------------------------
// Database (the app's embedded PostgreSQL), for data no UI can create yet

/**
 * The app's DATA_DIR. e2e/global-setup.ts puts it beside the mail directory and the app log
 * (<tmp>/data, <tmp>/mail, <tmp>/app.log); E2E_DATA_DIR overrides.
 */
export function appDataDir(): string {
  return process.env.E2E_DATA_DIR ?? path.join(path.dirname(requireEnv(e2eEnv.mailDir)), "data");
}

/** Connection URL of the running app's embedded PostgreSQL, from <DATA_DIR>/postgres.json. */
export function databaseUrl(): string {
  const file = path.join(appDataDir(), "postgres.json");
  if (!existsSync(file)) throw new Error(`${file} does not exist: is the app (e2e/global-setup.ts) running?`);
  const { url } = JSON.parse(readFileSync(file, "utf8")) as { url?: string };
  if (!url) throw new Error(`${file} names no database url`);
  return url;
}

export type Sql = postgres.Sql;

/** Runs `work` with a short-lived connection to the app's database. */
export async function withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type StaffRole = "platform_admin" | "merchant_owner" | "store_manager" | "store_staff";

export interface NewStaffUser {
  /** Tag for the unique email address. */
  tag: string;
  role: StaffRole;
  /** Merchant slug, for owners (store roles take the store's merchant). */
  merchantSlug?: string;
  /** Store code, for store managers and staff. */
  storeCode?: string;
  preferredLanguage?: Locale;
  name?: string;
}

export interface StaffUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/**
 * Inserts a staff account straight into the users table (there is no user-management UI yet),
 * with a unique email and a random password hashed like the app does (argon2id).
 */
export async function createStaffUser(user: NewStaffUser): Promise<StaffUser> {
  const email = uniqueEmail(`staff-${user.tag}`);
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const name = user.name ?? `E2E ${user.tag}`;
  const passwordHash = await hashPassword(password);
  return withDatabase(async (sql) => {
    let merchantId: string | null = null;
    let storeId: string | null = null;
    if (user.storeCode) {
      const [store] = await sql<{ id: string; merchant_id: string }[]>`
        select id, merchant_id from stores where code = ${user.storeCode}`;
      if (!store) throw new Error(`no store with code ${user.storeCode}`);
      storeId = store.id;
      merchantId = store.merchant_id;
    } else if (user.merchantSlug) {
      const [merchant] = await sql<{ id: string }[]>`select id from merchants where slug = ${user.merchantSlug}`;
      if (!merchant) throw new Error(`no merchant with slug ${user.merchantSlug}`);
      merchantId = merchant.id;
    }
    const [row] = await sql<{ id: string }[]>`
      insert into users (email, name, password_hash, role, merchant_id, store_id, preferred_language)
      values (${email}, ${name}, ${passwordHash}, ${user.role}, ${merchantId}, ${storeId}, ${user.preferredLanguage ?? "en"})
      returning id`;
    if (!row) throw new Error("user insert returned no row");
    return { id: row.id, email, password, name };
  });
}

/**
 * Puts the shipped copy of one email template back in the database (as the editor's "Restore the
 * default text" does), for an afterAll that must leave the default copy whatever happened.
 */
export async function restoreDefaultEmailTemplate(key: EmailTemplateKey, locale: Locale): Promise<void> {
  const copy = defaultTemplates[locale][key];
  await withDatabase(
    (sql) => sql`
      update email_templates
      set subject = ${copy.subject}, preheader = ${copy.preheader}, body = ${copy.body}, updated_by = null
      where key = ${key} and locale = ${locale}`,
  );
}

/**
 * Removes every saved email setting (admin_settings, category "email"): the app goes back to the
 * environment's SMTP server, i.e. the capture server of e2e/global-setup.ts.
 */
export async function clearSavedEmailSettings(): Promise<void> {
  await withDatabase((sql) => sql`delete from admin_settings where category = 'email'`);
}

/** The id of the (single) loyalty card of the customer with this email at this merchant. */
export async function cardIdFor(email: string, merchantSlug: string): Promise<string> {
  return withDatabase(async (sql) => {
    const rows = await sql<{ id: string }[]>`
      select c.id from loyalty_cards c
      join customers cu on cu.id = c.customer_id
      join merchants m on m.id = c.merchant_id
      where lower(cu.email) = lower(${email}) and m.slug = ${merchantSlug}`;
    if (rows.length !== 1) throw new Error(`expected one ${merchantSlug} card for ${email}, found ${rows.length}`);
    return rows[0]?.id ?? "";
  });
}

/**
 * Every journey fails on a React hydration error in the browser: the server and the client
 * rendered different pages (e.g. a translation namespace missing on the client), so the page
 * re-rendered and may have thrown away what the user typed.
 */
export const test = base.extend<{ hydrationGuard: undefined }>({
  hydrationGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      const isHydrationError = (text: string) => /hydrat|did not match|minified react error #(418|423|425)/i.test(text);
      page.on("console", (message) => {
        if (message.type() === "error" && isHydrationError(message.text())) problems.push(message.text());
      });
      page.on("pageerror", (error) => {
        if (isHydrationError(error.message)) problems.push(error.message);
      });
      await use(undefined);
      expect(problems, "React hydration errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
