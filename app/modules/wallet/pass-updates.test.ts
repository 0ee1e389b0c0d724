import { mkdtempSync, writeFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Config, loadConfig } from "~/config.server";
import { serverI18n } from "~/i18n/resources.server";
import { auditLog } from "~/modules/audit/schema";
import { createUser } from "~/modules/auth/users.server";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { appendLedgerEntry } from "~/modules/loyalty/ledger.server";
import { type ProgramFields, programForEdit, updateProgram } from "~/modules/loyalty/program-admin.server";
import { customers, loyaltyCards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { applyCleanup, planCleanup } from "~/modules/privacy/cleanup.server";
import { eraseCustomer } from "~/modules/privacy/customer-data.server";
import type { Actor } from "~/modules/scope/scope";
import { stores } from "~/modules/tenancy/schema";
import { setStoreLoyalty } from "~/modules/tenancy/store-admin.server";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { type FakeGoogleWallet, startFakeGoogleWallet } from "~/test/google-wallet-fake";
import { addRewardReadyMessage, notifyingMessagesPerDay, rewardMessageId } from "./messages.server";
import { loadClassRecords, loyaltyClassId, loyaltyClassPayload, loyaltyObjectId, walletSaveUrl } from "./passes.server";
import { retireWalletObject } from "./retire.server";
import { walletPassMessages } from "./schema";
import { syncWalletClass, syncWalletPass } from "./sync.server";
import { effectiveWalletConfig, isWalletReady, type ReadyWalletConfig } from "./wallet-config.server";

const { db } = await createTestDatabase();
const issuerId = "3388000000012345678";
const firstTry = { attempt: 1, maxAttempts: 10 };
let fake: FakeGoogleWallet;
let config: Config;
let wallet: ReadyWalletConfig;
let hub: Store;
let admin: Actor;
let shopperCount = 0;

/** The jobs of one task queued for a card (or any payload field), oldest first, with their payloads. */
const queuedJobs = <P>(task: string, field: string, value: string) =>
  db.execute<{ key: string | null; payload: P }>(
    sql`select jobs.key, private.payload from graphile_worker.jobs as jobs
      join graphile_worker._private_jobs as private on private.id = jobs.id
      where jobs.task_identifier = ${task} and private.payload ->> ${field} = ${value}
      order by jobs.id`,
  );

async function enroll(locale: "fr" | "de" | "lb" | "en" = "fr") {
  shopperCount += 1;
  const result = await enrollCustomer(db, hub, {
    firstName: "Léa",
    lastName: "Muller",
    email: `pass-${shopperCount}@example.com`,
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale,
  });
  if (result.status !== "enrolled") throw new Error("not enrolled");
  return result;
}

/** A card whose holder saved the pass, and Google holds the object (after one sync). */
async function savedCard(locale: "fr" | "de" | "lb" | "en" = "fr") {
  const enrolled = await enroll(locale);
  await walletSaveUrl(db, wallet, config.platformOrigin, enrolled.cardId);
  await syncWalletPass({ db, config }, enrolled.cardId, firstTry);
  return { ...enrolled, objectId: loyaltyObjectId(issuerId, enrolled.cardId) };
}

const earn = (cardId: string, pointsDelta: number) =>
  db.transaction((tx) =>
    appendLedgerEntry(tx, { cardId, storeId: hub.id, type: "earn", pointsDelta, amountCents: pointsDelta * 100 }),
  );
const spend = (cardId: string, pointsDelta: number) =>
  db.transaction((tx) =>
    appendLedgerEntry(tx, { cardId, storeId: hub.id, type: "adjust", pointsDelta: -pointsDelta, reason: "test" }),
  );

type MessageJob = { cardId: string; rewardId: string; transactionId: number };
const messageJobs = async (cardId: string) =>
  (await queuedJobs<MessageJob>("wallet_reward_message", "cardId", cardId)).map((job) => job.payload);

beforeAll(async () => {
  await seedDemoData(db);
  const [store] = await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"));
  if (!store) throw new Error("FASHIONHUB");
  hub = store;
  fake = await startFakeGoogleWallet();
  const key = fake.newKeyFile();
  const dir = mkdtempSync("/tmp/rewardflow-wallet-updates-");
  writeFileSync(`${dir}/key.json`, key.json);
  config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dir,
    APP_SECRET: "u".repeat(32),
    GOOGLE_WALLET_ISSUER_ID: issuerId,
    GOOGLE_WALLET_SERVICE_ACCOUNT_FILE: `${dir}/key.json`,
    GOOGLE_WALLET_API_URL: fake.apiUrl,
  });
  const effective = await effectiveWalletConfig(db, config);
  if (!isWalletReady(effective)) throw new Error("wallet not ready");
  wallet = effective;
  const user = await createUser(db, {
    email: "pass-admin@test.example",
    name: "Pass Admin",
    password: "correct horse battery",
    role: "platform_admin",
    preferredLanguage: "en",
  });
  admin = {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: "platform_admin",
    merchantId: null,
    storeId: null,
    preferredLanguage: "en",
  };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("reward ready on the pass", () => {
  it("is queued with the reward-ready email, in the ledger's transaction, only for cards with a pass", async () => {
    const without = await enroll();
    await earn(without.cardId, 200);
    expect(await messageJobs(without.cardId)).toEqual([]);

    const card = await savedCard();
    // 50 welcome points + 200 crosses the 200-point voucher; another 10 crosses nothing.
    const { transaction } = await earn(card.cardId, 200);
    await earn(card.cardId, 10);
    const jobs = await messageJobs(card.cardId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ cardId: card.cardId, transactionId: transaction.id });

    const rolledBack = await savedCard();
    await db
      .transaction(async (tx) => {
        await appendLedgerEntry(tx, { cardId: rolledBack.cardId, storeId: hub.id, type: "earn", pointsDelta: 200 });
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await messageJobs(rolledBack.cardId)).toEqual([]);
  });

  it("adds a notifying message in the holder's language", async () => {
    const card = await savedCard("de");
    await earn(card.cardId, 200);
    const [job] = await messageJobs(card.cardId);
    if (!job) throw new Error("no job");
    const outcome = await addRewardReadyMessage({ db, config }, job, firstTry);
    expect(outcome).toEqual({ status: "sent", messageType: "TEXT_AND_NOTIFY" });
    const { t } = serverI18n("de");
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      objectId: card.objectId,
      message: {
        id: rewardMessageId(job.transactionId, job.rewardId),
        messageType: "TEXT_AND_NOTIFY",
        header: t("storefront:walletPass.rewardReadyHeader"),
        body: expect.stringContaining("Einkaufsgutschein über 10 €"),
      },
    });
    expect(String(fake.messages[0]?.message.body)).toContain("Fashion Club");
  });

  it("notifies three times in 24 hours, then adds the messages without a notification", async () => {
    const card = await savedCard();
    for (let i = 0; i < notifyingMessagesPerDay + 2; i += 1) {
      await earn(card.cardId, 200);
      await spend(card.cardId, 200);
    }
    const jobs = await messageJobs(card.cardId);
    expect(jobs).toHaveLength(5);
    const types: string[] = [];
    for (const job of jobs) {
      const outcome = await addRewardReadyMessage({ db, config }, job, firstTry);
      expect(outcome.status).toBe("sent");
      types.push("messageType" in outcome ? String(outcome.messageType) : "");
    }
    expect(types).toEqual(["TEXT_AND_NOTIFY", "TEXT_AND_NOTIFY", "TEXT_AND_NOTIFY", "TEXT", "TEXT"]);
    // The fake, like Google, refuses a fourth notifying message: none was refused, all five are on the pass.
    expect(fake.messages.map((sent) => sent.message.messageType)).toEqual(types);
    const object = fake.objects.get(card.objectId) as { messages?: unknown[] };
    expect(object.messages).toHaveLength(5);

    // A day later the count starts again.
    await db
      .update(walletPassMessages)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(walletPassMessages.cardId, card.cardId));
    for (const sent of fake.messages) sent.receivedAt -= 25 * 3600 * 1000;
    await earn(card.cardId, 200);
    const next = (await messageJobs(card.cardId)).at(-1);
    if (!next) throw new Error("no job");
    expect(await addRewardReadyMessage({ db, config }, next, firstTry)).toMatchObject({
      messageType: "TEXT_AND_NOTIFY",
    });
  });

  it("retries a transient failure and adds the message once, even when Google took it before the job failed", async () => {
    const card = await savedCard();
    await earn(card.cardId, 200);
    const [job] = await messageJobs(card.cardId);
    if (!job) throw new Error("no job");
    fake.failNext("api", 503);
    const failed = await addRewardReadyMessage({ db, config }, job, firstTry);
    expect(failed.status).toBe("retrying");
    expect(fake.messages).toHaveLength(0);
    const sent = await addRewardReadyMessage({ db, config }, job, { attempt: 2, maxAttempts: 10 });
    expect(sent.status).toBe("sent");
    expect(fake.messages).toHaveLength(1);

    // The job runs again after success: nothing more reaches Google.
    const requests = fake.requests.length;
    expect(await addRewardReadyMessage({ db, config }, job, { attempt: 3, maxAttempts: 10 })).toMatchObject({
      status: "alreadySent",
    });
    expect(fake.requests.length).toBe(requests);

    // Google accepted it but the worker died before recording that: the object already carries it.
    await db.update(walletPassMessages).set({ sentAt: null }).where(eq(walletPassMessages.cardId, card.cardId));
    expect(await addRewardReadyMessage({ db, config }, job, { attempt: 4, maxAttempts: 10 })).toMatchObject({
      status: "alreadySent",
    });
    expect(fake.messages).toHaveLength(1);
    const rows = await db.select().from(walletPassMessages).where(eq(walletPassMessages.cardId, card.cardId));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sentAt).toBeInstanceOf(Date);
  });

  it("gives up on a permanent refusal without counting it against the daily limit", async () => {
    const card = await savedCard();
    await earn(card.cardId, 200);
    const [job] = await messageJobs(card.cardId);
    if (!job) throw new Error("no job");
    fake.failNext("api", 400);
    expect((await addRewardReadyMessage({ db, config }, job, firstTry)).status).toBe("failed");
    expect(await db.select().from(walletPassMessages).where(eq(walletPassMessages.cardId, card.cardId))).toEqual([]);
  });

  it("creates the object first when the holder's full save link never reached Google", async () => {
    const enrolled = await enroll();
    await walletSaveUrl(db, wallet, config.platformOrigin, enrolled.cardId);
    const objectId = loyaltyObjectId(issuerId, enrolled.cardId);
    expect(fake.objects.has(objectId)).toBe(false);
    await earn(enrolled.cardId, 200);
    const [job] = await messageJobs(enrolled.cardId);
    if (!job) throw new Error("no job");
    expect((await addRewardReadyMessage({ db, config }, job, firstTry)).status).toBe("sent");
    expect(fake.objects.get(objectId)).toMatchObject({ loyaltyPoints: { balance: { int: 250 } } });
    expect(fake.messages.map((sent) => sent.objectId)).toEqual([objectId]);
  });
});

