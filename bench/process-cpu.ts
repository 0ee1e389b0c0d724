import { readFileSync } from "node:fs";

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux build in use. */
const clockTicks = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (Linux only). CPU per
 * request holds better than requests per second on a machine whose load changes minute to minute.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name, in parentheses, may itself hold spaces: the fields start after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** `cpuMs`, or null where /proc cannot tell (not Linux, process gone). */
export function cpuMsIfKnown(pid: number): number | null {
  try {
    return cpuMs(pid);
  } catch {
    return null;
  }
}
