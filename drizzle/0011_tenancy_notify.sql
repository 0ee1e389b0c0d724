-- Web processes cache host → store → program; every change to those tables tells them to forget it.
create function rewardflow_notify_tenancy() returns trigger language plpgsql as $$
begin
  perform pg_notify('rewardflow_tenancy', tg_table_name);
  return null;
end;
$$;
--> statement-breakpoint
create trigger merchants_notify_tenancy after insert or update or delete or truncate on merchants
  for each statement execute function rewardflow_notify_tenancy();
--> statement-breakpoint
create trigger stores_notify_tenancy after insert or update or delete or truncate on stores
  for each statement execute function rewardflow_notify_tenancy();
--> statement-breakpoint
create trigger loyalty_programs_notify_tenancy after insert or update or delete or truncate on loyalty_programs
  for each statement execute function rewardflow_notify_tenancy();
