/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/*
 * Offline reading for the public portal. Readers inside the blockade lose the connection for hours: every public page
 * and picture they have opened stays readable, marked "Offline copy from {date}". Registered by static/sw-register.js
 * (public pages ship no SvelteKit script). Nothing personal is ever stored: the workspace, sign-in and the non-public
 * API are left to the network, and so is any answer marked private or no-store (the server marks every signed-in
 * answer so).
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** The stylesheets, icons and offline pages of this release; replaced when a release changes them. */
const SHELL = `shell-${version}`;
/** Content-hashed files never change under one name: kept across releases, read cache-first. */
const ASSETS = 'assets-v1';
/** Pages and pictures the reader opened: network first, this copy when the network fails. */
const PAGES = 'pages-v1';
const IMAGES = 'images-v1';
const LIMIT = { [PAGES]: 300, [IMAGES]: 300, [ASSETS]: 200 } as Record<string, number>;
/** When the copy was saved: stored with it, shown in the banner. */
const SAVED_AT = 'x-corridor-saved-at';
const LOCALES = ['en', 'fr', 'hy', 'ru'];
/** Never stored: the signed-in side and the pages that start or end a session. */
const PRIVATE_PATHS = /^\/(workspace|sign-in|sign-out|setup|invite|embed)(\/|$)/;

const localeOf = (path: string) => LOCALES.find((l) => path === `/${l}` || path.startsWith(`/${l}/`));
const withoutLocale = (path: string) => {
  const locale = localeOf(path);
  return locale ? path.slice(locale.length + 1) || '/' : path;
};

function cacheable(url: URL): boolean {
  if (url.origin !== sw.location.origin) return false;
  const path = url.pathname;
  if (path === '/service-worker.js') return false;
  if (path.startsWith('/api/')) return path.startsWith('/api/public/');
  return !PRIVATE_PATHS.test(withoutLocale(path));
}

/** Only complete, shareable answers: a private or no-store one holds what only that reader may see. */
function storable(res: Response): boolean {
  if (res.status !== 200 || res.type !== 'basic' || res.redirected) return false;
  return !/private|no-store/i.test(res.headers.get('cache-control') ?? '');
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // The offline page in the languages being read now (all four when nothing is open), not every language.
      const open = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const langs = new Set(open.map((c) => localeOf(new URL(c.url).pathname)).filter(Boolean));
      const offline = (langs.size ? [...langs] : LOCALES).map((l) => `/${l}/offline`);
      const shell = [
        ...build.filter((f) => f.endsWith('.css')),
        ...files.filter((f) => /\.(css|svg|ico|png|woff2?|js)$/.test(f)),
        ...offline,
      ];
      const cache = await caches.open(SHELL);
      // One by one: a file that fails on a bad link must not cost the reader the rest of the shell.
      await Promise.allSettled(shell.map((f) => addQuietly(cache, f)));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('shell-') && key !== SHELL) await caches.delete(key);
      await sw.clients.claim();
      // The page that registered us was loaded before we existed: save it now.
      const open = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      await Promise.allSettled(
        open.map(async (client) => {
          const url = new URL(client.url);
          url.hash = '';
          if (!cacheable(url)) return;
          const res = await fetch(url.href, { credentials: 'omit' });
          if (storable(res) && isHtml(res)) await save(PAGES, url.href, res);
        }),
      );
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  url.hash = '';
  if (url.pathname.startsWith('/_app/immutable/')) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === 'navigate' || request.destination === 'document') {
    event.respondWith(page(event, request, url));
  } else {
    event.respondWith(networkFirst(event, request, url, request.destination === 'image' ? IMAGES : null));
  }
});

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const res = await fetch(request);
  if (storable(res)) await save(ASSETS, request.url, res.clone());
  return res;
}

