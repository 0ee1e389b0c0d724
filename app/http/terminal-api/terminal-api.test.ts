import { randomUUID } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards, loyaltyPrograms, loyaltyRewards, loyaltyTransactions } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { emailLogs } from "~/modules/outbox/schema";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createCounterStaff, deactivateCounterStaff } from "~/modules/terminal/counter-staff.server";
import { createPairingCode, pairDevice, revokeDevice } from "~/modules/terminal/devices.server";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { secretHash } from "~/modules/terminal/secrets.server";
import { createTestDatabase } from "~/test/database";
import { startTestServer, type TestResponse, type TestServer } from "~/test/http";
import { operations, terminalApiPrefix } from "./contract";

const { db } = await createTestDatabase();
const platform = "localhost";
let server: TestServer;
let hub: Store;
let outlet: Store;
let owner: Actor;
let token: string;
let marie: string;
let lockedStaff: string;
let retiredStaff: string;
let outletStaff: string;
let voucher10: string;
let card: { id: string; cardNumber: string; publicToken: string };
let wizaCardNumber: string;

/** Every response a test reads goes through here: it must match the documented schema of its route and status. */
// biome-ignore lint/suspicious/noExplicitAny: the body was just checked against the documented schema
function documented(method: "get" | "post", template: string, response: TestResponse): any {
  const operation = operations.find((entry) => entry.method === method && entry.path === template);
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const schema = operation?.responses[response.status];
  expect(schema, `${method} ${template} documents status ${response.status}: ${response.body}`).toBeDefined();
  expect(String(response.headers["content-type"])).toMatch(/^application\/json/);
  const body = JSON.parse(response.body);
  const checked = schema?.safeParse(body);
  expect(checked?.success ? [] : checked?.error.issues, `${method} ${template} ${response.status}`).toEqual([]);
  return body;
}

interface Call {
  token?: string | null;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  host?: string;
}

function call(method: "get" | "post", path: string, options: Call = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const bearer = options.token === undefined ? token : options.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const body = options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  return server.request(options.host ?? platform, `${terminalApiPrefix}${path}`, {
    method: method.toUpperCase(),
    headers,
    body,
  });
}

async function newToken(store: Store = hub, name = "Till") {
  const { code } = await createPairingCode(db, owner, store.id);
  return (await pairDevice(db, { code, name })).deviceToken;
}

const transaction = (fields: Record<string, unknown>) => ({
  idempotencyKey: randomUUID(),
  staffId: marie,
  clientTime: new Date().toISOString(),
  ...fields,
});

async function balanceOf(cardId: string) {
  const [row] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, cardId));
  return row?.pointsBalance;
}

