/** What `npm audit --omit=dev --json` said, reduced to what a release needs to know. */
export type AuditVerdict =
  | { outcome: "clean"; message: string }
  | { outcome: "advisories"; message: string }
  | { outcome: "unchecked"; message: string };

interface NpmAuditReport {
  vulnerabilities?: Record<string, { name?: string; severity?: string; range?: string; fixAvailable?: unknown }>;
  metadata?: { vulnerabilities?: Partial<Record<"info" | "low" | "moderate" | "high" | "critical", number>> };
  statusCode?: number;
  message?: string;
  error?: unknown;
}

const blocking = new Set(["high", "critical"]);

/**
 * A production dependency with a high or critical advisory blocks; an audit that could not ask the
 * registry (its advisory endpoint refused or unreachable) is "unchecked", never "clean".
 */
export function auditVerdict(output: string): AuditVerdict {
  let report: NpmAuditReport;
  try {
    report = JSON.parse(output) as NpmAuditReport;
  } catch {
    return { outcome: "unchecked", message: "npm audit printed no report (not JSON)" };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.message ?? (report.statusCode ? `HTTP ${report.statusCode}` : "no advisory data in the report");
    return { outcome: "unchecked", message: `the registry's advisory endpoint did not answer: ${why}` };
  }
  const found = Object.values(report.vulnerabilities ?? {}).filter((entry) => blocking.has(entry.severity ?? ""));
  if (found.length > 0 || (counts.high ?? 0) + (counts.critical ?? 0) > 0) {
    const list = found.map((entry) => `  ${entry.name} (${entry.severity}${entry.range ? `, ${entry.range}` : ""})`);
    return {
      outcome: "advisories",
      message: [
        `production dependencies with high or critical advisories:`,
        ...list,
        "run `npm audit --omit=dev` for details",
      ].join("\n"),
    };
  }
  const total = (["info", "low", "moderate"] as const).reduce((sum, severity) => sum + (counts[severity] ?? 0), 0);
  return { outcome: "clean", message: `no high or critical advisory in production dependencies (${total} lower)` };
}
