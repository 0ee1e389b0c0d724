import { count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { enrollCustomer } from "~/modules/loyalty/enrollment.server";
import { loyaltyCards, loyaltyRewards } from "~/modules/loyalty/schema";
import { seedDemoData } from "~/modules/ops/demo-tenants.server";
import { stores } from "~/modules/tenancy/schema";
import type { Store } from "~/modules/tenancy/stores.server";
import { createTestDatabase } from "~/test/database";
import { InvalidEmailError, queueEmail, queueReminder } from "./queue.server";
import { emailLogs } from "./schema";

const { db } = await createTestDatabase();
let shopper: {
  locale: "fr";
  recipient: string;
  merchantId: string;
  storeId: string;
  customerId: string;
  cardId: string;
};
let rewardId: string;

beforeAll(async () => {
  await seedDemoData(db);
  const [store] = (await db.select().from(stores).where(eq(stores.code, "FASHIONHUB"))) as [Store];
  const enrolled = await enrollCustomer(db, store, {
    firstName: "Nora",
    lastName: "Klein",
    email: "nora@example.com",
    phone: null,
    birthDate: null,
    marketingConsent: false,
    locale: "fr",
  });
  const [card] = await db.select().from(loyaltyCards).where(eq(loyaltyCards.id, enrolled.cardId));
  const [reward] = await db
    .select()
    .from(loyaltyRewards)
    .where(eq(loyaltyRewards.programId, card?.programId ?? ""));
  if (!card || !reward) throw new Error("seed data missing");
  shopper = {
    locale: "fr",
    recipient: "nora@example.com",
    merchantId: card.merchantId,
    storeId: store.id,
    customerId: card.customerId,
    cardId: card.id,
  };
  rewardId = reward.id;
});

/** Every email row and every job in the database: a refused email must change neither. */
async function written() {
  const [rows] = await db.select({ value: count() }).from(emailLogs);
  const [jobs] = await db.execute<{ value: number }>(sql`select count(*)::int as value from graphile_worker.jobs`);
  return { rows: rows?.value, jobs: jobs?.value };
}

describe("queueEmail, typed by kind", () => {
  it("queues a reward-ready notice with its reward, from inside a transaction, behind waited-for emails", async () => {
    const id = await db.transaction((tx) =>
      queueEmail(tx, { kind: "loyalty_reward_ready", ...shopper, params: { rewardId } }),
    );
    const [row] = await db.select().from(emailLogs).where(eq(emailLogs.id, id));
    expect(row).toMatchObject({ templateKey: "loyalty_reward_ready", cardId: shopper.cardId, params: { rewardId } });
    const [job] = await db.execute<{ priority: number }>(
      sql`select priority from graphile_worker._private_jobs where payload->>'emailLogId' = ${id}`,
    );
    expect(job?.priority).toBe(1);
  });

  it("queues a points-expiring reminder through queueReminder only", async () => {
    const params = { expiringPoints: 40, expiresOn: "2026-12-31" };
    const id = await queueReminder(db, { kind: "loyalty_points_expiring", ...shopper, params });
    const [row] = await db
      .select()
      .from(emailLogs)
      .where(eq(emailLogs.id, id ?? ""));
    expect(row?.params).toEqual(params);
  });

  describe("refuses an email whose ids or parameters do not fit its kind, before anything is written", () => {
    const expiring = { expiringPoints: 40, expiresOn: "2026-12-31" };
    const refusals: [string, () => Promise<unknown>][] = [
      [
        "a reward-ready notice without its reward",
        () =>
          // @ts-expect-error the reward is a required parameter of loyalty_reward_ready
          db.transaction((tx) => queueEmail(tx, { kind: "loyalty_reward_ready", ...shopper, params: {} })),
      ],
      [
        "a reward-ready notice without any parameters",
        () =>
          db.transaction((tx) =>
            // @ts-expect-error loyalty_reward_ready has parameters: they cannot be left out
            queueEmail(tx, { kind: "loyalty_reward_ready", ...shopper }),
          ),
      ],
      [
        "a reminder whose points are text",
        () =>
          queueReminder(db, {
            kind: "loyalty_points_expiring",
            ...shopper,
            // @ts-expect-error expiringPoints is a number
            params: { expiringPoints: "forty", expiresOn: "2026-12-31" },
          }),
      ],
      [
        "a reminder through queueEmail, which would skip the customer's opt-out",
        () =>
          // @ts-expect-error reminders go through queueReminder
          queueEmail(db, { kind: "loyalty_points_expiring", ...shopper, params: expiring }),
      ],
      [
        "a notice through queueReminder",
        () =>
          // @ts-expect-error queueReminder takes reminder kinds only
          queueReminder(db, { kind: "loyalty_card_link", ...shopper }),
      ],
      [
        "a shopper email without its card",
        () => {
          const { cardId: _cardId, ...withoutCard } = shopper;
          // @ts-expect-error a shopper email is about a card
          return queueEmail(db, { kind: "loyalty_card_link", ...withoutCard });
        },
      ],
      [
        "a staff email without its user",
        // @ts-expect-error a staff email goes to a user
        () => queueEmail(db, { kind: "password_reset", locale: "en", recipient: "someone@example.com" }),
      ],
      // What the type check cannot see, the kind's schema still refuses.
      [
        "a reward that is not an id",
        () => queueEmail(db, { kind: "loyalty_reward_ready", ...shopper, params: { rewardId: "the-big-one" } }),
      ],
      [
        "no points expiring",
        () =>
          queueReminder(db, {
            kind: "loyalty_points_expiring",
            ...shopper,
            params: { expiringPoints: 0, expiresOn: "2026-12-31" },
          }),
      ],
      [
        "an expiry that is not a date",
        () =>
          queueReminder(db, {
            kind: "loyalty_points_expiring",
            ...shopper,
            params: { expiringPoints: 40, expiresOn: "soon" },
          }),
      ],
      [
        "a card id that is not an id",
        () => queueEmail(db, { kind: "loyalty_enrollment", ...shopper, cardId: "6280000000000018" }),
      ],
    ];
    it.each(refusals)("%s", async (_name, queue) => {
      const before = await written();
      await expect(queue()).rejects.toThrow(InvalidEmailError);
      expect(await written()).toEqual(before);
    });
  });
});
