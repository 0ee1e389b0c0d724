import { parseArgs } from "node:util";
import { loadConfigOrExit, openDatabaseForCommand } from "~/boot.server";
import { createLogger } from "~/logger.server";
import {
  applyCleanup,
  type CleanupCriteria,
  type CleanupPlan,
  CleanupRefused,
  planCleanup,
} from "~/modules/privacy/cleanup.server";

const usage = `usage: npm run cleanup -- (--store CODE | --email-pattern '%@example.com') [--apply]
Deletes test customers with their cards, ledger rows and emails, and retires their Google Wallet passes.
Without --apply it only prints what it would delete.`;

/** `npm run cleanup`: removes test customers before go-live (dry run unless --apply). */
function criteriaFrom(argv: string[]): { criteria: CleanupCriteria; apply: boolean } | null {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { store: { type: "string" }, "email-pattern": { type: "string" }, apply: { type: "boolean" } },
    });
    const store = values.store;
    const emailPattern = values["email-pattern"];
    if ((store === undefined) === (emailPattern === undefined)) return null;
    return {
      criteria: store !== undefined ? { store } : { emailPattern: emailPattern as string },
      apply: !!values.apply,
    };
  } catch {
    return null;
  }
}

function report(plan: CleanupPlan, applied: boolean): string {
  const { counts } = plan;
  const lines = [
    applied ? "Deleted:" : "Dry run (nothing deleted; add --apply to delete):",
    `  customers      ${counts.customers}`,
    `  cards          ${counts.cards} (Google Wallet passes to retire: ${counts.walletObjects})`,
    `  ledger rows    ${counts.ledgerRows}`,
    `  email logs     ${counts.emailLogs} (outbox messages: ${counts.outboxEmails})`,
    `  expiry notices ${counts.expiryNotices}`,
    ...plan.customers.map((customer) => `  - ${customer.email}`),
    ...(plan.walletObjectIds.length > 0
      ? [
          applied
            ? "Google Wallet passes queued for retirement (inactive, no name or balance):"
            : "Google Wallet passes it would retire (inactive, no name or balance):",
          ...plan.walletObjectIds.map((objectId) => `  - ${objectId}`),
        ]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

const parsed = criteriaFrom(process.argv.slice(2));
if (!parsed) {
  process.stderr.write(`${usage}\n`);
  process.exit(64);
}
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const database = await openDatabaseForCommand(config, logger);
let code = 0;
try {
  const plan = parsed.apply
    ? await applyCleanup(database.db, parsed.criteria)
    : await planCleanup(database.db, parsed.criteria);
  process.stdout.write(report(plan, parsed.apply));
} catch (error) {
  if (!(error instanceof CleanupRefused)) throw error;
  process.stderr.write(`${error.message}\n`);
  code = 1;
} finally {
  await database.close();
}
process.exit(code);
