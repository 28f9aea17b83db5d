/* careerpath's service worker.
 *
 * - Precaches the app shell and the production build's static files, under a cache named
 *   after the build, and deletes the caches of older builds when it activates.
 * - Page navigations: network first (fresh content while online). When the network fails:
 *   the pages whose content comes from the server (profile, roles, plan, assessment) get
 *   the offline page (/hors-ligne, static), which shows the last results kept on the device
 *   and lets the assessment in progress go on; other pages get their cached copy.
 * - Hashed build files (/assets/…) and the precached static files: cache first (their
 *   content never changes under a given name).
 * - Never touches the server's live endpoints: the websocket and its polling fallback
 *   (/_event), uploads, health checks and the HTTP API pass straight to the network.
 *
 * The two constants below are written by careerpath/ui/pwa.py after each production build.
 * Left as they are (development server), the worker caches nothing and clears old caches.
 */
const BUILD_VERSION = "dev"; // @careerpath:build-version
const PRECACHE_URLS = []; // @careerpath:precache-urls

const CACHE_PREFIX = "careerpath-";
const PRECACHE = `${CACHE_PREFIX}precache-${BUILD_VERSION}`;
const PAGES = `${CACHE_PREFIX}pages-${BUILD_VERSION}`;
const ASSETS = `${CACHE_PREFIX}assets-${BUILD_VERSION}`;
const CURRENT_CACHES = new Set([PRECACHE, PAGES, ASSETS]);
const ENABLED = BUILD_VERSION !== "dev";
// Rendered for any route by the client router: the offline answer for a page never visited.
const SPA_SHELL = "/__spa-fallback.html";
// Static page reading the results kept on the device (assets/hors-ligne.html).
const OFFLINE_PAGE = "/hors-ligne.html";
const OFFLINE_ROUTE = "/hors-ligne";
// Pages that show nothing without the server: offline, the offline page stands in for them.
const SERVER_PAGES = ["/profil", "/metiers", "/metier", "/objectif", "/bilan", "/partage"];
const LIVE_PATHS = [
  "/_event",
  "/_upload",
  "/ping",
  "/_health",
  "/_all_routes",
  "/auth-codespace",
  "/api",
  "/docs",
  "/openapi.json",
];
const PRECACHED_PATHS = new Set(PRECACHE_URLS);

function isLive(pathname) {
  return LIVE_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function needsServer(pathname) {
  return SERVER_PAGES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function isHashedAsset(pathname) {
  return pathname.startsWith("/assets/");
}

// A page reached through a redirect (/bilan → /bilan/ on a server that does not serve
// /bilan itself) cannot answer a navigation as it is: keep its content, drop the redirect.
async function withoutRedirect(response) {
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function precache() {
  const cache = await caches.open(PRECACHE);
  await Promise.all(
    PRECACHE_URLS.map(async (url) => {
      // Hashed files may come from the HTTP cache; anything else is revalidated.
      const response = await fetch(url, {
        cache: isHashedAsset(url) ? "default" : "no-cache",
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`careerpath: could not precache ${url} (${response.status})`);
      }
      await cache.put(url, response.redirected ? await withoutRedirect(response) : response);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil((ENABLED ? precache() : Promise.resolve()).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && !(ENABLED && CURRENT_CACHES.has(name))) {
          await caches.delete(name);
        }
      }
      if (ENABLED && self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (response.ok && new URL(response.url || request.url).origin === self.location.origin) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (error) {
    const url = new URL(request.url);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, "") : url.pathname;
    const other = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : `${url.pathname}/`;
    const candidates =
      path === OFFLINE_ROUTE || needsServer(path)
        ? [OFFLINE_PAGE]
        : [request, other, SPA_SHELL, OFFLINE_PAGE];
    for (const candidate of candidates) {
      const cached = candidate && (await caches.match(candidate, { ignoreSearch: true }));
      if (cached) {
        return cached;
      }
    }
    throw error;
  }
}

async function cacheFirst(event) {
  const cached = await caches.match(event.request);
  if (cached) {
    return cached;
  }
  const response = await fetch(event.request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    event.waitUntil(caches.open(ASSETS).then((cache) => cache.put(event.request, copy)));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  if (!ENABLED) {
    return;
  }
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (isLive(url.pathname)) {
    if (request.mode === "navigate") {
      // Only to use the navigation preload the browser has already started: no caching.
      event.respondWith(Promise.resolve(event.preloadResponse).then((r) => r || fetch(request)));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  } else if (isHashedAsset(url.pathname) || (PRECACHED_PATHS.has(url.pathname) && !url.search)) {
    event.respondWith(cacheFirst(event));
  }
});
