import { desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "~/db/client.server";
import { enqueue } from "~/jobs/enqueue.server";
import { users } from "~/modules/auth/schema";
import { stores } from "~/modules/tenancy/schema";
import { counterStaff, terminalDevices } from "~/modules/terminal/schema";
import { queueWalletRewardMessage } from "~/modules/wallet/jobs.server";
import { queueRewardReady } from "./loyalty-emails.server";
import { loyaltyCards, loyaltyTransactions, type TransactionType } from "./schema";

export interface LedgerEntry {
  cardId: string;
  storeId: string;
  type: TransactionType;
  pointsDelta?: number;
  stampsDelta?: number;
  amountCents?: number | null;
  rewardId?: string | null;
  actingUserId?: string | null;
  actingCounterStaffId?: string | null;
  actingDeviceId?: string | null;
  idempotencyKey?: string | null;
  requestFingerprint?: string | null;
  clientTime?: Date | null;
  reason?: string | null;
  voidedTransactionId?: number | null;
}

export type LedgerRow = typeof loyaltyTransactions.$inferSelect;

/**
 * Moves the card's cached balance and appends the ledger row that says why, in the caller's
 * transaction; the row keeps the balance after it. The CHECK on the card refuses a negative
 * balance. A rise that crosses an active reward's cost queues its reward-ready email here, so
 * every way a balance can grow (earn, stamp, bonus, adjustment, a voided redeem) announces it.
 * The balance, the row and the rewards crossed are one statement (ADR 037): a refused balance
 * writes neither the card nor the row.
 */
export async function appendLedgerEntry(tx: Transaction, entry: LedgerEntry) {
  const pointsDelta = entry.pointsDelta ?? 0;
  const stampsDelta = entry.stampsDelta ?? 0;
  const [moved] = await tx.execute<Record<string, unknown> & LedgerMove>(sql`
    with card as (
      update loyalty_cards
      set points_balance = points_balance + ${pointsDelta}::int, stamps_balance = stamps_balance + ${stampsDelta}::int,
        updated_at = now()
      where id = ${entry.cardId}::uuid
      returning id, program_id, points_balance, stamps_balance, google_wallet_object_id
    ), entry as (
      insert into loyalty_transactions (card_id, store_id, type, points_delta, stamps_delta, points_balance_after,
        stamps_balance_after, amount_cents, reward_id, acting_user_id, acting_counter_staff_id, acting_device_id,
        idempotency_key, request_fingerprint, client_time, reason, voided_transaction_id)
      select card.id, ${entry.storeId}::uuid, ${entry.type}, ${pointsDelta}::int, ${stampsDelta}::int,
        card.points_balance, card.stamps_balance, ${entry.amountCents ?? null}::int, ${entry.rewardId ?? null}::uuid,
        ${entry.actingUserId ?? null}::uuid, ${entry.actingCounterStaffId ?? null}::uuid,
        ${entry.actingDeviceId ?? null}::uuid, ${entry.idempotencyKey ?? null}::text,
        ${entry.requestFingerprint ?? null}::text, ${entry.clientTime?.toISOString() ?? null}::timestamptz,
        ${entry.reason ?? null}::text, ${entry.voidedTransactionId ?? null}::bigint
      from card
      returning ${ledgerColumnList}
    )
    select entry.*, card.google_wallet_object_id as moved_wallet_object_id,
      array(
        select reward.id::text from loyalty_rewards reward
        join loyalty_programs program on program.id = reward.program_id
        where reward.program_id = card.program_id and reward.active and case program.kind
          when 'points' then card.points_balance - ${pointsDelta}::int < reward.cost and reward.cost <= card.points_balance
          else card.stamps_balance - ${stampsDelta}::int < reward.cost and reward.cost <= card.stamps_balance end
        order by reward.cost, reward.id
      ) as moved_crossed_reward_ids
    from entry cross join card`);
  if (!moved) throw new Error(`ledger entry for unknown card ${entry.cardId}`);
  const row = ledgerRowOf(moved);
  const balance = { pointsBalance: row.pointsBalanceAfter ?? 0, stampsBalance: row.stampsBalanceAfter ?? 0 };
  // The rule of crossedRewards (before < cost ≤ after), applied by the statement to the program's active rewards.
  for (const rewardId of moved.moved_crossed_reward_ids) {
    await queueRewardReady(tx, entry.cardId, rewardId, entry.storeId);
    if (moved.moved_wallet_object_id) {
      await queueWalletRewardMessage(tx, { cardId: entry.cardId, rewardId, transactionId: row.id });
    }
  }
  if (moved.moved_wallet_object_id && (pointsDelta !== 0 || stampsDelta !== 0)) {
    await queueWalletSync(tx, entry.cardId);
  }
  return { transaction: row, balance };
}

/** What the ledger statement returns beside the row: the card's pass, and the rewards crossed. */
interface LedgerMove {
  moved_wallet_object_id: string | null;
  moved_crossed_reward_ids: string[];
}

/** The ledger's columns by their names in the database, each with the column that reads its value. */
const ledgerColumns = Object.entries(getTableColumns(loyaltyTransactions)).map(([key, column]) => ({
  key,
  column,
  name: column.keyAsName ? toSnakeCase(column.name) : column.name,
}));
const ledgerColumnList = sql.raw(ledgerColumns.map(({ name }) => name).join(", "));

/** A ledger row returned by SQL of our own, read as drizzle reads it. */
function ledgerRowOf(raw: Record<string, unknown>): LedgerRow {
  return Object.fromEntries(
    ledgerColumns.map(({ key, column, name }) => {
      const value = raw[name];
      return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
    }),
  ) as LedgerRow;
}

/**
 * The card's Google Wallet pass shows its balance: one sync job per card, keyed so a burst of
 * changes (a batch from the counter) becomes one update that reads the latest balance.
 */
export function queueWalletSync(tx: Executor, cardId: string) {
  return enqueue(tx, "wallet_sync_card", { cardId }, { jobKey: `wallet_sync_card:${cardId}`, delaySeconds: 2 });
}

/** One row of a card's past, as an import from an earlier system gives it (oldest first). */
export interface HistoricalEntry {
  storeId: string;
  type: Exclude<TransactionType, "void">;
  pointsDelta?: number;
  stampsDelta?: number;
  amountCents?: number | null;
  rewardId?: string | null;
  reason?: string | null;
  createdAt: Date;
  /** Voided later, at this time and for this reason: the void row follows its entry (ADR 018). */
  voided?: { at: Date; reason: string } | null;
}

/**
 * Imports cards' past (a merchant moving from an earlier system, or the development demo) in the
 * caller's transaction: the rows keep their own dates and balances after them, each card's cached
 * balance ends where its ledger does, and no email is queued — reward-ready and expiry notices are
 * about now, not about the past. Refuses a history whose balance would go negative. Rows are
 * written in a few multi-row statements, so a year of a merchant's history takes a moment.
 */
export async function importCardHistory(
  tx: Transaction,
  histories: readonly { cardId: string; entries: readonly HistoricalEntry[] }[],
) {
  if (histories.length === 0) return { rows: 0 };
  const ids = histories.map((history) => history.cardId);
  const cards = await tx.select().from(loyaltyCards).where(inArray(loyaltyCards.id, ids)).for("update");
  const byId = new Map(cards.map((card) => [card.id, card]));
  /** A row as the import statement reads it (snake_case JSON), keyed `import:<card>:<n>`. */
  type Row = Record<string, string | number | null>;
  const originals: Row[] = [];
  const voids: Row[] = [];
  const balances: { id: string; points: number; stamps: number }[] = [];
  for (const { cardId, entries } of histories) {
    const card = byId.get(cardId);
    if (!card) throw new Error(`history for unknown card ${cardId}`);
    let points = card.pointsBalance;
    let stamps = card.stampsBalance;
    const move = (pointsDelta: number, stampsDelta: number) => {
      points += pointsDelta;
      stamps += stampsDelta;
      if (points < 0 || stamps < 0) throw new Error(`history of card ${cardId} takes its balance below zero`);
    };
    for (const [index, { voided, ...entry }] of entries.entries()) {
      const pointsDelta = entry.pointsDelta ?? 0;
      const stampsDelta = entry.stampsDelta ?? 0;
      move(pointsDelta, stampsDelta);
      const key = `import:${cardId}:${index}`;
      originals.push({
        card_id: cardId,
        store_id: entry.storeId,
        type: entry.type,
        points_delta: pointsDelta,
        stamps_delta: stampsDelta,
        amount_cents: entry.amountCents ?? null,
        reward_id: entry.rewardId ?? null,
        reason: entry.reason ?? null,
        created_at: entry.createdAt.toISOString(),
        points_balance_after: points,
        stamps_balance_after: stamps,
        idempotency_key: key,
      });
      if (voided) {
        move(-pointsDelta, -stampsDelta);
        voids.push({
          card_id: cardId,
          store_id: entry.storeId,
          type: "void",
          points_delta: -pointsDelta,
          stamps_delta: -stampsDelta,
          reward_id: entry.rewardId ?? null,
          reason: voided.reason,
          created_at: voided.at.toISOString(),
          points_balance_after: points,
          stamps_balance_after: stamps,
          idempotency_key: `${key}:void`,
          voids_key: key,
        });
      }
    }
    balances.push({ id: cardId, points, stamps });
  }
  // One JSON parameter per statement (thousands of rows); voids find their rows by import key.
  for (let i = 0; i < originals.length; i += importChunk) {
    await tx.execute(sql`
      insert into loyalty_transactions (card_id, store_id, type, points_delta, stamps_delta, amount_cents,
        reward_id, reason, created_at, points_balance_after, stamps_balance_after, idempotency_key)
      select card_id, store_id, type, points_delta, stamps_delta, amount_cents, reward_id, reason, created_at,
        points_balance_after, stamps_balance_after, idempotency_key
      from json_to_recordset(${JSON.stringify(originals.slice(i, i + importChunk))}::json) as r(card_id uuid,
        store_id uuid, type text, points_delta int, stamps_delta int, amount_cents int, reward_id uuid, reason text,
        created_at timestamptz, points_balance_after int, stamps_balance_after int, idempotency_key text)`);
  }
  for (let i = 0; i < voids.length; i += importChunk) {
    await tx.execute(sql`
      insert into loyalty_transactions (card_id, store_id, type, points_delta, stamps_delta, reward_id, reason,
        created_at, points_balance_after, stamps_balance_after, idempotency_key, voided_transaction_id)
      select card_id, store_id, type, points_delta, stamps_delta, reward_id, reason, created_at,
        points_balance_after, stamps_balance_after, idempotency_key,
        (select t.id from loyalty_transactions t where t.idempotency_key = r.voids_key)
      from json_to_recordset(${JSON.stringify(voids.slice(i, i + importChunk))}::json) as r(card_id uuid,
        store_id uuid, type text, points_delta int, stamps_delta int, reward_id uuid, reason text,
        created_at timestamptz, points_balance_after int, stamps_balance_after int, idempotency_key text,
        voids_key text)`);
  }
  for (let i = 0; i < balances.length; i += importChunk) {
    const values = sql.join(
      balances.slice(i, i + importChunk).map((b) => sql`(${b.id}::uuid, ${b.points}::int, ${b.stamps}::int)`),
      sql`, `,
    );
    await tx.execute(sql`
      update loyalty_cards c set points_balance = v.points, stamps_balance = v.stamps
      from (values ${values}) as v(id, points, stamps) where c.id = v.id`);
  }
  return { rows: originals.length + voids.length };
}

/** Rows per statement: keeps each JSON parameter a few megabytes at most. */
const importChunk = 5_000;

export interface Balance {
  points: number;
  stamps: number;
}

/** The active rewards whose cost a move from `before` to `after` crosses upwards (before < cost ≤ after). */
export function crossedRewards<R extends { cost: number; kind: "points" | "stamps" }>(
  activeRewards: readonly R[],
  before: Balance,
  after: Balance,
): R[] {
  return activeRewards.filter((reward) => {
    const unit = reward.kind === "points" ? "points" : "stamps";
    return before[unit] < reward.cost && reward.cost <= after[unit];
  });
}

const actingUser = alias(users, "acting_user");

/**
 * A card's ledger, newest first, with the store, the staff member (portal user or counter staff),
 * the device and the reason of each entry. The one history query: staff pages show everything,
 * the shopper's page picks what it shows.
 */
export function cardHistory(db: Executor, cardId: string, limit: number) {
  return db
    .select({
      id: loyaltyTransactions.id,
      type: loyaltyTransactions.type,
      pointsDelta: loyaltyTransactions.pointsDelta,
      stampsDelta: loyaltyTransactions.stampsDelta,
      amountCents: loyaltyTransactions.amountCents,
      createdAt: loyaltyTransactions.createdAt,
      storeId: loyaltyTransactions.storeId,
      storeName: stores.name,
      staffName: sql<string | null>`coalesce(${actingUser.name}, ${counterStaff.displayName})`,
      deviceId: loyaltyTransactions.actingDeviceId,
      deviceName: terminalDevices.name,
      reason: loyaltyTransactions.reason,
      voidedTransactionId: loyaltyTransactions.voidedTransactionId,
    })
    .from(loyaltyTransactions)
    .innerJoin(stores, eq(stores.id, loyaltyTransactions.storeId))
    .leftJoin(actingUser, eq(actingUser.id, loyaltyTransactions.actingUserId))
    .leftJoin(counterStaff, eq(counterStaff.id, loyaltyTransactions.actingCounterStaffId))
    .leftJoin(terminalDevices, eq(terminalDevices.id, loyaltyTransactions.actingDeviceId))
    .where(eq(loyaltyTransactions.cardId, cardId))
    .orderBy(desc(loyaltyTransactions.createdAt), desc(loyaltyTransactions.id))
    .limit(limit);
}
