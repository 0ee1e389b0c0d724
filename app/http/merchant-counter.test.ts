import { compare } from "bcryptjs";
import { and, asc, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDate } from "~/i18n/format";
import { serverI18n } from "~/i18n/resources.server";
import { auditLog } from "~/modules/audit/schema";
import { createUser } from "~/modules/auth/users.server";
import { qrSvg } from "~/modules/loyalty/qr.server";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createCounterStaff, verifyPin } from "~/modules/terminal/counter-staff.server";
import { createPairingCode, pairDevice } from "~/modules/terminal/devices.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { normalizePairingCode, secretHash } from "~/modules/terminal/secrets.server";
import { createTestDatabase } from "~/test/database";
import { inHtml } from "~/test/html";
import { startTestServer, type TestServer } from "~/test/http";

/** The merchant portal's counter staff and device pages, through HTTP as the browser sends them. */

const { db } = await createTestDatabase();
let server: TestServer;
const store: Record<string, Store> = {};
const password = "correct horse battery";
const platform = "localhost";
const sameOrigin = { origin: "http://localhost:3000" };
const fr = serverI18n("fr");
/** A counter string in French as the page writes it; a key without a French text fails the test. */
function c(key: string, vars?: Record<string, unknown>): string {
  const text = String(fr.t(`console:counter.${key}` as "console:counter.nav.staff", vars as never));
  if (text.includes(`counter.${key}`)) throw new Error(`no French text for counter.${key}`);
  return inHtml(text);
}
let ownerActor: Actor;

const hub = () => store.FASHIONHUB as Store;
const outlet = () => store.FASHIONOUTLET as Store;

beforeAll(async () => {
  await seedDemoData(db);
  for (const row of await db.select().from(stores)) store[row.code] = row;
  const users = [
    { email: "owner@counter.example", role: "merchant_owner" as const, merchantId: hub().merchantId },
    { email: "wiza@counter.example", role: "merchant_owner" as const, merchantId: store.WIZATECH?.merchantId },
    {
      email: "outlet@counter.example",
      role: "store_manager" as const,
      merchantId: outlet().merchantId,
      storeId: outlet().id,
    },
    { email: "clerk@counter.example", role: "store_staff" as const, merchantId: hub().merchantId, storeId: hub().id },
    { email: "admin@counter.example", role: "platform_admin" as const },
  ];
  for (const user of users) {
    const created = await createUser(db, { ...user, name: user.email, password, preferredLanguage: "fr" });
    if (user.role === "merchant_owner" && user.merchantId === hub().merchantId) {
      ownerActor = {
        userId: created.id,
        email: created.email,
        name: created.name,
        role: "merchant_owner",
        merchantId: hub().merchantId,
        storeId: null,
        preferredLanguage: "fr",
      };
    }
  }
  server = await startTestServer(db, { LOGIN_RATE_LIMIT: "1000" });
});

async function signIn(email: string): Promise<string> {
  const response = await server.request(platform, "/login", { form: { email, password }, headers: sameOrigin });
  expect(response.status).toBe(302);
  return String(response.headers["set-cookie"]).split(";")[0] ?? "";
}

const page = (cookie: string, path: string) => server.request(platform, path, { headers: { cookie } });
const post = (cookie: string, path: string, form: Record<string, string>) =>
  server.request(platform, path, { form, headers: { ...sameOrigin, cookie } });

async function member(storeRow = hub(), displayName = "Marie") {
  return createCounterStaff(db, ownerActor, { storeId: storeRow.id, displayName, pin: "1234" });
}

async function device(storeRow = hub(), name = "Till") {
  const { code } = await createPairingCode(db, ownerActor, storeRow.id);
  return pairDevice(db, { code, name });
}

const auditActions = async (entityId: string) =>
  (await db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(asc(auditLog.id))).map(
    (row) => row.action,
  );