/** The program's edit form as it stands, for updateProgram. */
async function programFields(programId: string): Promise<ProgramFields> {
  const edit = await programForEdit(db, { kind: "platform" }, programId);
  if (!edit) throw new Error("program");
  const { program, rewards } = edit;
  return {
    name: { ...program.nameTranslations, en: program.nameTranslations.en ?? program.name },
    kind: program.kind,
    pointsPerEuro: program.pointsPerEuro,
    stampsPerCard: program.stampsPerCard,
    welcomeBonus: program.welcomeBonus,
    pointsExpiryRule: program.pointsExpiryRule,
    pointsExpiryMonths: program.pointsExpiryMonths ?? undefined,
    brandColor: program.brandColor,
    logoUrl: program.logoUrl ?? undefined,
    termsUrl: program.termsUrl ?? undefined,
    active: program.active,
    rewards: rewards.map((reward) => ({ id: reward.id, name: reward.nameTranslations, cost: reward.cost })),
  };
}

describe("program edits", () => {
  it("queue one class sync per program in the edit's transaction, and the task patches the class", async () => {
    const card = await savedCard();
    const [cardRow] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, card.cardId));
    const programId = cardRow?.programId ?? "";
    const fields = await programFields(programId);
    await updateProgram(db, admin, programId, { ...fields, brandColor: "#123456" });
    await updateProgram(db, admin, programId, {
      ...fields,
      brandColor: "#224466",
      name: { ...fields.name, en: "Fashion Club Gold", fr: "Club Fashion Or" },
    });
    const jobs = await queuedJobs<{ programId: string }>("wallet_sync_class", "programId", programId);
    expect(jobs).toEqual([{ key: `wallet_sync_class:${programId}`, payload: { programId } }]);

    fake.reset();
    expect((await syncWalletClass({ db, config }, programId, firstTry)).status).toBe("synced");
    const classId = loyaltyClassId(issuerId, programId);
    expect(fake.requests.map((request) => `${request.method} ${request.path.split("/")[0]}`)).toEqual([
      "POST loyaltyClass",
    ]);
    expect(fake.classes.get(classId)).toMatchObject({ hexBackgroundColor: "#224466", programName: "Club Fashion Or" });

    // The API down for a while: the job is retried, then given up on the last attempt.
    fake.failNext("api", 503, 2);
    expect((await syncWalletClass({ db, config }, programId, firstTry)).status).toBe("retrying");
    expect((await syncWalletClass({ db, config }, programId, { attempt: 10, maxAttempts: 10 })).status).toBe("failed");
    await updateProgram(db, admin, programId, fields);
  });

  it("skip programs nobody has a pass of", async () => {
    const [wiza] = await db.select().from(stores).where(eq(stores.code, "WIZATECH"));
    const [program] = await db.execute<{ id: string }>(
      sql`select id from loyalty_programs where merchant_id = ${wiza?.merchantId ?? ""}`,
    );
    expect(await syncWalletClass({ db, config }, program?.id ?? "", firstTry)).toEqual({ status: "skipped" });
    expect(fake.requests).toEqual([]);
  });
});

