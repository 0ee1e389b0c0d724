import { describe, expect, it } from "vitest";
import { auditVerdict } from "./dependency-audit";

const report = (vulnerabilities: Record<string, { severity: string; range?: string }>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(
      Object.entries(vulnerabilities).map(([name, entry]) => [name, { name, via: [], fixAvailable: true, ...entry }]),
    ),
    metadata: {
      vulnerabilities: {
        info: 0,
        low: 0,
        moderate: Object.values(vulnerabilities).filter((entry) => entry.severity === "moderate").length,
        high: Object.values(vulnerabilities).filter((entry) => entry.severity === "high").length,
        critical: Object.values(vulnerabilities).filter((entry) => entry.severity === "critical").length,
        total: Object.keys(vulnerabilities).length,
      },
    },
  });

describe("the dependency audit", () => {
  it("blocks on a high or a critical advisory and names the package", () => {
    for (const severity of ["high", "critical"]) {
      const verdict = auditVerdict(report({ "left-pad": { severity, range: "<1.3.0" } }));
      expect(verdict.outcome).toBe("advisories");
      expect(verdict.message).toContain(`left-pad (${severity}, <1.3.0)`);
    }
  });

  it("passes moderate and low advisories, counting them", () => {
    const verdict = auditVerdict(report({ a: { severity: "moderate" }, b: { severity: "low" } }));
    expect(verdict).toEqual({ outcome: "clean", message: expect.stringContaining("(1 lower)") });
  });

  it("never calls a refused or unreadable audit clean", () => {
    const refused = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      error: { summary: "", detail: "" },
    });
    expect(auditVerdict(refused)).toEqual({ outcome: "unchecked", message: expect.stringContaining("405") });
    expect(auditVerdict("").outcome).toBe("unchecked");
  });
});
