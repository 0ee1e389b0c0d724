-- The ledger is append-only: corrections are new rows (adjust, void), never edits.
CREATE FUNCTION loyalty_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'loyalty_transactions is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER loyalty_transactions_append_only
  BEFORE UPDATE OR DELETE ON loyalty_transactions
  FOR EACH ROW EXECUTE FUNCTION loyalty_transactions_refuse_change();