describe("counter staff", () => {
  it("an owner picks a store, adds a person with a PIN: listed, bcrypt-hashed, audited, the PIN never sent back", async () => {
    const owner = await signIn("owner@counter.example");
    const picker = await page(owner, "/merchant/counter-staff");
    expect(picker.status).toBe(200);
    expect(picker.body).toContain(`href="/merchant/counter-staff/${hub().id}"`);
    expect(picker.body).toContain(`href="/merchant/counter-staff/${outlet().id}"`);
    expect(picker.body).not.toContain(store.WIZATECH?.id);

    const path = `/merchant/counter-staff/${hub().id}`;
    const before = await page(owner, path);
    expect(before.status).toBe(200);
    expect(before.body).toContain(c("staff.title", { store: "FashionHub" }));
    expect(before.headers["cache-control"]).toContain("no-store");

    const created = await post(owner, path, { displayName: " Sophie ", pin: "482913", pinConfirm: "482913" });
    expect(created.status).toBe(302);
    const [row] = await db
      .select()
      .from(counterStaff)
      .where(and(eq(counterStaff.storeId, hub().id), eq(counterStaff.displayName, "Sophie")));
    expect(row).toBeDefined();
    expect(created.headers.location).toBe(`${path}?added=${row?.id}`);
    expect(row?.pinHash).toMatch(/^\$2[aby]\$10\$/);
    expect(await compare("482913", row?.pinHash ?? "")).toBe(true);
    expect(await auditActions(row?.id ?? "")).toEqual(["terminal.counter_staff_created"]);

    const after = await page(owner, String(created.headers.location));
    expect(after.body).toContain(c("staff.added", { name: "Sophie" }));
    expect(after.body).toContain(`href="${path}/${row?.id}"`);
    expect(after.body).toContain(c("staff.never"));
    for (const body of [created.body, after.body]) expect(body).not.toContain("482913");
  });

  it("refuses a bad PIN or name next to its field, in the user's language, with a 400; nothing is saved", async () => {
    const owner = await signIn("owner@counter.example");
    const path = `/merchant/counter-staff/${hub().id}`;
    const countBefore = (await db.select().from(counterStaff)).length;
    const cases: [Record<string, string>, string][] = [
      [{ displayName: "Léa", pin: "123", pinConfirm: "123" }, "pinFormat"],
      [{ displayName: "Léa", pin: "1234567", pinConfirm: "1234567" }, "pinFormat"],
      [{ displayName: "Léa", pin: "12a4", pinConfirm: "12a4" }, "pinFormat"],
      [{ displayName: "Léa", pin: " 1234", pinConfirm: " 1234" }, "pinFormat"],
      [{ displayName: "Léa", pin: "１２３４", pinConfirm: "１２３４" }, "pinFormat"],
      [{ displayName: "Léa", pin: "", pinConfirm: "" }, "pinRequired"],
      [{ displayName: "Léa", pin: "739146", pinConfirm: "" }, "pinConfirmRequired"],
      [{ displayName: "Léa", pin: "739146", pinConfirm: "739164" }, "pinMismatch"],
      [{ displayName: "   ", pin: "739146", pinConfirm: "739146" }, "nameRequired"],
      [{ displayName: "x".repeat(81), pin: "739146", pinConfirm: "739146" }, "nameTooLong"],
      [{ displayName: "<b>Léa</b>", pin: "739146", pinConfirm: "739146" }, "nameInvalid"],
    ];
    for (const [form, error] of cases) {
      const response = await post(owner, path, form);
      expect(response.status, error).toBe(400);
      expect(response.body, error).toContain(c(`errors.${error}`));
      expect(response.body, error).toContain('aria-invalid="true"');
      expect(response.body).not.toContain("739146");
    }
    expect((await db.select().from(counterStaff)).length).toBe(countBefore);
    // Not a form at all: the localized 400 page, never a 500.
    const json = await server.request(platform, path, {
      method: "POST",
      headers: { ...sameOrigin, cookie: owner, "content-type": "multipart/form-data; boundary=x" },
      body: "garbage",
    });
    expect(json.status).toBe(400);
  });

  it("a member's page unlocks and resets the PIN, renames, deactivates and reactivates, all audited", async () => {
    const owner = await signIn("owner@counter.example");
    const marie = await member(hub(), "Marie T.");
    const path = `/merchant/counter-staff/${hub().id}/${marie.id}`;
    await db
      .update(counterStaff)
      .set({ failedPinAttempts: 10, pinLockedAt: new Date() })
      .where(eq(counterStaff.id, marie.id));
    const locked = await page(owner, path);
    expect(locked.status).toBe(200);
    expect(locked.body).toContain(c("member.lockedTitle"));
    expect(locked.body).toContain(c("staff.locked"));

    const unlocked = await post(owner, path, { intent: "unlock" });
    expect(unlocked.status).toBe(302);
    expect(unlocked.headers.location).toBe(`${path}?done=unlocked`);
    expect(await verifyPin(db, { storeId: hub().id }, marie.id, "1234")).toMatchObject({ id: marie.id });
    expect((await page(owner, `${path}?done=unlocked`)).body).toContain(c("member.done.unlocked"));

    const badPin = await post(owner, path, { intent: "pin", pin: "12", pinConfirm: "12" });
    expect(badPin.status).toBe(400);
    expect(badPin.body).toContain(c("errors.pinFormat"));
    const reset = await post(owner, path, { intent: "pin", pin: "905172", pinConfirm: "905172" });
    expect(reset.status).toBe(302);
    expect(await verifyPin(db, { storeId: hub().id }, marie.id, "905172")).toMatchObject({ id: marie.id });
    expect((await page(owner, `${path}?done=pinSet`)).body).not.toContain("905172");

    expect((await post(owner, path, { intent: "rename", displayName: "" })).status).toBe(400);
    expect((await post(owner, path, { intent: "rename", displayName: "Marie-Claire" })).status).toBe(302);
    expect((await page(owner, path)).body).toContain("Marie-Claire");

    expect((await post(owner, path, { intent: "deactivate" })).status).toBe(302);
    const deactivated = await page(owner, `${path}?done=deactivated`);
    expect(deactivated.body).toContain(c("member.done.deactivated", { name: "Marie-Claire" }));
    expect(deactivated.body).toContain(c("member.reactivate"));
    expect(
      await db
        .select()
        .from(counterStaff)
        .where(and(eq(counterStaff.id, marie.id), isNull(counterStaff.deactivatedAt))),
    ).toHaveLength(0);
    expect((await post(owner, path, { intent: "reactivate" })).status).toBe(302);
    expect(
      await db
        .select()
        .from(counterStaff)
        .where(and(eq(counterStaff.id, marie.id), isNull(counterStaff.deactivatedAt))),
    ).toHaveLength(1);

    expect((await post(owner, path, { intent: "explode" })).status).toBe(400);
    expect(await auditActions(marie.id)).toEqual([
      "terminal.counter_staff_created",
      "terminal.pin_unlocked",
      "terminal.pin_set",
      "terminal.counter_staff_renamed",
      "terminal.counter_staff_deactivated",
      "terminal.counter_staff_reactivated",
    ]);
  });
});

