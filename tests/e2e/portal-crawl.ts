/**
 * The public portal as a reader finds it: every page reachable by links from the four home pages. The budget,
 * accessibility and offline tests crawl it instead of listing pages, so a section added later is covered as soon
 * as the navigation links to it.
 */

export const LOCALES = ['en', 'fr', 'hy', 'ru'] as const;
export type PortalLocale = (typeof LOCALES)[number];

/** Where the public portal ends: the signed-in side, the pages that start or end a session, and files. */
const OUTSIDE = /^\/(?:[a-z]{2}\/)?(?:workspace|sign-in|sign-out|setup|invite|embed|offline)(?:\/|$)/;
const FILES = /\.(?:pdf|zip|png|jpe?g|webp|avif|gif|svg|json|geojson|csv|xml|txt|ico|js|css)$/i;

export interface PortalPage {
  /** Path and query, e.g. `/fr/records?category=civil`. */
  path: string;
  locale: PortalLocale;
  /** The path with ids and query values folded, e.g. `/fr/records/:id`: pages of one template share it. */
  template: string;
}

/**
 * `/en/records/0193…` → `/en/records/:id`; `/en/records?category=x&year=2023` → `/en/records?`. Every filtered or
 * paged view of a list is one template: facets combine into hundreds of addresses that render the same components.
 */
export function templateOf(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://x');
  const path = url.pathname
    .split('/')
    .map((s, i) => (i > 1 && (/\d/.test(s) || s.length > 24) ? ':id' : s))
    .join('/');
  return url.search.length > 1 ? `${path}?` : path;
}

export interface CrawlOptions {
  /** Pages of one template kept per language (record pages, filtered lists, paging): enough to meet each layout. */
  perTemplate?: number;
  /** A safety stop per language. */
  maxPerLocale?: number;
}

/**
 * Breadth-first over same-origin links, per language (a page is attributed to the language of its path prefix).
 * Uses plain HTTP: public pages are complete without JavaScript, which the accessibility test also proves.
 */
export async function crawlPortal(origin: string, opts: CrawlOptions = {}): Promise<PortalPage[]> {
  const perTemplate = opts.perTemplate ?? 2;
  const maxPerLocale = opts.maxPerLocale ?? 60;
  const pages: PortalPage[] = [];
  const seen = new Set<string>();
  const perTemplateCount = new Map<string, number>();
  const perLocaleCount = new Map<string, number>();
  const queue: string[] = LOCALES.map((l) => `/${l}`);
  for (const p of queue) seen.add(p);

  while (queue.length) {
    const path = queue.shift()!;
    const locale = LOCALES.find((l) => path === `/${l}` || path.startsWith(`/${l}/`) || path.startsWith(`/${l}?`));
    if (!locale) continue;
    const res = await fetch(origin + path, { redirect: 'manual' });
    if (res.status !== 200 || !(res.headers.get('content-type') ?? '').startsWith('text/html')) {
      await res.body?.cancel();
      continue;
    }
    const html = await res.text();
    pages.push({ path, locale, template: templateOf(path) });
    perLocaleCount.set(locale, (perLocaleCount.get(locale) ?? 0) + 1);

    for (const match of html.matchAll(/<a\b[^>]*?\shref="([^"]+)"/g)) {
      const raw = match[1]!.replace(/&amp;/g, '&');
      let url: URL;
      try {
        url = new URL(raw, origin + path);
      } catch {
        continue;
      }
      if (url.origin !== origin) continue;
      if (url.pathname.startsWith('/api/') || OUTSIDE.test(url.pathname) || FILES.test(url.pathname)) continue;
      const next = url.pathname + url.search;
      if (seen.has(next)) continue;
      seen.add(next);
      const nextLocale = LOCALES.find((l) => url.pathname === `/${l}` || url.pathname.startsWith(`/${l}/`));
      if (!nextLocale || (perLocaleCount.get(nextLocale) ?? 0) >= maxPerLocale) continue;
      const template = templateOf(next);
      const count = perTemplateCount.get(template) ?? 0;
      if (count >= perTemplate) continue;
      perTemplateCount.set(template, count + 1);
      queue.push(next);
    }
  }
  return pages;
}