describe("store addresses on the class", () => {
  it("follow store edits: turning a store's loyalty on or off queues its merchant's class sync", async () => {
    const [wiza] = await db.select().from(stores).where(eq(stores.code, "WIZATECH"));
    if (!wiza) throw new Error("WIZATECH");
    const [program] = await db.execute<{ id: string }>(
      sql`select id from loyalty_programs where merchant_id = ${wiza.merchantId}`,
    );
    const programId = program?.id ?? "";
    expect(await queuedJobs("wallet_sync_class", "programId", programId)).toEqual([]);
    await setStoreLoyalty(db, admin, wiza.id, true);
    expect(await queuedJobs("wallet_sync_class", "programId", programId)).toEqual([
      { key: `wallet_sync_class:${programId}`, payload: { programId } },
    ]);
  });

  it("list each loyalty store with its address on one line", async () => {
    const [program] = await db.execute<{ id: string }>(
      sql`select id from loyalty_programs where merchant_id = ${hub.merchantId}`,
    );
    const records = await loadClassRecords(db, program?.id ?? "");
    if (!records) throw new Error("records");
    const payload = loyaltyClassPayload(records, wallet);
    expect(payload.textModulesData[0]?.body).toBe(
      "FashionHub, 12, Grand-Rue, L-1660 Luxembourg\nFashionOutlet, 45, rue de l'Alzette, L-4011 Esch-sur-Alzette",
    );
  });
});

