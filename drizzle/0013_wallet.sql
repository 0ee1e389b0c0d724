ALTER TABLE "admin_settings" DROP CONSTRAINT "admin_settings_category";--> statement-breakpoint
ALTER TABLE "loyalty_cards" ADD COLUMN "google_wallet_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "loyalty_cards" ADD COLUMN "google_wallet_sync_status" text;--> statement-breakpoint
ALTER TABLE "loyalty_cards" ADD COLUMN "google_wallet_sync_error" text;--> statement-breakpoint
ALTER TABLE "loyalty_cards" ADD CONSTRAINT "loyalty_cards_wallet_sync_status" CHECK ("loyalty_cards"."google_wallet_sync_status" is null or "loyalty_cards"."google_wallet_sync_status" in ('synced', 'retrying', 'failed'));--> statement-breakpoint
ALTER TABLE "admin_settings" ADD CONSTRAINT "admin_settings_category" CHECK ("admin_settings"."category" in ('email', 'wallet'));