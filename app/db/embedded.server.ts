import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "~/free-port.server";
import type { AppLogger } from "~/logger.server";

export interface EmbeddedDatabase {
  /** Connection URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dir`, listening on loopback only.
 * As root, PostgreSQL runs as a `postgres` system user, so `dir` must be traversable by it.
 *
 * The server runs in its own process group: a Ctrl-C in the terminal reaches RewardFlow only,
 * which finishes its requests and jobs first and then stops the database itself.
 */
export async function startEmbeddedPostgres(dir: string, logger: AppLogger): Promise<EmbeddedDatabase> {
  // Asked for first: a boot that imports the rest of the app meanwhile keeps the module loader busy.
  const bin = await binaries();
  mkdirSync(dir, { recursive: true });
  const log = logger.child({ component: "embedded-postgres" });
  const passwordFile = path.join(path.dirname(dir), `${path.basename(dir)}-password`);
  const password = existsSync(passwordFile)
    ? readFileSync(passwordFile, "utf8").trim()
    : randomBytes(18).toString("base64url");
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const port = await freePort();
  if (!existsSync(path.join(dir, "PG_VERSION"))) await initialiseCluster(bin.initdb, dir, password, log);
  await stopOrphanedServer(dir, log);
  const child = await spawnPostgres(bin.postgres, dir, port, log);
  const stopOnExit = () => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.on("exit", stopOnExit);
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    serverUrl: urlFor("postgres"),
    urlFor,
    async stop() {
      process.off("exit", stopOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGINT"); // PostgreSQL's "fast" shutdown
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      log.info("embedded PostgreSQL stopped");
    },
  };
}

/** The binaries shipped by embedded-postgres's platform package (its wrapper is not used: it hooks SIGINT). */
async function binaries(): Promise<{ postgres: string; initdb: string }> {
  return (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string; initdb: string };
}

/** PostgreSQL refuses to run as root: as root, run it as a `postgres` system user (created if missing). */
function postgresUserIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["--system", "postgres"]);
    execFileSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

async function initialiseCluster(initdb: string, dir: string, password: string, log: AppLogger): Promise<void> {
  log.info({ dir }, "initialising embedded PostgreSQL");
  const ids = postgresUserIds();
  const pwfile = `${dir}.initdb-password`;
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (ids.uid !== undefined && ids.gid !== undefined) {
      chownSync(dir, ids.uid, ids.gid);
      chownSync(pwfile, ids.uid, ids.gid);
    }
    await run(
      initdb,
      [
        `--pgdata=${dir}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
        // Unicode-aware lower()/upper() for case-insensitive emails, independent of the host's locales.
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        // A development or test cluster (production names its own server): a new one need not wait
        // for its files to reach the disk, a third of a first start's database time here.
        "--no-sync",
      ],
      ids,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function run(command: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...ids,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} failed (code ${code}): ${stderr.slice(-800)}`)),
    );
  });
}

async function spawnPostgres(postgres: string, dir: string, port: number, log: AppLogger): Promise<ChildProcess> {
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  const child = spawn(postgres, ["-D", dir, "-p", String(port), ...flags], {
    ...postgresUserIds(),
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`embedded PostgreSQL in ${dir} exited during start (code ${code}): ${output.slice(-800)}`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (output.length < 20_000) output += text;
      log.trace(text.trim());
      if (text.includes("database system is ready to accept connections")) {
        child.off("exit", onExit);
        resolve();
      }
    });
  });
  child.once("exit", (code, signal) => log.info({ code, signal }, "embedded PostgreSQL exited"));
  return child;
}

/** A server left running by a RewardFlow that was killed hard still holds the data directory: stop it. */
async function stopOrphanedServer(dir: string, log: AppLogger): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const owner = path.join(path.dirname(dir), "postgres.json");
  if (existsSync(owner)) {
    const { pid: ownerPid } = JSON.parse(readFileSync(owner, "utf8")) as { pid?: number };
    if (ownerPid && ownerPid !== process.pid && isAlive(ownerPid)) {
      throw new Error(`another RewardFlow (pid ${ownerPid}) is using this DATA_DIR; stop it first`);
    }
  }
  log.warn({ pid }, "stopping an orphaned embedded PostgreSQL left by an earlier run");
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
