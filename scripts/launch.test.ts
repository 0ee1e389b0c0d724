import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** scripts/launch.js, which `npm start`, `npm run worker` and the operations commands go through (ADR 041). */

const root = path.resolve(import.meta.dirname, "..");

function launch(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["scripts/launch.js", ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent", ...env },
        timeout: 60_000,
      },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe("scripts/launch.js", () => {
  it("runs a compiled entry whose stack traces name the TypeScript sources", async () => {
    const result = await launch(["scripts/migrate.ts"], { DATABASE_URL: "postgres://127.0.0.1:1/none" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("ECONNREFUSED");
    expect(result.stderr).toMatch(/app\/db\/migrate\.server\.ts:\d+:\d+/);
  });

  it("compiles again only when a source changed", async () => {
    await launch(["scripts/migrate.ts"]);
    const inputsFile = path.join(root, "dist", "inputs.json");
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as string[];
    expect(inputs).toEqual(expect.arrayContaining(["server.ts", "scripts/worker.ts", "app/db/migrate.server.ts"]));
    // Every compilation rewrites the list of its sources; an unchanged tree leaves it alone.
    const compiledAt = statSync(inputsFile).mtimeMs;
    await launch(["scripts/migrate.ts"]);
    expect(statSync(inputsFile).mtimeMs).toBe(compiledAt);
  });

  it("refuses an entry it does not know, naming those it does", async () => {
    const result = await launch(["scripts/nothing.ts"]);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/entries: server\.ts, scripts\/worker\.ts/);
  });
});
