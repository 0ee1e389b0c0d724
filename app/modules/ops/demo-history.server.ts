import { and, eq } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import type { Locale } from "~/i18n/locales";
import { luhnCheckDigit } from "~/modules/loyalty/card-number";
import { type HistoricalEntry, importCardHistory } from "~/modules/loyalty/ledger.server";
import { pointsForPurchase } from "~/modules/loyalty/ledger-operations.server";
import { type PointsExpiry, pointsExpiryOf } from "~/modules/loyalty/points-expiry";
import { customers, loyaltyCards, loyaltyPrograms, loyaltyRewards } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";

/**
 * Twelve months of past activity for the demo merchants, so a merchant opening analytics on the
 * first start sees real charts: enrollments spread over the stores, purchases, stamps,
 * redemptions, a few voids, and expiries where the program has an expiry rule (ADR 022), written
 * by the ledger's history import (ADR 018): the rows keep
 * their past dates and balances, and no email is queued for them. Deterministic (seeded PRNG);
 * its shoppers are its own (`@history.example`), never those the journeys enroll.
 */

/** How many past shoppers each demo merchant gets; the busiest first. */
const shoppersPerMerchant: Record<string, number> = {
  "fashion-group": 420,
  wizatech: 140,
  bookworld: 110,
  luxweb: 80,
};

const firstNames = [
  "Léa",
  "Lucas",
  "Emma",
  "Noah",
  "Chloé",
  "Luca",
  "Sophie",
  "Ben",
  "Anna",
  "Tom",
  "Laura",
  "Max",
  "Julie",
  "Paul",
  "Sarah",
  "Marc",
  "Lena",
  "Jonas",
  "Camille",
  "Yves",
  "Mia",
  "Elias",
  "Nora",
  "Tim",
];
const lastNames = [
  "Muller",
  "Schmit",
  "Weber",
  "Wagner",
  "Hoffmann",
  "Thill",
  "Klein",
  "Schroeder",
  "Reuter",
  "Kieffer",
  "Becker",
  "Meyer",
  "Majerus",
  "Hansen",
  "Lentz",
  "Faber",
  "Kremer",
  "Welter",
  "Da Silva",
  "Ferreira",
];
const languages: Locale[] = ["fr", "fr", "fr", "de", "de", "lb", "lb", "en"];
const voidReasons = ["Erreur de caisse", "Achat remboursé", "Saisie en double"];

