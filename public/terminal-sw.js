// The counter terminal's service worker (ADR 020): it keeps the app shell so /terminal opens
// without a network. The API is never cached: transactions wait in the page's IndexedDB queue.
const shellCache = "rewardflow-terminal-shell-v1";
const shellUrl = "/terminal";
const staticFiles = ["/terminal.webmanifest", "/terminal-icon-192.png", "/terminal-icon-512.png", "/favicon.svg"];

/** The page and every hashed asset it names (scripts, module preloads, stylesheets, wasm). */
async function cacheShell(cache, response) {
  const html = await response.clone().text();
  const assets = [...new Set(html.match(/\/assets\/[\w.\-/]+/g) ?? [])];
  await cache.put(shellUrl, response);
  await Promise.all(
    assets.map(async (asset) => {
      if (await cache.match(asset)) return;
      const fetched = await fetch(asset);
      if (fetched.ok) await cache.put(asset, fetched);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(shellCache);
      await cache.addAll(staticFiles);
      const page = await fetch(shellUrl, { credentials: "omit" });
      if (page.ok) await cacheShell(cache, page);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("rewardflow-terminal-") && name !== shellCache)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    if (url.pathname !== shellUrl) return;
    // Network first, so a deploy reaches the counter at its next start; the cached shell when offline.
    event.respondWith(
      (async () => {
        const cache = await caches.open(shellCache);
        try {
          const response = await fetch(request);
          if (response.ok) event.waitUntil(cacheShell(cache, response.clone()));
          return response;
        } catch (error) {
          const cached = await cache.match(shellUrl);
          if (cached) return cached;
          throw error;
        }
      })(),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/") || staticFiles.includes(url.pathname)) {
    // Hashed assets never change: the cache first, the network to fill it.
    event.respondWith(
      (async () => {
        const cache = await caches.open(shellCache);
        const cached = await cache.match(request);
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      })(),
    );
  }
});
