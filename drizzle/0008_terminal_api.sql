ALTER TABLE "stores" ADD COLUMN "terminal_idle_lock_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "counter_staff" ADD COLUMN "pin_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stores" ADD CONSTRAINT "stores_terminal_idle_lock_minutes" CHECK ("stores"."terminal_idle_lock_minutes" between 1 and 240);