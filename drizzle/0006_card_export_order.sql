DROP INDEX "loyalty_cards_merchant_idx";--> statement-breakpoint
CREATE INDEX "loyalty_cards_merchant_created_idx" ON "loyalty_cards" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "loyalty_cards_created_idx" ON "loyalty_cards" USING btree ("created_at","id");