beforeAll(async () => {
  await seedDemoData(db);
  const byCode = async (code: string) => (await db.select().from(stores).where(eq(stores.code, code)))[0] as Store;
  hub = await byCode("FASHIONHUB");
  outlet = await byCode("FASHIONOUTLET");
  const wiza = await byCode("WIZATECH");
  const user = await createUser(db, {
    email: "owner@api.example",
    name: "Owner",
    password: null,
    role: "merchant_owner",
    merchantId: hub.merchantId,
  });
  owner = {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: "merchant_owner",
    merchantId: hub.merchantId,
    storeId: null,
    preferredLanguage: "en",
  };
  marie = (await createCounterStaff(db, owner, { storeId: hub.id, displayName: "Marie", pin: "1234" })).id;
  lockedStaff = (await createCounterStaff(db, owner, { storeId: hub.id, displayName: "Locked", pin: "1111" })).id;
  await db
    .update(counterStaff)
    .set({ pinLockedAt: new Date(), failedPinAttempts: 10 })
    .where(eq(counterStaff.id, lockedStaff));
  retiredStaff = (await createCounterStaff(db, owner, { storeId: hub.id, displayName: "Retired", pin: "2222" })).id;
  await deactivateCounterStaff(db, owner, retiredStaff);
  outletStaff = (await createCounterStaff(db, owner, { storeId: outlet.id, displayName: "Paul", pin: "3333" })).id;
  const [reward] = await db
    .select({ id: loyaltyRewards.id })
    .from(loyaltyRewards)
    .innerJoin(loyaltyPrograms, eq(loyaltyPrograms.id, loyaltyRewards.programId))
    .where(and(eq(loyaltyPrograms.merchantId, hub.merchantId), eq(loyaltyRewards.cost, 200)));
  voucher10 = reward?.id as string;
  const enrolled = await enrollCustomer(db, hub, {
    firstName: "Anne",
    lastName: "Muller",
    email: "anne@api.example",
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  card = (await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, enrolled.cardId)))[0] as typeof card;
  const wizaCard = await enrollCustomer(db, wiza, {
    firstName: "Tom",
    lastName: "Weber",
    email: "tom@api.example",
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "en",
  });
  wizaCardNumber = (await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, wizaCard.cardId)))[0]
    ?.cardNumber as string;
  server = await startTestServer(db);
  token = await newToken();
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document listing every operation", async () => {
    const response = await call("get", "/openapi.json", { token: null });
    const document = documented("get", "/openapi.json", response);
    expect(document.openapi).toBe("3.1.0");
    await SwaggerParser.validate(structuredClone(document));
    for (const operation of operations) {
      expect(document.paths[operation.path]?.[operation.method]?.operationId).toBe(operation.operationId);
    }
  });
});

describe("pairing", () => {
  it("exchanges a code for a token once (201), then refuses it in the device's language", async () => {
    const { code } = await createPairingCode(db, owner, hub.id);
    const paired = documented(
      "post",
      "/devices/pair",
      await call("post", "/devices/pair", { token: null, json: { code, name: "Front till" } }),
    );
    expect(paired.store.code).toBe("FASHIONHUB");
    expect(paired.device.name).toBe("Front till");
    const again = await call("post", "/devices/pair", {
      token: null,
      json: { code, name: "Copy" },
      headers: { "accept-language": "fr-LU,fr;q=0.9" },
    });
    expect(again.status).toBe(400);
    const body = documented("post", "/devices/pair", again);
    expect(body.error).toEqual({
      code: "invalid_pairing_code",
      message: "Ce code d'association est inconnu, expiré ou déjà utilisé. Demandez un nouveau code à un responsable.",
    });
    expect(again.headers["content-language"]).toBe("fr");
  });

  it("is on the platform host only: a store host answers 404 JSON", async () => {
    const response = await call("post", "/devices/pair", {
      token: null,
      host: "fashionhub.localhost",
      json: { code: "AAAA-AAAA", name: "x" },
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error.code).toBe("endpoint_not_found");
  });
});

describe("device authentication", () => {
  it("refuses a missing or unknown token (device_unauthorized) and a revoked one (device_revoked)", async () => {
    const none = await call("get", "/bootstrap", { token: null });
    expect(none.status).toBe(401);
    expect(documented("get", "/bootstrap", none).error.code).toBe("device_unauthorized");
    const unknown = await call("get", "/bootstrap", { token: "A".repeat(43) });
    expect(documented("get", "/bootstrap", unknown).error.code).toBe("device_unauthorized");
    const revokedToken = await newToken(hub, "Old till");
    const [device] = await db.select().from(terminalDevices).where(eq(terminalDevices.name, "Old till"));
    await revokeDevice(db, owner, device?.id as string);
    const revoked = await call("get", "/bootstrap", {
      token: revokedToken,
      headers: { "accept-language": "de" },
    });
    expect(revoked.status).toBe(401);
    expect(documented("get", "/bootstrap", revoked).error).toEqual({
      code: "device_revoked",
      message: expect.stringContaining("Händlerportal"),
    });
  });

  it("records the app version and queue the device reports in its headers", async () => {
    const reporting = await newToken(hub, "Reporting till");
    const response = await call("get", "/bootstrap", {
      token: reporting,
      headers: { "x-terminal-version": "web-1.2.3", "x-terminal-queue": "7" },
    });
    expect(response.status).toBe(200);
    const [device] = await db.select().from(terminalDevices).where(eq(terminalDevices.name, "Reporting till"));
    expect(device).toMatchObject({ appVersion: "web-1.2.3", reportedQueueCount: 7 });
  });

  it("answers 404 JSON for an unknown path or method under the API", async () => {
    for (const [method, path] of [
      ["get", "/nothing"],
      ["post", "/bootstrap"],
      ["get", ""],
    ] as const) {
      const response = await call(method, path, { json: method === "post" ? {} : undefined });
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body).error.code).toBe("endpoint_not_found");
    }
  });
});

