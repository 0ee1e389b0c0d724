import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { ServerBuild } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/modules/auth/users.server";
import { loyaltyPrograms, loyaltyRewards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import { createTestDatabase } from "~/test/database";
import { eventually } from "~/test/eventually";
import { htmlLang, inHtml } from "~/test/html";
import { startTestServer, type TestResponse, type TestServer } from "~/test/http";
import {
  createRenderMemo,
  type DocumentInput,
  documentKey,
  noncePlaceholder,
  type RenderMemo,
} from "./render-memo.server";

const input = (loaderData: unknown): DocumentInput => ({
  build: "b1",
  url: "http://fashionhub.localhost/loyalty/join",
  status: 200,
  locale: "fr",
  surface: "storefront",
  routeIds: ["root", "routes/surface", "routes/storefront/join"],
  loaderData,
  actionData: null,
  errors: null,
});

describe("the document key", () => {
  it("differs whenever the page could render differently", () => {
    const keys = [
      documentKey(input({ a: { name: "x" } })),
      documentKey(input({ a: { name: "y" } })),
      documentKey(input({ a: { name: "2020-01-01T00:00:00.000Z" } })),
      documentKey(input({ a: { name: new Date("2020-01-01T00:00:00.000Z") } })),
      documentKey(input({ a: { name: null } })),
      documentKey(input({ a: { name: undefined } })),
      documentKey(input({ a: {} })),
      documentKey(input({ a: { name: 0 } })),
      documentKey(input({ a: { name: -0 } })),
      documentKey(input({ a: { name: "0" } })),
      documentKey(input({ a: { x: 1, y: 2 } })),
      documentKey(input({ a: { y: 2, x: 1 } })),
      documentKey(input({ a: [1, 2] })),
      documentKey(input({ a: { 0: 1, 1: 2 } })),
      documentKey({ ...input({}), url: "http://fashionoutlet.localhost/loyalty/join" }),
      documentKey({ ...input({}), url: "http://fashionhub.localhost/loyalty/join?lang=fr" }),
      documentKey({ ...input({}), locale: "de" }),
      documentKey({ ...input({}), surface: "platform" }),
      documentKey({ ...input({}), build: "b2" }),
      documentKey({ ...input({}), actionData: { result: {} } }),
    ];
    expect(keys.every((key) => typeof key === "string")).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(documentKey(input({ a: { name: "x" } }))).toBe(keys[0]);
  });

  it("refuses anything but plain data, so such a page is rendered afresh", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    class Card {
      balance = 1;
    }
    for (const value of [
      () => 1,
      Promise.resolve(1),
      new Card(),
      new Map([["a", 1]]),
      Symbol("s"),
      cycle,
      // biome-ignore lint/suspicious/noSparseArray: a hole renders differently from undefined
      [1, , 3],
      { [Symbol("hidden")]: 1 },
    ]) {
      expect(documentKey(input({ a: { value } }))).toBeUndefined();
    }
    const shared = { name: "x" };
    expect(documentKey(input({ a: shared, b: shared }))).toBeTypeOf("string");
  });
});