/** mulberry32: a small seeded generator, so every first start writes the same history. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const day = 86_400_000;

/** Writes the demo history into a freshly seeded database; returns what it wrote. */
export async function seedDemoHistory(db: Database, now = new Date()) {
  const random = generator(20261201);
  const totals = { shoppers: 0, rows: 0 };
  const start = now.getTime() - 365 * day;
  // The history ends yesterday, so "today" on the dashboard is only what happens today.
  const end = now.getTime() - day;
  for (const [slug, count] of Object.entries(shoppersPerMerchant)) {
    const [merchant] = await db.select().from(merchants).where(eq(merchants.slug, slug));
    if (!merchant) continue;
    const [program] = await db
      .select()
      .from(loyaltyPrograms)
      .where(and(eq(loyaltyPrograms.merchantId, merchant.id), eq(loyaltyPrograms.active, true)));
    const merchantStores = await db
      .select()
      .from(stores)
      .where(and(eq(stores.merchantId, merchant.id), eq(stores.loyaltyEnabled, true)));
    if (!program || merchantStores.length === 0) continue;
    const rewards = await db
      .select()
      .from(loyaltyRewards)
      .where(and(eq(loyaltyRewards.programId, program.id), eq(loyaltyRewards.active, true)))
      .orderBy(loyaltyRewards.cost);
    const points = program.kind === "points";

    // Enrollments grow over the year (a program that catches on); the first store is the busiest.
    const shoppers = Array.from({ length: count }, (_, index) => {
      const at = start + Math.sqrt(random.next()) * (end - start);
      const store = merchantStores[random.next() < 0.65 ? 0 : random.int(0, merchantStores.length - 1)];
      const firstName = random.pick(firstNames);
      const lastName = random.pick(lastNames);
      const email = `${firstName}.${lastName}.${index + 1}@history.example`
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/\s+/g, "")
        .toLowerCase();
      return { at: new Date(at), store: store ?? merchantStores[0], firstName, lastName, email };
    });
    await db.transaction(async (tx) => {
      const insertedCustomers = await tx
        .insert(customers)
        .values(
          shoppers.map((shopper) => ({
            merchantId: merchant.id,
            email: shopper.email,
            firstName: shopper.firstName,
            lastName: shopper.lastName,
            preferredLanguage: random.pick(languages),
            termsAcceptedAt: shopper.at,
            marketingConsentAt: random.next() < 0.4 ? shopper.at : null,
            createdAt: shopper.at,
          })),
        )
        .returning({ id: customers.id });
      const cards = await tx
        .insert(loyaltyCards)
        .values(
          shoppers.map((shopper, index) => {
            let body = String(random.int(1, 9));
            for (let i = 0; i < 14; i++) body += String(random.int(0, 9));
            return {
              programId: program.id,
              customerId: insertedCustomers[index]?.id ?? "",
              merchantId: merchant.id,
              enrolledStoreId: shopper.store?.id ?? "",
              cardNumber: body + luhnCheckDigit(body),
              publicToken: `demo-history-${slug}-${index + 1}-${random.int(100_000_000, 999_999_999)}`,
              createdAt: shopper.at,
            };
          }),
        )
        .returning({ id: loyaltyCards.id });
      const histories = shoppers.flatMap((shopper, index) => {
        const cardId = cards[index]?.id;
        if (!cardId || !shopper.store) return [];
        const entries = historyOf(random, {
          enrolledAt: shopper.at.getTime(),
          end,
          homeStore: shopper.store.id,
          storeIds: merchantStores.map((store) => store.id),
          points,
          pointsPerEuro: program.pointsPerEuro,
          stampsPerPurchase: program.stampsPerPurchase,
          welcomeBonus: program.welcomeBonus,
          rewards: rewards.map((reward) => ({ id: reward.id, cost: reward.cost })),
          expiry: pointsExpiryOf(program),
        });
        return [{ cardId, entries }];
      });
      totals.rows += (await importCardHistory(tx, histories)).rows;
    });
    totals.shoppers += shoppers.length;
  }
  return totals;
}

/** One shopper's year: a welcome bonus, visits at a personal pace, rewards taken when within reach. */
function historyOf(
  random: ReturnType<typeof generator>,
  shopper: {
    enrolledAt: number;
    end: number;
    homeStore: string;
    storeIds: string[];
    points: boolean;
    pointsPerEuro: number;
    stampsPerPurchase: number;
    welcomeBonus: number;
    rewards: { id: string; cost: number }[];
    expiry: PointsExpiry | null;
  },
): HistoricalEntry[] {
  const entries: HistoricalEntry[] = [];
  let balance = 0;
  const unit = (delta: number) => (shopper.points ? { pointsDelta: delta } : { stampsDelta: delta });
  const expiry = expiryOf(shopper.expiry, shopper.homeStore);
  if (shopper.welcomeBonus > 0) {
    entries.push({
      storeId: shopper.homeStore,
      type: "welcome_bonus",
      ...unit(shopper.welcomeBonus),
      createdAt: new Date(shopper.enrolledAt),
    });
    balance += shopper.welcomeBonus;
    expiry.activity(shopper.enrolledAt);
    expiry.credit(shopper.enrolledAt, shopper.welcomeBonus);
  }
  // A visit every 8 to 60 days on average; a third of shoppers drift away after a few months.
  const meanGap = random.int(8, 60) * day;
  const leavesAt = random.next() < 0.33 ? shopper.enrolledAt + random.int(30, 150) * day : shopper.end;
  let at = shopper.enrolledAt + random.next() * meanGap;
  while (at < Math.min(leavesAt, shopper.end)) {
    const storeId = random.next() < 0.8 ? shopper.homeStore : random.pick(shopper.storeIds);
    // Opening hours: 9:00 to 18:59 UTC-ish, whatever the day.
    const when = new Date(Math.floor(at / day) * day + random.int(8 * 60, 17 * 60 + 59) * 60_000);
    balance -= expiry.settle(when.getTime(), balance, entries);
    const amountCents = Math.round(1_500 + random.next() ** 2 * 18_000 + random.int(0, 99));
    const delta = shopper.points ? pointsForPurchase(amountCents, shopper.pointsPerEuro) : shopper.stampsPerPurchase;
    const voided =
      random.next() < 0.02
        ? { at: new Date(when.getTime() + random.int(5, 50) * 1_000), reason: random.pick(voidReasons) }
        : null;
    entries.push({
      storeId,
      type: shopper.points ? "earn" : "stamp",
      amountCents,
      ...unit(delta),
      createdAt: when,
      voided,
    });
    expiry.activity(when.getTime());
    if (!voided) {
      balance += delta;
      expiry.credit(when.getTime(), delta);
    }
    const affordable = shopper.rewards.filter((reward) => reward.cost <= balance);
    if (affordable.length > 0 && random.next() < 0.55) {
      const reward = random.next() < 0.7 ? affordable[0] : affordable[affordable.length - 1];
      if (reward) {
        entries.push({
          storeId,
          type: "redeem",
          rewardId: reward.id,
          ...unit(-reward.cost),
          createdAt: new Date(when.getTime() + 60_000),
        });
        balance -= reward.cost;
        expiry.activity(when.getTime() + 60_000);
        expiry.debit(reward.cost);
      }
    }
    at += meanGap * (0.3 + random.next() * 1.4);
  }
  expiry.settle(shopper.end, balance, entries);
  return entries;
}