describe("bootstrap", () => {
  it("gives the store, program, rewards, unlockable staff with PIN hashes, idle lock and server time", async () => {
    const body = documented("get", "/bootstrap", await call("get", "/bootstrap"));
    expect(body.store.code).toBe("FASHIONHUB");
    expect(body.program.kind).toBe("points");
    expect(body.program.expiry).toEqual({ rule: "none" });
    expect(body.program.rewards.map((reward: { cost: number }) => reward.cost)).toEqual([200, 500]);
    const staffIds = body.counterStaff.map((member: { id: string }) => member.id);
    expect(staffIds).toContain(marie);
    expect(staffIds).not.toContain(lockedStaff);
    expect(staffIds).not.toContain(retiredStaff);
    expect(staffIds).not.toContain(outletStaff);
    expect(body.counterStaff.find((member: { id: string }) => member.id === marie).pinHash).toMatch(/^\$2[aby]\$10\$/);
    expect(body.idleLockMinutes).toBe(5);
    expect(Math.abs(Date.parse(body.serverTime) - Date.now())).toBeLessThan(10_000);
  });
});

describe("PINs", () => {
  it("verifies online; a wrong PIN is pin_incorrect (403), a locked one pin_locked (423)", async () => {
    const ok = await call("post", `/pins/${marie}/verify`, { json: { pin: "1234" } });
    expect(documented("post", "/pins/{staffId}/verify", ok).staff).toEqual({ id: marie, displayName: "Marie" });
    const wrong = await call("post", `/pins/${marie}/verify`, { json: { pin: "9999" } });
    expect(wrong.status).toBe(403);
    expect(documented("post", "/pins/{staffId}/verify", wrong).error.code).toBe("pin_incorrect");
    const locked = await call("post", `/pins/${lockedStaff}/verify`, { json: { pin: "1111" } });
    expect(locked.status).toBe(423);
    expect(documented("post", "/pins/{staffId}/verify", locked).error.code).toBe("pin_locked");
    const elsewhere = await call("post", `/pins/${outletStaff}/verify`, { json: { pin: "3333" } });
    expect(elsewhere.status).toBe(404);
    expect(documented("post", "/pins/{staffId}/verify", elsewhere).error.code).toBe("counter_staff_not_found");
    const badPin = await call("post", `/pins/${marie}/verify`, { json: { pin: "12" } });
    expect(badPin.status).toBe(422);
    expect(documented("post", "/pins/{staffId}/verify", badPin).error.issues[0].path).toEqual(["pin"]);
  });

  it("counts failures reported from offline and locks at the threshold", async () => {
    const member = (await createCounterStaff(db, owner, { storeId: hub.id, displayName: "Offline", pin: "4444" })).id;
    const first = await call("post", `/pins/${member}/failed-attempts`, {
      json: { count: 6, lastAttemptAt: new Date().toISOString() },
    });
    expect(documented("post", "/pins/{staffId}/failed-attempts", first)).toEqual({ failedAttempts: 6, locked: false });
    const second = await call("post", `/pins/${member}/failed-attempts`, {
      json: { count: 6, lastAttemptAt: new Date().toISOString() },
    });
    expect(documented("post", "/pins/{staffId}/failed-attempts", second)).toEqual({ failedAttempts: 10, locked: true });
    const body = documented("get", "/bootstrap", await call("get", "/bootstrap"));
    expect(body.counterStaff.map((entry: { id: string }) => entry.id)).not.toContain(member);
  });
});

