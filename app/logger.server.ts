import { Logger as GraphileLogger } from "graphile-worker";
import pino from "pino";

export type AppLogger = pino.Logger;

/** The one application logger: JSON lines to stdout, or to `destination` (tests read them back). */
export function createLogger(level: string, destination?: pino.DestinationStream): AppLogger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "rewardflow" },
    // Caller fields live under their own keys, so no field can clobber pino's own (msg, level, time).
    messageKey: "msg",
    errorKey: "err",
    redact: ["req.headers.cookie", "req.headers.authorization", "smtpPassword"],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Graphile Worker's log lines, routed into the one application logger. */
export function graphileLogger(logger: AppLogger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const child = logger.child({ graphile: scope.label ?? "worker" });
    const fields = meta ? { meta } : {};
    if (level === "error") child.error(fields, message);
    else if (level === "warning") child.warn(fields, message);
    // Graphile's info lines are per job; our own task logs say what matters.
    else child.debug(fields, message);
  });
}