describe("who may manage which counter", () => {
  it("a store manager lands on their own store and gets 404 for the sister store's pages, people and devices", async () => {
    const manager = await signIn("outlet@counter.example");
    for (const section of ["counter-staff", "devices"]) {
      const picker = await page(manager, `/merchant/${section}`);
      expect(picker.status).toBe(302);
      expect(picker.headers.location).toBe(`/merchant/${section}/${outlet().id}`);
      expect((await page(manager, `/merchant/${section}/${outlet().id}`)).status).toBe(200);
    }
    const hubMember = await member(hub(), "Hub only");
    const hubDevice = await device(hub(), "Hub till");
    const ownMember = await member(outlet(), "Outlet person");
    for (const path of [
      `/merchant/counter-staff/${hub().id}`,
      `/merchant/counter-staff/${hub().id}/${hubMember.id}`,
      `/merchant/counter-staff/${outlet().id}/${hubMember.id}`,
      `/merchant/devices/${hub().id}`,
      `/merchant/devices/${hub().id}/${hubDevice.device.id}`,
      `/merchant/devices/${outlet().id}/${hubDevice.device.id}`,
      `/merchant/counter-staff/${outlet().id}/not-a-uuid`,
    ]) {
      const response = await page(manager, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain("Hub only");
      expect(response.body, path).not.toContain("Hub till");
    }
    const writes: [string, Record<string, string>][] = [
      [`/merchant/counter-staff/${hub().id}`, { displayName: "Intruder", pin: "1234", pinConfirm: "1234" }],
      [`/merchant/counter-staff/${outlet().id}/${hubMember.id}`, { intent: "deactivate" }],
      [`/merchant/counter-staff/${outlet().id}/${hubMember.id}`, { intent: "pin", pin: "0000", pinConfirm: "0000" }],
      [`/merchant/devices/${hub().id}`, { intent: "pair" }],
      [`/merchant/devices/${outlet().id}/${hubDevice.device.id}`, { intent: "revoke" }],
    ];
    for (const [path, form] of writes) expect((await post(manager, path, form)).status, path).toBe(404);
    const [hubRow] = await db.select().from(counterStaff).where(eq(counterStaff.id, hubMember.id));
    expect(hubRow?.deactivatedAt).toBeNull();
    expect(await verifyPin(db, { storeId: hub().id }, hubMember.id, "1234")).toMatchObject({ id: hubMember.id });
    const [deviceRow] = await db.select().from(terminalDevices).where(eq(terminalDevices.id, hubDevice.device.id));
    expect(deviceRow?.revokedAt).toBeNull();
    expect(await db.select().from(counterStaff).where(eq(counterStaff.displayName, "Intruder"))).toHaveLength(0);

    // Their own store's people they manage.
    const own = `/merchant/counter-staff/${outlet().id}/${ownMember.id}`;
    expect((await post(manager, own, { intent: "rename", displayName: "Outlet person 2" })).status).toBe(302);
  });

  it("the owner finds a person or device only under its own store's address", async () => {
    const owner = await signIn("owner@counter.example");
    const hubMember = await member(hub(), "Hub again");
    const hubDevice = await device(hub(), "Hub till 2");
    expect((await page(owner, `/merchant/counter-staff/${hub().id}/${hubMember.id}`)).status).toBe(200);
    expect((await page(owner, `/merchant/counter-staff/${outlet().id}/${hubMember.id}`)).status).toBe(404);
    expect((await page(owner, `/merchant/devices/${hub().id}/${hubDevice.device.id}`)).status).toBe(200);
    expect((await page(owner, `/merchant/devices/${outlet().id}/${hubDevice.device.id}`)).status).toBe(404);
  });

  it("another merchant's owner gets 404 for Fashion Group's stores, people and devices; nothing changes", async () => {
    const wiza = await signIn("wiza@counter.example");
    const wizaStore = store.WIZATECH as Store;
    const hubMember = await member(hub(), "Not yours");
    const hubDevice = await device(hub(), "Not yours either");
    const devicesBefore = (await db.select().from(terminalDevices)).length;
    for (const path of [
      `/merchant/counter-staff/${hub().id}`,
      `/merchant/counter-staff/${hub().id}/${hubMember.id}`,
      `/merchant/counter-staff/${wizaStore.id}/${hubMember.id}`,
      `/merchant/devices/${hub().id}`,
      `/merchant/devices/${wizaStore.id}/${hubDevice.device.id}`,
    ]) {
      const response = await page(wiza, path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain("FashionHub");
      expect((await post(wiza, path, { intent: "pair" })).status, path).toBe(404);
    }
    expect(
      (await post(wiza, `/merchant/devices/${wizaStore.id}/${hubDevice.device.id}`, { intent: "revoke" })).status,
    ).toBe(404);
    expect((await db.select().from(terminalDevices)).length).toBe(devicesBefore);
    const picker = await page(wiza, "/merchant/counter-staff");
    expect(picker.headers.location).toBe(`/merchant/counter-staff/${wizaStore.id}`);
  });

  it("counter accounts get 403, and a cross-site form post is refused", async () => {
    const clerk = await signIn("clerk@counter.example");
    expect((await page(clerk, `/merchant/counter-staff/${hub().id}`)).status).toBe(403);
    expect((await page(clerk, `/merchant/devices/${hub().id}`)).status).toBe(403);
    const owner = await signIn("owner@counter.example");
    const crossSite = await server.request(platform, `/merchant/counter-staff/${hub().id}`, {
      form: { displayName: "Forged", pin: "1234", pinConfirm: "1234" },
      headers: { origin: "https://evil.example", cookie: owner },
    });
    expect(crossSite.status).toBe(403);
    expect(await db.select().from(counterStaff).where(eq(counterStaff.displayName, "Forged"))).toHaveLength(0);
  });
});

describe("counter devices", () => {
  it("pairs with a code shown as text and QR, lists the device, renames it, revokes it after confirmation", async () => {
    const owner = await signIn("owner@counter.example");
    const path = `/merchant/devices/${hub().id}`;
    expect((await page(owner, path)).body).toContain(c("pairing.create"));

    const issued = await post(owner, path, { intent: "pair" });
    expect(issued.status).toBe(200);
    expect(issued.headers["cache-control"]).toContain("no-store");
    const code = /data-testid="pairing-code">([0-9A-Z]{4}-[0-9A-Z]{4})</.exec(issued.body)?.[1] ?? "";
    expect(code).not.toBe("");
    expect(issued.body).toContain(await qrSvg(code));
    expect(issued.body).toContain(c("pairing.qrLabel", { code }));
    expect(issued.body).toContain('href="http://localhost:3000/terminal"');
    const [pending] = await db
      .select()
      .from(terminalDevices)
      .where(eq(terminalDevices.pairingCodeHash, secretHash(normalizePairingCode(code) ?? "")));
    expect(pending?.pairingCodeExpiresAt).toBeInstanceOf(Date);
    const expiry = formatDate("fr", pending?.pairingCodeExpiresAt as Date, {
      timeZone: hub().timezone,
      withTime: true,
    });
    expect(issued.body).toContain(c("pairing.expires", { time: expiry }));
    expect(await auditActions(pending?.id ?? "")).toEqual(["terminal.pairing_code_created"]);
    // Shown once: the page itself never shows it again.
    expect((await page(owner, path)).body).not.toContain(code);

    const paired = await server.request(platform, "/api/terminal/v1/devices/pair", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, name: "Comptoir 1" }),
    });
    expect(paired.status).toBe(201);
    const { deviceToken, device: pairedDevice } = JSON.parse(paired.body) as {
      deviceToken: string;
      device: { id: string };
    };
    const listed = await page(owner, path);
    expect(listed.body).toContain("Comptoir 1");
    expect(listed.body).toContain(`href="${path}/${pairedDevice.id}"`);

    const devicePath = `${path}/${pairedDevice.id}`;
    expect((await post(owner, devicePath, { intent: "rename", name: " " })).body).toContain(c("errors.nameRequired"));
    expect((await post(owner, devicePath, { intent: "rename", name: "Caisse avant" })).status).toBe(302);

    const confirm = await page(owner, `${devicePath}?revoke=1`);
    expect(confirm.body).toContain(c("device.confirmTitle", { name: "Caisse avant" }));
    expect(confirm.body).toContain(c("device.confirmSubmit"));
    const bootstrap = () =>
      server.request(platform, "/api/terminal/v1/bootstrap", { headers: { authorization: `Bearer ${deviceToken}` } });
    expect((await bootstrap()).status).toBe(200);

    const revoked = await post(owner, devicePath, { intent: "revoke" });
    expect(revoked.status).toBe(302);
    expect(revoked.headers.location).toBe(`${devicePath}?done=revoked`);
    const after = await page(owner, `${devicePath}?done=revoked`);
    expect(after.body).toContain(c("device.done.revoked"));
    expect(after.body).not.toContain(c("device.confirmSubmit"));

    const refused = await bootstrap();
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "device_revoked" } });
    expect(await auditActions(pairedDevice.id)).toEqual([
      "terminal.pairing_code_created",
      "terminal.device_paired",
      "terminal.device_renamed",
      "terminal.device_revoked",
    ]);
  });

  it("the stores page links to each store's counter pages; the admin's store page lists them read-only", async () => {
    const owner = await signIn("owner@counter.example");
    const storesPage = await page(owner, "/merchant/stores");
    expect(storesPage.body).toContain(`href="/merchant/counter-staff/${outlet().id}"`);
    expect(storesPage.body).toContain(`href="/merchant/devices/${outlet().id}"`);
    const person = await member(outlet(), "Outlet Admin View");
    const till = await device(outlet(), "Outlet Admin Till");
    const admin = await signIn("admin@counter.example");
    const storePage = await page(admin, `/admin/stores/${outlet().id}`);
    expect(storePage.status).toBe(200);
    expect(storePage.body).toContain(c("admin.title"));
    expect(storePage.body).toContain(person.displayName);
    expect(storePage.body).toContain(till.device.name);
    expect((await page(admin, `/admin/stores/${hub().id}`)).body).not.toContain("Outlet Admin");
  });

  it("refuses an unknown intent with a 400", async () => {
    const owner = await signIn("owner@counter.example");
    expect((await post(owner, `/merchant/devices/${hub().id}`, { intent: "revoke" })).status).toBe(400);
  });
});