describe("retiring passes", () => {
  const retiredShape = (objectId: string, classId: string) => ({ id: objectId, classId, state: "INACTIVE" });

  it("an erased customer's pass ends INACTIVE at Google with no name, card number or balance, audited", async () => {
    const card = await savedCard();
    const [row] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, card.cardId));
    const classId = loyaltyClassId(issuerId, row?.programId ?? "");
    expect(fake.objects.get(card.objectId)).toMatchObject({ accountName: "Léa Muller" });
    const scope = { kind: "merchant" as const, merchantId: hub.merchantId };
    await eraseCustomer(db, admin, scope, row?.customerId ?? "");
    const jobs = await queuedJobs<{ objectId: string }>("wallet_retire_object", "objectId", card.objectId);
    expect(jobs.map((job) => job.payload)).toEqual([{ objectId: card.objectId }]);
    // The card's own sync has nothing left to do: the card forgot its pass.
    expect(await syncWalletPass({ db, config }, card.cardId, firstTry)).toEqual({ status: "skipped" });

    fake.failNext("api", 503);
    expect((await retireWalletObject({ db, config }, card.objectId, firstTry)).status).toBe("retrying");
    expect(await retireWalletObject({ db, config }, card.objectId, { attempt: 2, maxAttempts: 20 })).toEqual({
      status: "retired",
    });
    expect(fake.objects.get(card.objectId)).toEqual(retiredShape(card.objectId, classId));
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "customer.erased"), eq(auditLog.entityId, row?.customerId ?? "")));
    expect(audit?.details).toMatchObject({ cards: 1, walletObjects: 1 });
  });

  it("a pass Google never received needs nothing; giving up is audited", async () => {
    expect(await retireWalletObject({ db, config }, `${issuerId}.card-never-saved`, firstTry)).toEqual({
      status: "absent",
    });
    fake.failNext("api", 500);
    const objectId = `${issuerId}.card-unreachable`;
    expect((await retireWalletObject({ db, config }, objectId, { attempt: 20, maxAttempts: 20 })).status).toBe(
      "failed",
    );
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, objectId));
    expect(audit).toMatchObject({ action: "wallet.retire_failed", entityType: "wallet_object" });
  });

  it("the go-live cleanup lists the passes in its dry run and retires them when it deletes", async () => {
    shopperCount += 1;
    const enrolled = await enrollCustomer(db, hub, {
      firstName: "Testy",
      lastName: "McTest",
      email: `golive-${shopperCount}@cleanup.example`,
      phone: null,
      birthDate: null,
      marketingConsent: false,
      locale: "en",
    });
    if (enrolled.status !== "enrolled") throw new Error("not enrolled");
    await walletSaveUrl(db, wallet, config.platformOrigin, enrolled.cardId);
    await syncWalletPass({ db, config }, enrolled.cardId, firstTry);
    const objectId = loyaltyObjectId(issuerId, enrolled.cardId);
    const criteria = { emailPattern: "%@cleanup.example" };
    const plan = await planCleanup(db, criteria);
    expect(plan.walletObjectIds).toEqual([objectId]);
    expect(await queuedJobs("wallet_retire_object", "objectId", objectId)).toEqual([]);

    await applyCleanup(db, criteria);
    expect(
      await db
        .select()
        .from(customers)
        .where(eq(customers.email, `golive-${shopperCount}@cleanup.example`)),
    ).toEqual([]);
    const jobs = await queuedJobs<{ objectId: string }>("wallet_retire_object", "objectId", objectId);
    expect(jobs).toHaveLength(1);
    expect((await retireWalletObject({ db, config }, objectId, firstTry)).status).toBe("retired");
    expect(fake.objects.get(objectId)).toMatchObject({ state: "INACTIVE" });
    expect(fake.objects.get(objectId)).not.toHaveProperty("accountName");
    expect(fake.objects.get(objectId)).not.toHaveProperty("loyaltyPoints");
  });
});