describe("the memo", () => {
  const nonce = "bm9uY2Utb2YtcmVxdWVzdA==";
  const page = (text: string) => async (placeholder: string) => ({
    html: `<script nonce="${placeholder}">${text}</script><p>${text}</p>`,
    failed: false,
  });

  it("renders once per input and puts each response's nonce in every place of the placeholder", async () => {
    const memo = createRenderMemo();
    const first = await memo.page(input({ a: 1 }), nonce, page("one"));
    const second = await memo.page(input({ a: 1 }), "b3RoZXItbm9uY2U=", page("not rendered"));
    expect(first.html).toBe(`<script nonce="${nonce}">one</script><p>one</p>`);
    expect(second.html).toBe(`<script nonce="b3RoZXItbm9uY2U=">one</script><p>one</p>`);
    expect(memo.stats()).toMatchObject({ pages: 1, hits: 1, renders: 1 });
    expect(first.html + second.html).not.toContain(noncePlaceholder);
  });

  it("keeps no failed render, and renders afresh with the real nonce when the input is not plain data", async () => {
    const memo = createRenderMemo();
    await memo.page(input({ a: 1 }), nonce, async () => ({ html: "broken", failed: true }));
    expect(memo.stats().pages).toBe(0);
    let seen = "";
    await memo.page(input({ a: () => 1 }), nonce, async (given) => {
      seen = given;
      return { html: "", failed: false };
    });
    expect(seen).toBe(nonce);
    expect(memo.stats()).toMatchObject({ pages: 0, renders: 1 });
  });

  it("forgets the least recently served pages beyond its size", async () => {
    const maxBytes = 16 * 8_000;
    const memo = createRenderMemo(maxBytes);
    const big = "x".repeat(1_900); // a page of about 7.7 KB: sixteen fit
    for (let n = 1; n <= 20; n++) {
      await memo.page(input({ n }), nonce, page(big));
      if (n === 10) await memo.page(input({ n: 1 }), nonce, page(big));
    }
    expect(memo.stats().pages).toBe(16);
    expect(memo.stats().bytes).toBeLessThanOrEqual(maxBytes);
    const renders = () => memo.stats().renders;
    const before = renders();
    await memo.page(input({ n: 1 }), nonce, page(big));
    expect(renders()).toBe(before);
    await memo.page(input({ n: 2 }), nonce, page(big));
    expect(renders()).toBe(before + 1);
  });
});

const { db } = await createTestDatabase();
let server: TestServer;
let build: ServerBuild;
const password = "correct horse battery";
const memoStats = () => (build.entry.module as unknown as { renderMemo: RenderMemo }).renderMemo.stats();

beforeAll(async () => {
  await seedDemoData(db);
  await createUser(db, { email: "admin@test.example", name: "Admin", password, role: "platform_admin" });
  build = (await import(path.resolve(import.meta.dirname, "../../build/server/index.js"))) as ServerBuild;
  server = await startTestServer(db, { ENROLL_RATE_LIMIT: "1000", LOGIN_RATE_LIMIT: "1000" });
});

const cspNonce = (response: TestResponse) =>
  /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))?.[1] ?? "";

/** The page with its nonce blanked: what two responses for the same input must share. */
const withoutNonce = (response: TestResponse) => response.body.replaceAll(cspNonce(response), "NONCE");

/** A GET and what it did to the memo. */
async function get(host: string, pathname: string, headers: Record<string, string> = {}) {
  const before = memoStats();
  const response = await server.request(host, pathname, { headers });
  const after = memoStats();
  return { response, hit: after.hits > before.hits, rendered: after.renders > before.renders };
}