/** The daily expiry task's time of day (the `expire_points` crontab line: 02:15 UTC). */
const expiryRunMinutes = 2 * 60 + 15;

/** The first daily expiry run at or after a moment. */
function expiryRunAt(moment: number): number {
  const run = Math.floor(moment / day) * day + expiryRunMinutes * 60_000;
  return run >= moment ? run : run + day;
}

/** A UTC time N calendar months later, the day kept within the month as PostgreSQL's intervals do. */
function addMonths(moment: number, months: number): number {
  const date = new Date(moment);
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), month + 1, 0)).getUTCDate();
  return Date.UTC(
    date.getUTCFullYear(),
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/**
 * The program's expiry rule applied to one shopper's past as the daily task would have applied it
 * (points-expiry.server.ts, ADR 015): `settle(until)` adds the `expire` rows of every daily run up
 * to `until` and returns the points they took. No rule: nothing ever expires.
 */
function expiryOf(rule: PointsExpiry | null, storeId: string) {
  const credits: { at: number; points: number }[] = [];
  let debits = 0;
  let lastActivity = 0;
  let settledUntil = 0;
  const expire = (at: number, points: number, entries: HistoricalEntry[]) => {
    entries.push({ storeId, type: "expire", pointsDelta: -points, createdAt: new Date(at) });
    debits += points;
    return points;
  };
  return {
    credit(at: number, points: number) {
      credits.push({ at, points });
    },
    debit(points: number) {
      debits += points;
    },
    activity(at: number) {
      lastActivity = Math.max(lastActivity, at);
    },
    settle(until: number, balance: number, entries: HistoricalEntry[]): number {
      // Runs since the last settlement; with nothing on the card, they had nothing to take.
      const from = settledUntil;
      settledUntil = Math.max(settledUntil, until);
      if (!rule || rule.rule === "none" || balance <= 0 || credits.length === 0) return 0;
      if (rule.rule === "after_inactivity") {
        // The whole balance lapses at the first run N months after the last activity.
        const run = expiryRunAt(addMonths(lastActivity, rule.months));
        return run > from && run <= until ? expire(run, balance, entries) : 0;
      }
      // After earning: a month's points expire when month N + 1 after it begins; the oldest are spent first.
      let taken = 0;
      const firstMonth = new Date(Math.max(from, credits[0]?.at ?? until));
      for (
        let month = Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth(), 1);
        month <= until;
        month = addMonths(month, 1)
      ) {
        const run = expiryRunAt(month);
        if (run <= from || run > until) continue;
        const due =
          credits
            .filter((credit) => {
              const earned = new Date(credit.at);
              return Date.UTC(earned.getUTCFullYear(), earned.getUTCMonth() + rule.months + 1, 1) <= run;
            })
            .reduce((sum, credit) => sum + credit.points, 0) - debits;
        if (due > 0) taken += expire(run, due, entries);
      }
      return taken;
    },
  };
}
