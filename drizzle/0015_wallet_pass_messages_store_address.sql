CREATE TABLE "wallet_pass_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"card_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"reward_id" uuid,
	"message_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "wallet_pass_messages_card_message_key" UNIQUE("card_id","message_id"),
	CONSTRAINT "wallet_pass_messages_type" CHECK ("wallet_pass_messages"."message_type" in ('TEXT_AND_NOTIFY', 'TEXT'))
);
--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "wallet_pass_messages" ADD CONSTRAINT "wallet_pass_messages_card_id_loyalty_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."loyalty_cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wallet_pass_messages_card_created_idx" ON "wallet_pass_messages" USING btree ("card_id","created_at");