async function page(event: FetchEvent, request: Request, url: URL): Promise<Response> {
  try {
    const res = await fetch(request);
    if (storable(res) && isHtml(res)) {
      event.waitUntil(save(PAGES, url.href, res.clone()));
      event.waitUntil(keepOfflinePage(localeOf(url.pathname)));
    }
    // Taken down (a record unpublished, a consent withdrawn): the saved copy goes too, at the first connection.
    else if (res.status === 404 || res.status === 410) event.waitUntil(forget(PAGES, url.href));
    return res;
  } catch (err) {
    const cached = await caches.match(url.href, { ignoreVary: true, cacheName: PAGES });
    if (cached) return withBanner(cached);
    const wanted = localeOf(url.pathname) ?? 'en';
    // In the page's language when saved; else in any language saved, rather than the browser's error page.
    for (const locale of [wanted, ...LOCALES.filter((l) => l !== wanted)]) {
      const offline = await caches.match(`/${locale}/offline`, { ignoreVary: true, cacheName: SHELL });
      if (offline) return offline;
    }
    throw err;
  }
}

async function networkFirst(event: FetchEvent, request: Request, url: URL, store: string | null): Promise<Response> {
  try {
    const res = await fetch(request);
    if (store && storable(res)) event.waitUntil(save(store, url.href, res.clone()));
    else if (store && (res.status === 404 || res.status === 410)) event.waitUntil(forget(store, url.href));
    return res;
  } catch (err) {
    const cached = await caches.match(url.href, { ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

/** A reader who turns to another language gets the offline page in it too, once. */
async function keepOfflinePage(locale: string | undefined): Promise<void> {
  if (!locale) return;
  const cache = await caches.open(SHELL);
  const key = `/${locale}/offline`;
  if (!(await cache.match(key, { ignoreVary: true }))) await addQuietly(cache, key).catch(() => undefined);
}

/**
 * The worker's own fetches go without cookies. With them, a page fetched in the background would answer with the
 * language cookie of its own address and undo the reader's latest choice of language (and a signed-in reader's
 * answer would be private anyway: the anonymous page is the one worth keeping).
 */
async function addQuietly(cache: Cache, path: string): Promise<void> {
  const res = await fetch(path, { credentials: 'omit' });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  await cache.put(path, res);
}

const isHtml = (res: Response) => (res.headers.get('content-type') ?? '').startsWith('text/html');

/** Stores a copy with the time it was saved; the body is already decoded, so its encoding headers go. */
async function save(cacheName: string, key: string, res: Response): Promise<void> {
  const headers = new Headers(res.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  headers.delete('content-encoding');
  headers.delete('content-length');
  const copy = new Response(await res.arrayBuffer(), { status: res.status, statusText: res.statusText, headers });
  const cache = await caches.open(cacheName);
  await cache.put(key, copy);
  // Oldest first: keys come back in insertion order, and a re-saved page moves to the end.
  const keys = await cache.keys();
  const limit = LIMIT[cacheName] ?? 300;
  for (const old of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(old);
}

async function forget(cacheName: string, key: string): Promise<void> {
  await (await caches.open(cacheName)).delete(key, { ignoreVary: true });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Shows the layout's hidden banner with the date the copy was saved, in the page's language. The banner's text was
 * rendered by the server in that language with a `{date}` placeholder, so the worker carries no translations.
 */
async function withBanner(cached: Response): Promise<Response> {
  const html = await cached.text();
  const lang = /<html[^>]*\slang="([^"]+)"/.exec(html)?.[1] ?? 'en';
  const savedAt = cached.headers.get(SAVED_AT);
  let date = '';
  if (savedAt) {
    try {
      date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(savedAt));
    } catch {
      date = savedAt.slice(0, 16).replace('T', ' ');
    }
  }
  const shown = html.replace(
    /(<p\b[^>]*\bdata-offline-banner\b[^>]*?)\s+hidden(?:="")?([^>]*>)([^<]*)/,
    (_all, open: string, rest: string, text: string) =>
      `${open} data-offline-at="${escapeHtml(savedAt ?? '')}"${rest}${text.replace('{date}', escapeHtml(date))}`,
  );
  const headers = new Headers(cached.headers);
  headers.delete(SAVED_AT);
  return new Response(shown, { status: 200, headers });
}
