import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The directory holding package.json, drizzle/ and build/: found by walking up, because this module
 * runs from app/ under tsx and from a compiled bundle in dist/<hash>/ under `npm start` (ADR 041).
 */
function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const repositoryRoot = findRepositoryRoot(import.meta.dirname);
