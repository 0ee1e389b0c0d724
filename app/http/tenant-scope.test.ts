import path from "node:path";
import { eq } from "drizzle-orm";
import type { ServerBuild } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyPrograms } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { createTestDatabase } from "~/test/database";
import { startTestServer, type TestServer } from "~/test/http";

/**
 * Walks every staff route React Router knows (so a new route is covered the day it is added) as
 * users of another merchant and of another store, and checks that nothing of Fashion Group leaks.
 */
const { db } = await createTestDatabase();
let server: TestServer;
const password = "correct horse battery";
const platform = "localhost";
const origin = { origin: "http://localhost:3000" };
const secrets = { email: "leak.check@example.com", phone: "+352691999888" };
const params: Record<string, string> = {};
let staffPaths: { path: string; hasAction: boolean }[] = [];

beforeAll(async () => {
  await seedDemoData(db);
  const byCode = Object.fromEntries((await db.select().from(stores)).map((row) => [row.code, row])) as Record<
    string,
    Store
  >;
  const hub = byCode.FASHIONHUB as Store;
  const outlet = byCode.FASHIONOUTLET as Store;
  const wiza = byCode.WIZATECH as Store;
  await createUser(db, {
    email: "owner@wiza.example",
    name: "Wiza Owner",
    password,
    role: "merchant_owner",
    merchantId: wiza.merchantId,
  });
  await createUser(db, {
    email: "manager@outlet.example",
    name: "Outlet Manager",
    password,
    role: "store_manager",
    merchantId: outlet.merchantId,
    storeId: outlet.id,
  });
  const card = await enrollCustomer(db, hub, {
    firstName: "Leak",
    lastName: "Check",
    email: secrets.email,
    phone: secrets.phone,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  const [program] = await db.select().from(loyaltyPrograms).where(eq(loyaltyPrograms.merchantId, hub.merchantId));
  const [member] = await db
    .insert(counterStaff)
    .values({ merchantId: hub.merchantId, storeId: hub.id, displayName: "Leak Check Clerk" })
    .returning();
  const [device] = await db
    .insert(terminalDevices)
    .values({ merchantId: hub.merchantId, storeId: hub.id, name: "Leak Check Till", pairedAt: new Date() })
    .returning();
  Object.assign(params, {
    cardId: card.cardId,
    storeId: hub.id,
    merchantId: hub.merchantId,
    programId: program?.id ?? "",
    staffId: member?.id ?? "",
    deviceId: device?.id ?? "",
  });

  const build = (await import(path.resolve(import.meta.dirname, "../../build/server/index.js"))) as ServerBuild;
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    if (!route) return "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}`.replace(/\/+/g, "/") : parent;
  };
  staffPaths = Object.keys(build.routes)
    .map((id) => ({ path: fullPath(id) || "/", hasAction: Boolean(build.routes[id]?.module.action) }))
    .filter((route) => /^\/(admin|merchant)(\/|$)/.test(route.path))
    .map((route) => ({
      ...route,
      path: route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? "missing"),
    }));
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000" });
});

async function signIn(email: string): Promise<string> {
  const response = await server.request(platform, "/login", { form: { email, password }, headers: origin });
  expect(response.status).toBe(302);
  return String(response.headers["set-cookie"]).split(";")[0] ?? "";
}

const leaks = (body: string) =>
  body.includes(secrets.email) ||
  body.includes(secrets.phone) ||
  body.includes("FashionHub") ||
  body.includes("Leak Check");

describe.each([
  ["another merchant's owner", "owner@wiza.example"],
  ["another store's manager", "manager@outlet.example"],
])("as %s", (_who, email) => {
  it("every staff page answers 403 or 404, or shows only the user's own data", async () => {
    expect(staffPaths.length).toBeGreaterThan(15);
    const cookie = await signIn(email);
    for (const { path: pathname } of staffPaths) {
      const response = await server.request(platform, pathname, { headers: { cookie } });
      expect([200, 302, 403, 404], pathname).toContain(response.status);
      expect(leaks(response.body), `${pathname} leaks Fashion data`).toBe(false);
      if (pathname.startsWith("/admin")) expect(response.status, pathname).toBe(403);
      if (/[0-9a-f]{8}-[0-9a-f]{4}/.test(pathname) && pathname.startsWith("/merchant"))
        expect(response.status, pathname).toBe(404);
    }
  });

  it("every staff action refuses to change anything", async () => {
    const cookie = await signIn(email);
    for (const { path: pathname, hasAction } of staffPaths) {
      if (!hasAction) continue;
      const response = await server.request(platform, pathname, {
        form: {
          storeId: params.storeId ?? "",
          enabled: "off",
          "name.en": "Hijacked",
          name: "Hijacked",
          slug: "hijacked",
        },
        headers: { ...origin, cookie },
      });
      // A record of another tenant behind a merchant portal address is not there (404), as for its page.
      const refused = /[0-9a-f]{8}-[0-9a-f]{4}/.test(pathname) && pathname.startsWith("/merchant") ? 404 : 403;
      expect(response.status, pathname).toBe(refused);
    }
    const [hub] = await db
      .select()
      .from(stores)
      .where(eq(stores.id, params.storeId ?? ""));
    expect(hub?.loyaltyEnabled).toBe(true);
    expect(hub?.name).toBe("FashionHub");
  });
});
