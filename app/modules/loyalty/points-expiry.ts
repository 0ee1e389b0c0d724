import type { PointsExpiryRule, ProgramKind } from "./program-rules";

export type PointsExpiry = { rule: "none" } | { rule: Exclude<PointsExpiryRule, "none">; months: number };

/** A points program's expiry rule as shoppers and staff read it; null for a stamps program. */
export function pointsExpiryOf(program: {
  kind: ProgramKind;
  pointsExpiryRule: PointsExpiryRule;
  pointsExpiryMonths: number | null;
}): PointsExpiry | null {
  if (program.kind !== "points") return null;
  if (program.pointsExpiryRule === "none" || program.pointsExpiryMonths === null) return { rule: "none" };
  return { rule: program.pointsExpiryRule, months: program.pointsExpiryMonths };
}