describe("cards", () => {
  it("finds a card by number with or without spaces, by QR content and by card page URL", async () => {
    const spaced = card.cardNumber.replace(/(\d{4})(?=\d)/g, "$1 ");
    for (const code of [
      card.cardNumber,
      spaced,
      `http://fashionhub.localhost:3000/loyalty/card/${card.publicToken}`,
      `/loyalty/card/${card.publicToken}`,
    ]) {
      const response = await call("get", `/cards/${encodeURIComponent(code)}`);
      expect(documented("get", "/cards/{code}", response).card).toMatchObject({
        id: card.id,
        cardNumber: card.cardNumber,
        firstName: "Anne",
        status: "active",
      });
    }
  });

  it("finds no card of another merchant, and no mistyped number", async () => {
    const mistyped = `${card.cardNumber.slice(0, 15)}${(Number(card.cardNumber.at(-1)) + 1) % 10}`;
    for (const code of [wizaCardNumber, mistyped, "hello", "%"]) {
      const response = await call("get", `/cards/${encodeURIComponent(code)}`);
      expect(response.status).toBe(404);
      expect(documented("get", "/cards/{code}", response).error.code).toBe("card_not_found");
    }
  });
});

describe("path parameters that are not valid percent-encoding", () => {
  it("answers 400 badRequest in the one error shape, never a 500", async () => {
    const card = await call("get", "/cards/%E0%A4%A");
    expect(card.status).toBe(400);
    expect(documented("get", "/cards/{code}", card).error.code).toBe("badRequest");
    const pin = await call("post", "/pins/%/verify", { json: { pin: "1234" } });
    expect(pin.status).toBe(400);
    expect(documented("post", "/pins/{staffId}/verify", pin).error.code).toBe("badRequest");
  });
});

