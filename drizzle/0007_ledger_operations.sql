CREATE TABLE "points_expiry_notices" (
	"card_id" uuid NOT NULL,
	"expires_on" date NOT NULL,
	"expiring_points" integer NOT NULL,
	"email_log_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_expiry_notices_card_id_expires_on_pk" PRIMARY KEY("card_id","expires_on")
);
--> statement-breakpoint
CREATE TABLE "counter_staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"pin_hash" text,
	"failed_pin_attempts" integer DEFAULT 0 NOT NULL,
	"pin_locked_at" timestamp with time zone,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "counter_staff_failed_pin_attempts" CHECK ("counter_staff"."failed_pin_attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "terminal_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text,
	"pairing_code_hash" text,
	"pairing_code_expires_at" timestamp with time zone,
	"paired_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"app_version" text,
	"reported_queue_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "terminal_devices_tokenHash_unique" UNIQUE("token_hash"),
	CONSTRAINT "terminal_devices_pairingCodeHash_unique" UNIQUE("pairing_code_hash"),
	CONSTRAINT "terminal_devices_pairing_code_expiry" CHECK (("terminal_devices"."pairing_code_hash" is null) = ("terminal_devices"."pairing_code_expires_at" is null))
);
--> statement-breakpoint
ALTER TABLE "loyalty_transactions" DROP CONSTRAINT "loyalty_transactions_type";--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD COLUMN "stamps_per_purchase" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD COLUMN "points_expiry_rule" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "points_balance_after" integer;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "stamps_balance_after" integer;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "acting_counter_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "request_fingerprint" text;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "voided_transaction_id" bigint;--> statement-breakpoint
ALTER TABLE "points_expiry_notices" ADD CONSTRAINT "points_expiry_notices_card_id_loyalty_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."loyalty_cards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_staff" ADD CONSTRAINT "counter_staff_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counter_staff" ADD CONSTRAINT "counter_staff_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_devices" ADD CONSTRAINT "terminal_devices_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "terminal_devices" ADD CONSTRAINT "terminal_devices_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counter_staff_store_idx" ON "counter_staff" USING btree ("store_id");--> statement-breakpoint
CREATE INDEX "terminal_devices_store_idx" ON "terminal_devices" USING btree ("store_id");--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_acting_counter_staff_id_counter_staff_id_fk" FOREIGN KEY ("acting_counter_staff_id") REFERENCES "public"."counter_staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_acting_device_id_terminal_devices_id_fk" FOREIGN KEY ("acting_device_id") REFERENCES "public"."terminal_devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_voided_transaction_id_loyalty_transactions_id_fk" FOREIGN KEY ("voided_transaction_id") REFERENCES "public"."loyalty_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_transactions_one_void_per_transaction" ON "loyalty_transactions" USING btree ("voided_transaction_id") WHERE "loyalty_transactions"."voided_transaction_id" is not null;--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD CONSTRAINT "loyalty_programs_stamps_per_purchase" CHECK ("loyalty_programs"."stamps_per_purchase" between 1 and 100);--> statement-breakpoint
-- Months set before the rule existed meant "after earning"; a stamps program's months never applied.
UPDATE "loyalty_programs" SET "points_expiry_rule" = 'after_earning' WHERE "points_expiry_months" IS NOT NULL AND "kind" = 'points';--> statement-breakpoint
UPDATE "loyalty_programs" SET "points_expiry_months" = NULL WHERE "points_expiry_rule" = 'none';--> statement-breakpoint
ALTER TABLE "loyalty_programs" ADD CONSTRAINT "loyalty_programs_points_expiry" CHECK ("loyalty_programs"."points_expiry_rule" in ('none', 'after_earning', 'after_inactivity')
        and ("loyalty_programs"."points_expiry_rule" = 'none') = ("loyalty_programs"."points_expiry_months" is null)
        and ("loyalty_programs"."points_expiry_months" is null or "loyalty_programs"."points_expiry_months" between 1 and 120)
        and ("loyalty_programs"."points_expiry_rule" = 'none' or "loyalty_programs"."kind" = 'points'));--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_void_target" CHECK (("loyalty_transactions"."type" = 'void') = ("loyalty_transactions"."voided_transaction_id" is not null));--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_reason" CHECK ("loyalty_transactions"."type" not in ('adjust', 'void') or length(trim("loyalty_transactions"."reason")) > 0);--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_type" CHECK ("loyalty_transactions"."type" in ('welcome_bonus', 'enroll', 'earn', 'stamp', 'redeem', 'adjust', 'expire', 'void'));