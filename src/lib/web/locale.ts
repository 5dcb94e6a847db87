import { baseLocale, getLocale, locales, type Locale } from '$lib/paraglide/runtime';

/** Every public URL starts with its locale (`/en/…` included), so a link alone says which language it shows. */
export function isLocale(value: string | undefined): value is Locale {
  return value !== undefined && (locales as readonly string[]).includes(value);
}

/** `/fr/workspace/users` → `{ locale: 'fr', path: '/workspace/users' }`; an unprefixed path has no locale. */
export function splitLocale(pathname: string): { locale: Locale | undefined; path: string } {
  const match = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  const first = match?.[1];
  if (isLocale(first)) return { locale: first, path: match?.[2] || '/' };
  return { locale: undefined, path: pathname };
}

/** `/workspace` in French → `/fr/workspace`; `/` → `/fr` (trailing slashes are never used). */
export function localizePath(path: string, locale: Locale): string {
  if (path === '/' || path === '') return `/${locale}`;
  return `/${locale}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Each language is named in itself, so a reader finds theirs whatever the page's current language. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  hy: 'Հայերեն',
  ru: 'Русский',
};

/** First supported language in an Accept-Language header, by q-value; base tags match (`fr-CA` → fr). */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

export function preferredLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage(acceptLanguage) ?? baseLocale;
}

/**
 * A redirect target taken from a query string must stay on this site: a local absolute path, not `//host` or
 * `/\host` (which browsers treat as another origin), and not the sign-in page itself.
 */
export function safeRedirectPath(value: string | null | undefined, fallback: string): string {
  if (!value || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Control characters and backslashes can turn a path into another host in some URL parsers.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\\')) return fallback;
  try {
    const parsed = new URL(value, 'http://local.invalid');
    if (parsed.origin !== 'http://local.invalid') return fallback;
    if (/^\/[a-z]{2}\/sign-in(\/|$)/.test(parsed.pathname)) return fallback;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return fallback;
  }
}

/** A link to `path` in the language of the page being rendered (server: the request's; browser: the URL's). */
export function href(path: string): string {
  return localizePath(path, getLocale());
}
