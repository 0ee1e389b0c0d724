ALTER TABLE "email_logs" ADD COLUMN "claim_token" uuid;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "claimed_at" timestamp with time zone;