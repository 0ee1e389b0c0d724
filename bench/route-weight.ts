import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * `npx tsx bench/route-weight.ts [route-id …]` after `npm run build`: the JavaScript a browser
 * loads for a page (the entry, the root and each route module of the page with their static
 * imports), as bytes and gzipped bytes, read from React Router's client manifest.
 */
interface ManifestEntry {
  module: string;
  imports?: string[];
}
interface Manifest {
  entry: ManifestEntry;
  routes: Record<string, ManifestEntry & { parentId?: string }>;
}

const clientDir = path.resolve(import.meta.dirname, "../build/client");
const assets = path.join(clientDir, "assets");
const manifestFile = readdirSync(assets).find((name) => /^manifest-.*\.js$/.test(name));
if (!manifestFile) throw new Error("no build/client/assets/manifest-*.js: run `npm run build` first");
const source = readFileSync(path.join(assets, manifestFile), "utf8");
const manifest = JSON.parse(source.slice(source.indexOf("=") + 1).replace(/;\s*$/, "")) as Manifest;

function pageModules(routeId: string): Set<string> {
  const modules = new Set<string>();
  const add = (entry: ManifestEntry) => {
    modules.add(entry.module);
    for (const imported of entry.imports ?? []) modules.add(imported);
  };
  add(manifest.entry);
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`no route ${id} in the manifest`);
    add(route);
  }
  return modules;
}

const routeIds = process.argv.slice(2);
const ids = routeIds.length
  ? routeIds
  : ["routes/home", "routes/storefront/join", "routes/storefront/join-success", "routes/storefront/card"];
console.log("| page | modules | bytes | gzipped |\n|---|---:|---:|---:|");
for (const id of ids) {
  let bytes = 0;
  let gzipped = 0;
  const modules = pageModules(id);
  for (const url of modules) {
    const content = readFileSync(path.join(clientDir, url));
    bytes += content.length;
    gzipped += gzipSync(content, { level: 9 }).length;
  }
  console.log(`| ${id} | ${modules.size} | ${bytes} | ${gzipped} |`);
}
