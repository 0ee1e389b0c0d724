import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "~/config.server";
import { locales } from "~/i18n/locales";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyPrograms, loyaltyRewards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { type EmailTemplateKey, emailTemplateKeys } from "~/modules/outbox/kinds";
import { emailLogs } from "~/modules/outbox/schema";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { defaultTemplates } from "./default-templates";
import { effectiveEmailConfig } from "./email-config.server";
import type { RenderContext } from "./email-content.server";
import { previewShop } from "./kinds/shopper.server";
import { renderEmail, renderPreview } from "./render.server";
import { checkTemplate } from "./templates.server";

const { db } = await createTestDatabase();
const config = loadConfig({ DATA_DIR: "/tmp/rewardflow-render-test", APP_SECRET: "r".repeat(32), PORT: "3000" });
let context: RenderContext;
let ids: { cardId: string; customerId: string; storeId: string; merchantId: string; userId: string; rewardId: string };

beforeAll(async () => {
  await seedDemoData(db);
  const [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  const enrolled = await enrollCustomer(db, store, {
    firstName: '<b>Léa & "Co"</b>',
    lastName: "Schmit",
    email: "render@example.com",
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  const [card] = await db.select().from(emailLogs).where(eq(emailLogs.cardId, enrolled.cardId)).limit(1);
  const user = await createUser(db, {
    email: "staff@example.com",
    name: "Claire <Weber>",
    password: null,
    role: "platform_admin",
  });
  const [reward] = await db.select().from(loyaltyRewards).limit(1);
  if (!card?.customerId || !reward) throw new Error("seed data missing");
  ids = {
    cardId: enrolled.cardId,
    customerId: card.customerId,
    storeId: store.id,
    merchantId: store.merchantId,
    userId: user.id,
    rewardId: reward.id,
  };
  context = {
    platformOrigin: config.platformOrigin,
    appSecret: config.APP_SECRET,
    emailConfig: await effectiveEmailConfig(db, config),
    walletLinks: false,
  };
});

const params: Partial<Record<EmailTemplateKey, Record<string, unknown>>> = {
  loyalty_points_expiring: { expiringPoints: 40, expiresOn: "2026-12-31" },
};

async function queuedRow(key: EmailTemplateKey, locale: (typeof locales)[number]) {
  const shopper = key.startsWith("loyalty_");
  const [row] = await db
    .insert(emailLogs)
    .values({
      templateKey: key,
      locale,
      recipient: "someone@example.com",
      status: "queued",
      ...(shopper
        ? { cardId: ids.cardId, customerId: ids.customerId, storeId: ids.storeId, merchantId: ids.merchantId }
        : { userId: ids.userId }),
      params: key === "loyalty_reward_ready" ? { rewardId: ids.rewardId } : (params[key] ?? {}),
    })
    .returning();
  if (!row) throw new Error("no row");
  return row;
}

const unresolved = /\{\{|\}\}/;

describe.each(locales)("every email in %s", (locale) => {
  it.each(emailTemplateKeys)("%s renders from real records with every placeholder filled", async (key) => {
    const rendered = await renderEmail(db, await queuedRow(key, locale), context);
    expect(rendered.subject).not.toMatch(unresolved);
    expect(rendered.html).not.toMatch(unresolved);
    expect(rendered.text).not.toMatch(unresolved);
    expect(rendered.html).toContain(`lang="${locale}"`);
    expect(rendered.subject.trim()).not.toBe("");
  });

  it.each(emailTemplateKeys)("%s previews with sample data", async (key) => {
    const rendered = await renderPreview(key, locale, defaultTemplates[locale][key], context);
    expect(rendered.html).not.toMatch(unresolved);
    expect(rendered.text).not.toMatch(unresolved);
    expect(rendered.subject).not.toMatch(unresolved);
  });

  it("previews with the first program's name and store, in the preview's language, not a store code", async () => {
    const shop = await previewShop(db, locale, config.platformOrigin);
    const [first] = await db
      .select({ program: loyaltyPrograms, store: stores })
      .from(loyaltyPrograms)
      .innerJoin(stores, eq(stores.merchantId, loyaltyPrograms.merchantId))
      .orderBy(asc(loyaltyPrograms.createdAt), asc(stores.name))
      .limit(1);
    if (!first || !shop) throw new Error("no demo program");
    expect(shop.store).toBe(first.store.name);
    expect(shop.program).toBe(first.program.nameTranslations[locale] ?? first.program.name);
    const rendered = await renderPreview("loyalty_enrollment", locale, defaultTemplates[locale].loyalty_enrollment, {
      ...context,
      previewShop: shop,
    });
    expect(rendered.html).toContain(shop.store);
    expect(rendered.html).toContain(shop.program);
    // The generic sample is a store code; the plain text's header is upper case anyway, so read the HTML.
    expect(rendered.html).not.toContain("FASHIONHUB");
  });

  it("ships default copy that passes the editor's own checks", () => {
    for (const key of emailTemplateKeys) expect(checkTemplate(key, defaultTemplates[locale][key])).toEqual({});
  });
});

describe("placeholder values", () => {
  it("are inserted as text: a name with markup never becomes markup", async () => {
    const rendered = await renderEmail(db, await queuedRow("loyalty_enrollment", "en"), context);
    expect(rendered.html).not.toContain("<b>Léa");
    expect(rendered.html).toContain("&lt;b&gt;Léa &amp; ");
    const staff = await renderEmail(db, await queuedRow("password_reset", "en"), context);
    expect(staff.html).not.toContain("Claire <Weber>");
  });

  it("put the card's QR inline as a CID attachment linked to the card page", async () => {
    const rendered = await renderEmail(db, await queuedRow("loyalty_enrollment", "de"), context);
    expect(rendered.attachments).toHaveLength(1);
    expect(rendered.attachments[0]).toMatchObject({ cid: "card-qr@rewardflow", contentType: "image/png" });
    expect(rendered.html).toContain('src="cid:card-qr@rewardflow"');
    expect(rendered.html).not.toContain("data:image");
    expect(rendered.html).toMatch(/href="http:\/\/fashionhub\.localhost:3000\/loyalty\/card\/[\w-]+\?lang=de"/);
  });

  it("keep the one-time link of a password reset out of the stored copy", async () => {
    const rendered = await renderEmail(db, await queuedRow("password_reset", "fr"), context);
    expect(rendered.html).toMatch(/reset-password\?token=[\w-]{20,}/);
    expect(rendered.stored?.html).not.toMatch(/reset-password\?token=[\w-]{20,}/);
    expect(rendered.stored?.html).toContain("[redacted]");
  });

  it("give the points-expiring reminder a working one-click unsubscribe link", async () => {
    const rendered = await renderEmail(db, await queuedRow("loyalty_points_expiring", "lb"), context);
    expect(rendered.unsubscribeUrl).toMatch(
      new RegExp(`^http://fashionhub\\.localhost:3000/loyalty/unsubscribe/${ids.customerId}\\.[\\w-]+\\?lang=lb$`),
    );
    expect(rendered.html).toContain(rendered.unsubscribeUrl);
    const enrollment = await renderEmail(db, await queuedRow("loyalty_enrollment", "lb"), context);
    expect(enrollment.unsubscribeUrl).toBeUndefined();
  });
});

describe("the layout", () => {
  it("titles the document with the subject", async () => {
    const rendered = await renderEmail(db, await queuedRow("loyalty_enrollment", "fr"), context);
    expect(rendered.html).toContain(`<title>${rendered.subject.replace(/&/g, "&amp;")}</title>`);
    expect(rendered.text).not.toContain(rendered.subject);
  });

  it("draws every button for Outlook for Windows too: a rounded VML button there, the HTML one everywhere else", async () => {
    for (const key of ["loyalty_enrollment", "password_reset"] as const) {
      const { html } = await renderEmail(db, await queuedRow(key, "fr"), context);
      // React writes & as &amp;, the VML string as &#38;: compare the URLs themselves.
      const url = (attribute: string | undefined) => attribute?.replace(/&amp;|&#38;/g, "&");
      const links = [...html.matchAll(/<a href="([^"]+)"[^>]*style="[^"]*mso-hide:all[^"]*"/g)].map((m) => url(m[1]));
      const shapes = [...html.matchAll(/<!--\[if mso\]><v:roundrect [^>]*href="([^"]+)"[^>]*arcsize="14%"[^>]*>/g)];
      expect(links.length, key).toBe(1);
      expect(
        shapes.map((m) => url(m[1])),
        key,
      ).toEqual(links);
      expect(html).toMatch(/<\/v:roundrect><!\[endif\]-->/);
    }
  });

  it("draws a stamps program's card as a stamp grid with its count in words", async () => {
    const [wizaTech] = (await db.select().from(stores).where(eq(stores.code, "WIZATECH"))) as [Store];
    const enrolled = await enrollCustomer(db, wizaTech, {
      firstName: "Tom",
      lastName: "Kieffer",
      email: "stamps@example.com",
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "de",
    });
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.cardId, enrolled.cardId)).limit(1);
    if (!row) throw new Error("no enrollment email");
    const rendered = await renderEmail(db, row, context);
    expect(rendered.html).toContain("1 von 10 Stempeln");
    expect(rendered.html.match(/✓/g)).toHaveLength(1);
    // The demo logo is SVG, which mail clients do not show: the store's name heads the email instead.
    expect(rendered.html).not.toContain("wizatech.svg");
    expect(rendered.html).toContain(">WizaTech</h1>");
  });
});
