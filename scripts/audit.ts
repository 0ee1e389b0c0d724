import { spawnSync } from "node:child_process";
import { auditVerdict } from "./dependency-audit";

/**
 * `npm run audit:prod`, part of `npm test`: fails on a high or critical advisory in a production
 * dependency. Where the registry's advisory endpoint cannot be asked (a mirror that refuses it, no
 * network), it says loudly that nothing was checked and passes, unless AUDIT_REQUIRED=1 (release
 * pipelines) makes that a failure too.
 */
const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
const verdict = auditVerdict(run.stdout ?? "");
const required = process.env.AUDIT_REQUIRED === "1";
if (verdict.outcome === "clean") {
  process.stdout.write(`dependency audit: ${verdict.message}\n`);
} else if (verdict.outcome === "advisories") {
  process.stderr.write(`dependency audit FAILED: ${verdict.message}\n`);
  process.exit(1);
} else {
  process.stderr.write(
    `dependency audit NOT CHECKED: ${verdict.message}${required ? "" : " (set AUDIT_REQUIRED=1 to make this fatal)"}\n`,
  );
  if (required) process.exit(1);
}
