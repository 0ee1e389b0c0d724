-- Workers keep saved settings and email copy in memory; every change to them tells them to forget it.
create function rewardflow_notify_change() returns trigger language plpgsql as $$
begin
  perform pg_notify(tg_argv[0], tg_table_name);
  return null;
end;
$$;
--> statement-breakpoint
create trigger admin_settings_notify_change after insert or update or delete or truncate on admin_settings
  for each statement execute function rewardflow_notify_change('rewardflow_settings');
--> statement-breakpoint
create trigger email_templates_notify_change after insert or update or delete or truncate on email_templates
  for each statement execute function rewardflow_notify_change('rewardflow_email_templates');