describe("memoized storefront pages", () => {
  it("serves the join page from the memo with the CSP header's nonce on every script, fresh per response", async () => {
    const first = await get("fashionhub.localhost", "/loyalty/join?lang=fr");
    const second = await get("fashionhub.localhost", "/loyalty/join?lang=fr");
    expect(first).toMatchObject({ hit: false, rendered: true });
    expect(second).toMatchObject({ hit: true, rendered: false });
    const nonces = [first, second].map(({ response }) => {
      expect(response.status).toBe(200);
      const nonce = cspNonce(response);
      expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
      // A storefront page's one script (ADR 043); the memo's own tests fill several places.
      const scripts = response.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts).toEqual([`<script nonce="${nonce}">`]);
      const attributes = [...response.body.matchAll(/ nonce="([^"]*)"/g)].map((match) => match[1]);
      expect(new Set(attributes)).toEqual(new Set([nonce, ""]));
      expect(response.body).not.toContain(noncePlaceholder);
      return nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(withoutNonce(second.response)).toBe(withoutNonce(first.response));
  });

  it("never shares a page between two stores of one merchant, or two languages", async () => {
    const pages = [
      ["fashionhub.localhost", "fr", "FashionHub"],
      ["fashionoutlet.localhost", "fr", "FashionOutlet"],
      ["fashionhub.localhost", "de", "FashionHub"],
      ["fashionoutlet.localhost", "de", "FashionOutlet"],
    ] as const;
    const bodies: string[] = [];
    for (const [host, locale, storeName] of pages) {
      for (let round = 0; round < 2; round++) {
        const { response } = await get(host, "/loyalty/join", { "accept-language": locale, cookie: "" });
        expect(htmlLang(response.body)).toBe(locale);
        expect(response.body).toContain(`<span>${inHtml(storeName)}</span>`);
        if (round === 0) bodies.push(withoutNonce(response));
        else expect(withoutNonce(response)).toBe(bodies.at(-1));
      }
    }
    expect(new Set(bodies).size).toBe(pages.length);
  });

  it("shows a program's or store's edit on the next GET", async () => {
    await get("fashionhub.localhost", "/?lang=fr");
    expect((await get("fashionhub.localhost", "/?lang=fr")).hit).toBe(true);
    // Rewards are read on every request: the very next page shows the new name.
    const [program] = await db
      .select({ id: loyaltyPrograms.id })
      .from(loyaltyPrograms)
      .innerJoin(stores, eq(stores.merchantId, loyaltyPrograms.merchantId))
      .where(eq(stores.code, "FASHIONHUB"));
    const [reward] = await db
      .select()
      .from(loyaltyRewards)
      .where(and(eq(loyaltyRewards.programId, program?.id ?? ""), eq(loyaltyRewards.active, true)))
      .limit(1);
    await db
      .update(loyaltyRewards)
      .set({ name: "Sac réutilisable en lin", nameTranslations: {} })
      .where(eq(loyaltyRewards.id, reward?.id ?? ""));
    const renamed = await get("fashionhub.localhost", "/?lang=fr");
    expect(renamed.hit).toBe(false);
    expect(renamed.response.body).toContain(inHtml("Sac réutilisable en lin"));
    // The store comes from the host cache, which PostgreSQL notifies of the edit: the first page after it.
    await db.execute(sql`update stores set name = 'FashionHub Kirchberg' where code = 'FASHIONHUB'`);
    const page = await eventually(
      () => get("fashionhub.localhost", "/loyalty/join?lang=fr"),
      (answer) => answer.response.body.includes("FashionHub Kirchberg"),
    );
    expect(page.response.body).toContain("<span>FashionHub Kirchberg</span>");
    expect(page.response.body).not.toContain("<span>FashionHub</span>");
    await db.update(stores).set({ name: "FashionHub" }).where(eq(stores.code, "FASHIONHUB"));
  });

  it("renders afresh what depends on a session, a submission, an error or one shopper", async () => {
    const platform = "localhost";
    const login = await server.request(platform, "/login", {
      form: { email: "admin@test.example", password },
      headers: { origin: "http://localhost:3000" },
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
    for (let round = 0; round < 2; round++) {
      const console = await get(platform, "/admin", { cookie });
      expect(console.response.status).toBe(200);
      expect(console).toMatchObject({ hit: false, rendered: false });
    }
    const signIn = await get(platform, "/login");
    expect(signIn).toMatchObject({ hit: false, rendered: false });
    // A language switch posts the typed values: the answer carries them and is never memoized.
    const before = memoStats();
    const switched = await server.request("fashionhub.localhost", "/loyalty/join?lang=de", {
      form: { intent: "switch-language", firstName: "Léa", email: "lea@example.com" },
      headers: { origin: "http://fashionhub.localhost:3000" },
    });
    expect(switched.status).toBe(200);
    expect(switched.body).toContain('value="Léa"');
    expect(memoStats()).toEqual(before);
    const again = await get("fashionhub.localhost", "/loyalty/join?lang=de");
    expect(again.response.body).not.toContain("Léa");
    const notFound = await get("fashionhub.localhost", "/loyalty/nothing-here");
    expect(notFound.response.status).toBe(404);
    expect(notFound).toMatchObject({ hit: false, rendered: false });
    const success = await get("fashionhub.localhost", "/loyalty/join/success?existing=1");
    expect(success).toMatchObject({ hit: false, rendered: false });
  });
});