describe("transactions", () => {
  it("records an earn (201) and replays its key with the original result (200), changing nothing", async () => {
    const earn = transaction({ type: "earn", card: card.cardNumber, amountCents: 15_000 });
    const first = await call("post", "/transactions", { json: earn });
    expect(first.status).toBe(201);
    const result = documented("post", "/transactions", first);
    expect(result).toMatchObject({ type: "earn", pointsDelta: 150, balance: { points: 200 }, replayed: false });
    const replay = await call("post", "/transactions", { json: earn });
    expect(replay.status).toBe(200);
    expect(documented("post", "/transactions", replay)).toEqual({ ...result, replayed: true });
    expect(await balanceOf(card.id)).toBe(200);
  });

  it("refuses a redeem the balance does not cover with insufficient_balance (409)", async () => {
    const redeem = transaction({ type: "redeem", card: card.cardNumber, rewardId: voucher10 });
    const first = await call("post", "/transactions", { json: redeem });
    expect(first.status).toBe(201);
    const second = await call("post", "/transactions", {
      json: transaction({ ...redeem, idempotencyKey: randomUUID() }),
    });
    expect(second.status).toBe(409);
    expect(documented("post", "/transactions", second).error.code).toBe("insufficient_balance");
  });

  it("enrolls at the counter", async () => {
    const response = await call("post", "/transactions", {
      json: transaction({
        type: "enroll",
        firstName: "Lea",
        lastName: "Hoffmann",
        email: "lea@api.example",
        locale: "de",
      }),
    });
    expect(response.status).toBe(201);
    expect(documented("post", "/transactions", response)).toMatchObject({
      type: "enroll",
      enrollment: "enrolled",
      balance: { points: 50 },
    });
  });

  it("trusts only an active staff member of the device's store", async () => {
    const foreign = await call("post", "/transactions", {
      json: transaction({ type: "earn", card: card.cardNumber, amountCents: 100, staffId: outletStaff }),
    });
    expect(foreign.status).toBe(404);
    expect(documented("post", "/transactions", foreign).error.code).toBe("counter_staff_not_found");
    const retired = await call("post", "/transactions", {
      json: transaction({ type: "earn", card: card.cardNumber, amountCents: 100, staffId: retiredStaff }),
    });
    expect(retired.status).toBe(403);
    expect(documented("post", "/transactions", retired).error.code).toBe("counter_staff_inactive");
  });

  it("answers bad input with a 4xx in the one error shape, never a 500", async () => {
    const cases: [Call, number, string][] = [
      [{ body: "{not json" }, 400, "malformed_json"],
      [{ body: '{"type":"earn"}', headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
      [{ json: transaction({ type: "earn", card: card.cardNumber, amountCents: "12" }) }, 422, "validation_failed"],
      [
        { json: transaction({ type: "earn", card: card.cardNumber, amountCents: 100, extra: 1 }) },
        422,
        "validation_failed",
      ],
      [{ json: transaction({ type: "fly", card: card.cardNumber }) }, 422, "validation_failed"],
      [{ json: [1, 2] }, 422, "validation_failed"],
      [{ json: null }, 422, "validation_failed"],
      [{ body: "" }, 422, "validation_failed"],
      [
        { json: transaction({ type: "earn", card: card.cardNumber, amountCents: 100, clientTime: "yesterday" }) },
        422,
        "validation_failed",
      ],
      [{ json: transaction({ type: "earn", card: "0000", amountCents: 100 }) }, 404, "card_not_found"],
      [{ json: transaction({ type: "stamp", card: card.cardNumber }) }, 409, "program_kind_mismatch"],
      [
        { json: transaction({ type: "redeem", card: card.cardNumber, rewardId: randomUUID() }) },
        409,
        "reward_unavailable",
      ],
      [{ json: { transactions: "x".repeat(1024 * 1024 + 10) } }, 413, "payload_too_large"],
    ];
    for (const [options, status, code] of cases) {
      const response = await call("post", "/transactions", options);
      expect([response.status, JSON.parse(response.body).error?.code], JSON.stringify(options).slice(0, 200)).toEqual([
        status,
        code,
      ]);
      documented("post", "/transactions", response);
    }
    const invalid = await call("post", "/transactions", {
      json: transaction({ type: "earn", card: card.cardNumber, amountCents: -5 }),
    });
    expect(documented("post", "/transactions", invalid).error.issues).toEqual([
      expect.objectContaining({ path: ["amountCents"] }),
    ]);
  });

  it("reuses of one key for another operation are refused with idempotency_conflict (409)", async () => {
    const earn = transaction({ type: "earn", card: card.cardNumber, amountCents: 100 });
    expect((await call("post", "/transactions", { json: earn })).status).toBe(201);
    const conflict = await call("post", "/transactions", { json: { ...earn, amountCents: 200 } });
    expect(conflict.status).toBe(409);
    expect(documented("post", "/transactions", conflict).error.code).toBe("idempotency_conflict");
  });
});

describe("the offline batch", () => {
  it("applies items in client order per card, each on its own, and a replay changes nothing", async () => {
    const enrolled = await enrollCustomer(db, hub, {
      firstName: "Batch",
      lastName: "Shopper",
      email: "batch@api.example",
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "en",
    });
    const [batchCard] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, enrolled.cardId));
    const number = batchCard?.cardNumber as string;
    const items = [
      transaction({ type: "earn", card: number, amountCents: 15_000 }),
      // Named by its card page URL this time: still the same card, so it waits for the earn.
      transaction({ type: "redeem", card: `/loyalty/card/${batchCard?.publicToken}`, rewardId: voucher10 }),
      transaction({ type: "redeem", card: number, rewardId: voucher10 }),
      transaction({ type: "earn", card: number, amountCents: "oops" }),
      transaction({ type: "earn", card: card.cardNumber, amountCents: 1_000 }),
      transaction({ type: "earn", card: wizaCardNumber, amountCents: 1_000 }),
    ];
    const first = await call("post", "/transactions/batch", { json: { transactions: items } });
    const body = documented("post", "/transactions/batch", first);
    expect(body.results.map((entry: { status: string }) => entry.status)).toEqual([
      "applied",
      "applied",
      "rejected",
      "rejected",
      "applied",
      "rejected",
    ]);
    expect(body.results[2].error.code).toBe("insufficient_balance");
    expect(body.results[3].error.code).toBe("validation_failed");
    expect(body.results[3].error.issues[0].path).toEqual(["amountCents"]);
    expect(body.results[5].error.code).toBe("card_not_found");
    expect(body.results[1].result.balance.points).toBe(0);
    const rowsBefore = await db.select().from(loyaltyTransactions);
    const replay = documented(
      "post",
      "/transactions/batch",
      await call("post", "/transactions/batch", { json: { transactions: items } }),
    );
    expect(replay.results.map((entry: { status: string }) => entry.status)).toEqual([
      "duplicate",
      "duplicate",
      "rejected",
      "rejected",
      "duplicate",
      "rejected",
    ]);
    expect(replay.results[0].result).toEqual({ ...body.results[0].result, replayed: true });
    expect(await db.select().from(loyaltyTransactions)).toHaveLength(rowsBefore.length);
    expect(await balanceOf(enrolled.cardId)).toBe(0);
  });

  it("answers a key sent twice in one batch as one operation; a refusal in the middle leaves the rest", async () => {
    const deviceToken = await newToken(hub, "Batch till");
    const [device] = await db
      .select()
      .from(terminalDevices)
      .where(eq(terminalDevices.tokenHash, secretHash(deviceToken)));
    const enrolled = await enrollCustomer(db, hub, {
      firstName: "Twice",
      lastName: "Sent",
      email: "twice@api.example",
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "en",
    });
    const [twiceCard] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, enrolled.cardId));
    const number = twiceCard?.cardNumber as string;
    const earn = transaction({ type: "earn", card: number, amountCents: 15_000 });
    const items = [
      earn,
      earn,
      transaction({ type: "redeem", card: number, rewardId: voucher10 }),
      transaction({ type: "redeem", card: number, rewardId: voucher10 }),
      { ...earn, amountCents: 20_000 },
      transaction({ type: "earn", card: number, amountCents: 2_500 }),
    ];
    const response = await call("post", "/transactions/batch", {
      token: deviceToken,
      json: { transactions: items },
    });
    const body = documented("post", "/transactions/batch", response);
    expect(body.results.map((entry: { status: string }) => entry.status)).toEqual([
      "applied",
      "duplicate",
      "applied",
      "rejected",
      "rejected",
      "applied",
    ]);
    expect(body.results[1].result).toEqual({ ...body.results[0].result, replayed: true });
    expect(body.results[3].error.code).toBe("insufficient_balance");
    expect(body.results[4].error.code).toBe("idempotency_conflict");
    expect(body.results[5].result).toMatchObject({ pointsDelta: 25, balance: { points: 25 }, cardNumber: number });
    expect(await balanceOf(enrolled.cardId)).toBe(25);
    const rows = await db
      .select()
      .from(loyaltyTransactions)
      .where(
        and(
          eq(loyaltyTransactions.cardId, enrolled.cardId),
          eq(loyaltyTransactions.actingDeviceId, device?.id as string),
        ),
      )
      .orderBy(loyaltyTransactions.id);
    expect(rows.map((row) => [row.type, row.pointsBalanceAfter])).toEqual([
      ["earn", 200],
      ["redeem", 0],
      ["earn", 25],
    ]);
    for (const [row, index] of [
      [rows[0], 0],
      [rows[1], 2],
      [rows[2], 5],
    ] as const) {
      const sent = items[index] as { idempotencyKey: string; clientTime: string };
      expect(row).toMatchObject({
        actingCounterStaffId: marie,
        idempotencyKey: sent.idempotencyKey,
        clientTime: new Date(sent.clientTime),
        storeId: hub.id,
      });
    }
  });

  it("changes nothing when a whole mixed batch (enrollments included) is uploaded again", async () => {
    const items = [
      transaction({ type: "enroll", firstName: "Mia", lastName: "Klein", email: "mia@api.example", locale: "de" }),
      transaction({ type: "earn", card: card.cardNumber, amountCents: 1_000 }),
      transaction({ type: "redeem", card: card.cardNumber, rewardId: randomUUID() }),
      transaction({ type: "earn", card: "4000 0000 0000", amountCents: 1_000 }),
      transaction({ type: "earn", card: card.cardNumber, amountCents: 2_000, staffId: retiredStaff }),
      transaction({ type: "earn", card: card.cardNumber, amountCents: 3_000 }),
    ];
    const state = async () => ({
      rows: (await db.select().from(loyaltyTransactions)).length,
      cards: (await db.select().from(loyaltyCards)).map((row) => [row.id, row.pointsBalance, row.stampsBalance]),
      emails: (await db.select().from(emailLogs)).length,
    });
    const first = documented(
      "post",
      "/transactions/batch",
      await call("post", "/transactions/batch", { json: { transactions: items } }),
    );
    const statuses = first.results.map((entry: { status: string }) => entry.status);
    expect(statuses).toEqual(["applied", "applied", "rejected", "rejected", "rejected", "applied"]);
    expect(first.results.slice(2, 5).map((entry: { error: { code: string } }) => entry.error.code)).toEqual([
      "reward_unavailable",
      "card_not_found",
      "counter_staff_inactive",
    ]);
    const before = await state();
    const replay = documented(
      "post",
      "/transactions/batch",
      await call("post", "/transactions/batch", { json: { transactions: items } }),
    );
    expect(replay.results.map((entry: { status: string }) => entry.status)).toEqual(
      statuses.map((status: string) => (status === "applied" ? "duplicate" : status)),
    );
    for (const index of [0, 1, 5]) {
      expect(replay.results[index].result).toEqual({ ...first.results[index].result, replayed: true });
    }
    expect(await state()).toEqual(before);
  });

  it("takes up to 500 items; more is a validation error", async () => {
    const tooMany = Array.from({ length: 501 }, () =>
      transaction({ type: "earn", card: card.cardNumber, amountCents: 1 }),
    );
    const response = await call("post", "/transactions/batch", { json: { transactions: tooMany } });
    expect(response.status).toBe(422);
    expect(documented("post", "/transactions/batch", response).error.issues[0].path).toEqual(["transactions"]);
    const empty = await call("post", "/transactions/batch", { json: { transactions: [] } });
    expect(empty.status).toBe(422);
  });
});

describe("the per-device rate limit", () => {
  it("answers 429 with Retry-After past the configured limit", async () => {
    const limited = await startTestServer(db, { TERMINAL_RATE_LIMIT: "3", TERMINAL_RATE_WINDOW_SECONDS: "60" });
    const deviceToken = await newToken(hub, "Busy till");
    const statuses: number[] = [];
    let last: TestResponse | undefined;
    for (let i = 0; i < 4; i++) {
      last = await limited.request(platform, `${terminalApiPrefix}/bootstrap`, {
        headers: { authorization: `Bearer ${deviceToken}` },
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last?.headers["retry-after"])).toBeGreaterThan(0);
    expect(documented("get", "/bootstrap", last as TestResponse).error.code).toBe("rate_limited");
  });
});
