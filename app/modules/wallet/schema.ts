import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { loyaltyCards } from "~/modules/loyalty/schema";

export const walletMessageTypes = ["TEXT_AND_NOTIFY", "TEXT"] as const;
export type WalletMessageType = (typeof walletMessageTypes)[number];

/**
 * Messages RewardFlow put on a card's pass. A row is written before the call to Google and keeps
 * its type, so a retried job sends the same message once, and the notifying ones of the last 24
 * hours can be counted against Google's limit of three (ADR 028). No personal data: ids only.
 */
export const walletPassMessages = pgTable(
  "wallet_pass_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    cardId: uuid()
      .notNull()
      .references(() => loyaltyCards.id, { onDelete: "cascade" }),
    /** The message id on the pass, unique per object (Google's Message.id). */
    messageId: text().notNull(),
    rewardId: uuid(),
    messageType: text().$type<WalletMessageType>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set once Google accepted the message (or already had it). */
    sentAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    unique("wallet_pass_messages_card_message_key").on(table.cardId, table.messageId),
    index("wallet_pass_messages_card_created_idx").on(table.cardId, table.createdAt),
    check("wallet_pass_messages_type", sql`${table.messageType} in ('TEXT_AND_NOTIFY', 'TEXT')`),
  ],
);
