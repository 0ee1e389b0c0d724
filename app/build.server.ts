import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppLogger } from "./logger.server";
import { repositoryRoot as root } from "./repository-root.server";

const inputs = ["app", "emails", "locales", "public", "vite.config.ts", "react-router.config.ts", "package-lock.json"];
const hashFile = path.join(root, "build", ".source-hash");

function sourceHash(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const full = path.join(root, entry);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const child of readdirSync(full).sort()) visit(path.join(entry, child));
    } else {
      hash.update(entry).update(readFileSync(full));
    }
  };
  for (const input of inputs) visit(input);
  return hash.digest("hex");
}

export const serverBuildPath = path.join(root, "build/server/index.js");
export const clientBuildDir = path.join(root, "build/client");

const buildCommand = [path.join(root, "node_modules/@react-router/dev/bin.js"), "build"];

/**
 * Builds the app when build/ is missing or older than the sources, so `npm start` always serves the
 * code on disk. The build runs in a child process while the caller goes on (starting the database,
 * migrating, seeding); the promise settles when the build on disk is current.
 */
export function ensureBuild(logger: AppLogger): Promise<void> {
  const current = sourceHash();
  if (existsSync(hashFile) && readFileSync(hashFile, "utf8") === current && existsSync(serverBuildPath)) {
    return Promise.resolve();
  }
  logger.info("building the app (sources changed since the last build), while the database starts");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, buildCommand, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error("react-router build failed"));
      writeFileSync(hashFile, current);
      logger.info({ ms: Math.round(performance.now() - started) }, "app built");
      resolve();
    });
  });
}

/** `react-router build`, then a record of the sources it was built from. */
export function buildApp(hash = sourceHash()): void {
  const result = spawnSync(process.execPath, buildCommand, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("react-router build failed");
  writeFileSync(hashFile, hash);
}
