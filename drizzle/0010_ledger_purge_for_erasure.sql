-- The ledger stays append-only, with one deliberate exception (ADR 019): a transaction that has set
-- rewardflow.ledger_purge = 'on' (transaction-local) may DELETE rows, which only the go-live
-- cleanup of test data does. UPDATE is always refused.
CREATE OR REPLACE FUNCTION loyalty_transactions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('rewardflow.ledger_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'loyalty_transactions is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
