import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getRuntime } from '$lib/server/runtime';
import {
  cookieMaxAge,
  cookieName,
  getTextDirection,
  overwriteServerAsyncLocalStorage,
  type Locale,
} from '$lib/paraglide/runtime';
import { localizePath, preferredLocale, splitLocale } from '$lib/web/locale';
import { SESSION_COOKIE, type Me } from '$lib/server/accounts/index.js';
import { workspaceRedirect } from '$lib/web/guard';
import { etagMatches } from '$lib/server/http/caching';

export const init: ServerInit = async () => {
  await getRuntime();
};

/** /api/* goes to Hono in-process; a load function's event.fetch('/api/…') never touches the network. */
const api: Handle = async ({ event, resolve }) => {
  const { pathname } = event.url;
  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const { platform } = await getRuntime();
    return platform.api.fetch(event.request, { clientIp: event.getClientAddress() });
  }
  return resolve(event);
};

/*
 * Paraglide's messages read the locale from this store while a request renders, so concurrent requests in different
 * languages never see each other's. We feed it ourselves rather than through paraglideMiddleware, whose default URL
 * pattern keeps the base locale unprefixed and would redirect /en/… away.
 */
const localeStore = new AsyncLocalStorage<{ locale?: Locale; origin?: string; messageCalls?: Set<string> }>();
overwriteServerAsyncLocalStorage(localeStore);

/** Files crawlers expect at the root, in no language: never redirected to a locale. */
const UNLOCALIZED = new Set(['/sitemap.xml', '/robots.txt']);

const i18n: Handle = async ({ event, resolve }) => {
  if (UNLOCALIZED.has(event.url.pathname)) return resolve(event);
  const { locale: fromUrl } = splitLocale(event.url.pathname);
  const remembered = event.cookies.get(cookieName);
  const locale = fromUrl ?? preferredLocale(remembered, event.request.headers.get('accept-language'));

  // An unprefixed page address (`/`, or an old bookmark) goes to the same page in the reader's language.
  if (!fromUrl && (event.request.method === 'GET' || event.request.method === 'HEAD')) {
    return new Response(null, {
      status: 307,
      headers: {
        location: localizePath(event.url.pathname, locale) + event.url.search,
        vary: 'Accept-Language, Cookie',
        'cache-control': 'private, no-store',
      },
    });
  }
  // Remember an explicit choice (a language link) so that `/` later opens in the same language.
  if (fromUrl && remembered !== fromUrl && !event.isDataRequest) {
    event.cookies.set(cookieName, fromUrl, {
      path: '/',
      maxAge: cookieMaxAge,
      httpOnly: false,
      sameSite: 'lax',
      secure: event.url.protocol === 'https:',
    });
  }

  event.locals.locale = locale;
  return localeStore.run({ locale, origin: event.url.origin, messageCalls: new Set() }, () =>
    resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%lang%', locale).replace('%dir%', getTextDirection(locale)),
    }),
  );
};

/** Looks the account up once per request, and only when a session cookie is there: anonymous readers cost nothing. */
const session: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  if (event.cookies.get(SESSION_COOKIE)) {
    const response = await event.fetch('/api/auth/me', { headers: { accept: 'application/json' } });
    if (response.ok) event.locals.user = (await response.json()) as Me;
  }
  return resolve(event);
};

/**
 * Workspace pages need an account, and an account still owing its second factor may only enrol it. Full page loads
 * and no-JS form posts are redirected here; client-side data requests are redirected by the workspace layout load,
 * whose redirect SvelteKit's client understands.
 */
const guard: Handle = async ({ event, resolve }) => {
  const { path } = splitLocale(event.url.pathname);
  const inWorkspace = path === '/workspace' || path.startsWith('/workspace/');
  const enhanced = event.isDataRequest || event.request.headers.has('x-sveltekit-action');
  if (inWorkspace && !enhanced) {
    const target = workspaceRedirect(event.locals.user, path, event.url, event.locals.locale);
    if (target) return new Response(null, { status: 303, headers: { location: target, 'cache-control': 'no-store' } });
  }
  return resolve(event);
};

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
/** Only over https: browsers ignore it on http anyway, and a local http deployment must not be pinned to https. */
const HSTS = 'max-age=31536000; includeSubDomains';
/** The one cookie an anonymous page may set: the reader's language, the same for everyone at that address. */
const LOCALE_COOKIE = `${cookieName}=`;

/**
 * Headers for pages (the API sets its own). An anonymous page varies by nothing but its URL, so any cache may keep
 * it and must revalidate it (`public, no-cache`), which costs a 304 and no body thanks to the ETag. Signed-in pages,
 * the workspace, anything that sets another cookie and anything not a GET are never stored by a browser or proxy.
 */
const headers: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const set = (name: string, value: string) => {
    if (!response.headers.has(name)) response.headers.set(name, value);
  };
  try {
    set('x-content-type-options', 'nosniff');
    set('referrer-policy', 'strict-origin-when-cross-origin');
    const { path } = splitLocale(event.url.pathname);
    // The embeddable counter is the one page other sites may frame: its own CSP says so (frame-ancestors *).
    if (!path.startsWith('/embed/')) {
      set('x-frame-options', 'DENY');
      set('cross-origin-opener-policy', 'same-origin');
    }
    set('permissions-policy', PERMISSIONS_POLICY);
    // svelte.config.js allows style attributes for the workspace's computed geometry; no other page has any
    // (measured over the crawled portal), so outside the workspace not even those are allowed.
    const csp = response.headers.get('content-security-policy');
    if (csp && !path.startsWith('/workspace') && !path.startsWith('/embed/'))
      response.headers.set(
        'content-security-policy',
        csp.replace("style-src-attr 'unsafe-inline'", "style-src-attr 'none'"),
      );
    if (event.url.protocol === 'https:') set('strict-transport-security', HSTS);

    const method = event.request.method;
    const signedIn = !!event.locals.user || !!event.cookies.get(SESSION_COOKIE);
    const otherCookies = response.headers.getSetCookie().some((c) => !c.startsWith(LOCALE_COOKIE));
    const personal = path.startsWith('/workspace') || signedIn || otherCookies;
    if (personal || (method !== 'GET' && method !== 'HEAD')) {
      response.headers.set('cache-control', 'private, no-store');
      return response;
    }
    if (response.status !== 200) return response;
    set('cache-control', 'public, no-cache');
    return notModified(event.request, response) ?? response;
  } catch {
    // Immutable headers (a fetched Response passed through): nothing to add to it.
    return response;
  }
};

/**
 * SvelteKit tags a page with a strong ETag of its HTML; `corridor serve` then compresses it, so the bytes on the
 * wire differ by encoding and the tag is only weakly valid. We mark it weak and answer If-None-Match ourselves
 * (SvelteKit's own check compares the strong form, which a weak tag sent back would no longer match).
 */
function notModified(request: Request, response: Response): Response | undefined {
  const etag = response.headers.get('etag');
  if (!etag) return undefined;
  const weak = etag.startsWith('W/') ? etag : `W/${etag}`;
  response.headers.set('etag', weak);
  if (!etagMatches(weak, request.headers.get('if-none-match'))) return undefined;
  const headers = new Headers({ etag: weak });
  for (const name of ['cache-control', 'content-location', 'date', 'expires', 'vary'])
    if (response.headers.has(name)) headers.set(name, response.headers.get(name)!);
  for (const cookie of response.headers.getSetCookie()) headers.append('set-cookie', cookie);
  void response.body?.cancel();
  return new Response(null, { status: 304, headers });
}

export const handle: Handle = sequence(api, headers, i18n, session, guard);
