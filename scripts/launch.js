// Runs one of RewardFlow's TypeScript entries (server.ts, scripts/*.ts) as plain JavaScript in this
// process: `node scripts/launch.js server.ts [args…]`. The entries are compiled together with esbuild
// (packages stay in node_modules) into dist/<hash of their sources>/, only when a source changed
// since the last compilation; loading one bundle costs Node a fraction of what loading each module
// through tsx's import hooks costs (ADR 041). Signals reach this process: there is no child.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const distDir = path.join(root, "dist");
const inputsFile = path.join(distDir, "inputs.json");
const keptCompilations = 3;

/** Every entry a command runs: compiled together, so they share chunks and one staleness check. */
const entries = [
  "server.ts",
  ...["worker", "migrate", "seed", "db-reset", "cleanup", "build"].map((name) => `scripts/${name}.ts`),
];

/** What the output depends on besides the sources esbuild reads: its version, this file, tsconfig's paths and JSX. */
const settings = ["scripts/launch.js", "tsconfig.json", "node_modules/esbuild/package.json"];

function hashOf(files) {
  const hash = createHash("sha256");
  for (const file of [...settings, ...files].sort()) {
    hash.update(file).update("\0");
    const full = path.join(root, file);
    hash.update(existsSync(full) ? readFileSync(full) : "(missing)").update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** The directory of the current compilation, or null when a source changed since the last one. */
function currentBuild() {
  if (!existsSync(inputsFile)) return null;
  const dir = path.join(distDir, hashOf(JSON.parse(readFileSync(inputsFile, "utf8"))));
  return existsSync(path.join(dir, "server.js")) ? dir : null;
}

async function compile() {
  const esbuild = await import("esbuild");
  const staging = path.join(distDir, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(entries.map((entry) => [path.basename(entry, ".ts"), entry])),
      outdir: staging,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      tsconfig: path.join(root, "tsconfig.json"),
      sourcemap: "linked",
      sourcesContent: false,
      metafile: true,
      logLevel: "warning",
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    // esbuild's service process would otherwise stay beside the app for its whole life.
    await esbuild.stop();
  }
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("node_modules/"));
  const dir = path.join(distDir, hashOf(inputs));
  // Another start may have compiled the same sources meanwhile: keep its output, which is identical.
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (!existsSync(dir)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  writeFileSync(`${inputsFile}.${process.pid}`, JSON.stringify(inputs));
  renameSync(`${inputsFile}.${process.pid}`, inputsFile);
  // Older compilations go, but not the last few: a running process may still import a chunk it loads lazily.
  const older = readdirSync(distDir)
    .filter((name) => /^[0-9a-f]{16}$/.test(name) && path.join(distDir, name) !== dir)
    .map((name) => ({ full: path.join(distDir, name), mtime: statSync(path.join(distDir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { full } of older.slice(keptCompilations - 1)) rmSync(full, { recursive: true, force: true });
  return dir;
}

const [entry, ...args] = process.argv.slice(2);
if (!entry || !entries.includes(entry)) {
  process.stderr.write(`usage: node scripts/launch.js <entry> [arguments]; entries: ${entries.join(", ")}\n`);
  process.exit(64);
}
mkdirSync(distDir, { recursive: true });
const dir = currentBuild() ?? (await compile());
const bundle = path.join(dir, `${path.basename(entry, ".ts")}.js`);
// Stack traces name the .ts files and lines; the entry sees its own arguments, as under tsx.
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], bundle, ...args];
await import(pathToFileURL(bundle).href);
