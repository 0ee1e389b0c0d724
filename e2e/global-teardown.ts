import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Stops what e2e/global-setup.ts started, in the same runner process: SIGTERM to the app (it
 * finishes in-flight requests and jobs, then stops its embedded PostgreSQL), waiting for it to
 * exit; then the SMTP server; then the temporary directory goes.
 */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__rewardflowE2e;
  if (!state) return;
  globalThis.__rewardflowE2e = undefined;
  if (state.app) await stopApp(state.app, path.join(state.tmpDir, "data", "postgres"));
  if (state.mail) await state.mail.close();
  if (state.googleWallet) await state.googleWallet.close();
  removeTmpDir(state.tmpDir);
}

async function stopApp(app: ChildProcess, postgresDir: string): Promise<void> {
  if (app.exitCode === null && app.signalCode === null) {
    const exited = new Promise<void>((resolve) => app.once("exit", () => resolve()));
    app.kill("SIGTERM");
    const stoppedInTime = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
    ]);
    if (!stoppedInTime) {
      process.stderr.write("[e2e] the app did not stop within 30 s of SIGTERM; killing it\n");
      app.kill("SIGKILL");
      await exited;
    }
  }
  // The app stops its PostgreSQL itself; if it could not (killed), stop the one that holds our data dir.
  const pidFile = path.join(postgresDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // already gone
  }
  for (let waited = 0; waited < 15_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Removes the temporary directory unless E2E_KEEP_TMP is set (to read app.log or the mail after a run). */
function removeTmpDir(tmpDir: string): void {
  if (process.env.E2E_KEEP_TMP) {
    process.stdout.write(`[e2e] kept ${tmpDir}\n`);
    return;
  }
  rmSync(tmpDir, { recursive: true, force: true });
}
