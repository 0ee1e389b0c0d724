import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux build in use. */
const clockTicks = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (Linux only). CPU per
 * request holds better than requests per second on a machine whose load changes minute to minute.
 */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/**
 * CPU time (ms) of a process and its children, live or exited: PostgreSQL's postmaster and its
 * backends, one per connection.
 */
export function treeCpuMs(pid: number): number {
  const children = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry) && parentOf(Number(entry)) === pid);
  const ticks = (member: number) => {
    try {
      const fields = statFields(member);
      // utime, stime, and cutime, cstime: the children it has already waited for.
      return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch (error) {
      if (member === pid) throw error;
      return 0; // a backend that ended since the listing: its time is in the postmaster's cutime now
    }
  };
  return ([pid, ...children.map(Number)].reduce((sum, member) => sum + ticks(member), 0) * 1000) / clockTicks;
}

function parentOf(pid: number): number | null {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return null; // gone since the directory was listed
  }
}

/** The fields of /proc/<pid>/stat after the command name, from the state (field 3) on. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name, in parentheses, may itself hold spaces: the fields start after its last ")".
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** `measure(pid)` (`cpuMs` by default), or null where /proc cannot tell (not Linux, process gone). */
export function cpuMsIfKnown(pid: number, measure: (pid: number) => number = cpuMs): number | null {
  try {
    return measure(pid);
  } catch {
    return null;
  }
}
