import { createHash, randomBytes } from "node:crypto";

/**
 * Everything a memoized page's HTML is a function of (ADR 036). Route components read nothing else:
 * the routes that opt in (`renderMemo` in their handle) render from these alone.
 */
export interface DocumentInput {
  /** The build's manifest version: a deploy never serves the previous build's page. */
  build: string;
  /** The request's full URL (host, path and query): the host names the store, the query the links. */
  url: string;
  status: number;
  locale: string;
  surface: string;
  /** The matched routes, outermost first. */
  routeIds: readonly string[];
  /** The router's state, as the page renders it and the browser hydrates it. */
  loaderData: unknown;
  actionData: unknown;
  errors: unknown;
}

/** Stands for the response's CSP nonce in a memoized page: random per process, never sent to a browser. */
export const noncePlaceholder = randomBytes(16).toString("hex");

/** What a CSP nonce may look like here (base64): nothing a substitution into HTML or JSON would need to escape. */
const nonceShape = /^[A-Za-z0-9+/=]{16,64}$/;

/** About 250 storefront pages (a join page is ~64 KB as UTF-16); the least recently served go first. */
const defaultMaxBytes = 16 * 1024 * 1024;

/**
 * Pages rendered once per distinct input and served with each response's own nonce. A page is kept
 * as the text around each place the placeholder nonce was rendered; a hit joins it with the real one.
 */
export function createRenderMemo(maxBytes = defaultMaxBytes) {
  const pages = new Map<string, { parts: string[]; bytes: number }>();
  let bytes = 0;
  let hits = 0;
  let renders = 0;

  function remember(key: string, parts: string[], size: number) {
    if (size > maxBytes / 16) return;
    forget(key);
    pages.set(key, { parts, bytes: size });
    bytes += size;
    for (const [oldest, page] of pages) {
      if (bytes <= maxBytes) break;
      pages.delete(oldest);
      bytes -= page.bytes;
    }
  }

  function forget(key: string) {
    const page = pages.get(key);
    if (!page) return;
    pages.delete(key);
    bytes -= page.bytes;
  }

  return {
    /**
     * The page for `input` with `nonce` wherever the render put the placeholder. `render` runs on a
     * miss with the placeholder as its nonce; a render that reports a failure is served, never kept.
     */
    async page(
      input: DocumentInput,
      nonce: string,
      render: (nonce: string) => Promise<{ html: string; failed: boolean }>,
    ): Promise<{ html: string; failed: boolean }> {
      const key = documentKey(input);
      if (key === undefined || !nonceShape.test(nonce)) return render(nonce);
      const page = pages.get(key);
      if (page) {
        // Most recently served last: the Map's order is the eviction order.
        pages.delete(key);
        pages.set(key, page);
        hits++;
        return { html: page.parts.join(nonce), failed: false };
      }
      const rendered = await render(noncePlaceholder);
      renders++;
      const parts = rendered.html.split(noncePlaceholder);
      // UTF-16 code units: what V8 keeps for a page with accented letters.
      if (!rendered.failed) remember(key, parts, rendered.html.length * 2);
      return { html: parts.join(nonce), failed: rendered.failed };
    },
    /** Pages and bytes kept, pages served from the memo and rendered for it (for tests and diagnostics). */
    stats: () => ({ pages: pages.size, bytes, hits, renders }),
  };
}

export type RenderMemo = ReturnType<typeof createRenderMemo>;

/** A digest of the input, or undefined when some value is not plain data (then the page is rendered afresh). */
export function documentKey(input: DocumentInput): string | undefined {
  const text = plainDataText(input, new Set());
  return text === undefined ? undefined : createHash("sha256").update(text).digest("base64");
}

/**
 * A text that differs whenever two values could render differently: types are tagged (a Date is
 * not its ISO string, undefined is not null, -0 is not 0) and object keys keep their order, since a
 * component may list entries in it. Anything but plain data (functions, promises, class instances,
 * Maps, sparse arrays, cycles) gives undefined.
 */
function plainDataText(value: unknown, path: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "#-0" : `#${value}`;
    case "boolean":
      return value ? "T" : "F";
    case "undefined":
      return "U";
    case "bigint":
      return `B${value}`;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return "N";
  if (path.has(value)) return undefined;
  if (value instanceof Date) return `D${value.getTime()}`;
  path.add(value);
  let text: string | undefined;
  if (Array.isArray(value)) text = arrayText(value, path);
  else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) text = objectText(value as object, path);
  }
  path.delete(value);
  return text;
}

function arrayText(array: unknown[], path: Set<object>): string | undefined {
  let text = "[";
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) return undefined;
    const item = plainDataText(array[index], path);
    if (item === undefined) return undefined;
    text += `${item},`;
  }
  return `${text}]`;
}

function objectText(object: object, path: Set<object>): string | undefined {
  if (Object.getOwnPropertySymbols(object).length > 0) return undefined;
  let text = "{";
  for (const [key, entry] of Object.entries(object)) {
    const item = plainDataText(entry, path);
    if (item === undefined) return undefined;
    text += `${JSON.stringify(key)}:${item},`;
  }
  return `${text}}`;
}
