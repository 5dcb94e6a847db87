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

const i18n: Handle = async ({ event, resolve }) => {
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

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** Headers for pages (the API sets its own). Signed-in pages are never stored by the browser or a proxy. */
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
    if (!path.startsWith('/embed/')) set('x-frame-options', 'DENY');
    set('permissions-policy', PERMISSIONS_POLICY);
    if (path.startsWith('/workspace') || event.locals.user || event.request.method !== 'GET')
      response.headers.set('cache-control', 'private, no-store');
  } catch {
    // Immutable headers (a fetched Response passed through): nothing to add to it.
  }
  return response;
};

export const handle: Handle = sequence(api, headers, i18n, session, guard);
