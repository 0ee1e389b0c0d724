/** True when `error` (or the driver error drizzle wraps in `cause`) is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pg = (error as { cause?: unknown })?.cause ?? error;
  const { code, constraint_name } = (pg ?? {}) as { code?: string; constraint_name?: string };
  return code === "23505" && constraint_name === constraint;
}
