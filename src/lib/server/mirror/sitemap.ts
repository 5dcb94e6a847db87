/**
 * sitemap.xml and robots.txt as text, for the live site (src/routes/sitemap.xml, src/routes/robots.txt) and for the
 * static mirror alike. Pure: callers say which pages exist and how an address is written.
 */

export const SITEMAP_LOCALES = ['en', 'fr', 'hy', 'ru'] as const;
export type SitemapLocale = (typeof SITEMAP_LOCALES)[number];

/** The portal's section pages, unprefixed; each exists in every language (`/` is the home page). */
export const PUBLIC_SECTIONS = [
  '/',
  '/records',
  '/timeline',
  '/map',
  '/reports',
  '/photos',
  '/stories',
  '/methodology',
  '/about',
] as const;

/** The protocol's limit per file; above it a sitemap index is needed. */
export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapPage {
  /** Unprefixed page path: `/records/abc`. */
  path: string;
  /** ISO date or timestamp of the last public change, when known. */
  lastmod?: string | null;
  /** The languages the page exists in (default: all four). */
  locales?: readonly SitemapLocale[];
}

/** Writes the absolute address of a page in one language. */
export type LocateFn = (locale: SitemapLocale, path: string) => string;

/** `https://x.org` + `/fr` + `/records` → `https://x.org/fr/records`; `/` is the language's home (`/fr`). */
export function liveLocator(origin: string): LocateFn {
  const base = origin.replace(/\/+$/, '');
  return (locale, path) => `${base}/${locale}${path === '/' ? '' : path}`;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/**
 * One `<url>` per page and language, each listing every language of the page (itself included) and x-default
 * (English) as `xhtml:link` alternates, as search engines ask. Beyond SITEMAP_MAX_URLS the rest is left out and
 * `truncated` says so: give it at most PAGES_PER_SITEMAP pages, and an index above that.
 */
export function buildSitemap(
  pages: SitemapPage[],
  locate: LocateFn,
): { xml: string; urls: number; truncated: boolean } {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  let urls = 0;
  let truncated = false;
  outer: for (const page of pages) {
    const locales = page.locales ?? SITEMAP_LOCALES;
    const alternates = locales.map(
      (l) => `    <xhtml:link rel="alternate" hreflang="${l}" href="${escapeXml(locate(l, page.path))}"/>`,
    );
    if (locales.includes('en'))
      alternates.push(
        `    <xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(locate('en', page.path))}"/>`,
      );
    const lastmod = page.lastmod ? `    <lastmod>${escapeXml(w3cDate(page.lastmod))}</lastmod>` : null;
    for (const locale of locales) {
      if (urls >= SITEMAP_MAX_URLS) {
        truncated = true;
        break outer;
      }
      out.push('  <url>', `    <loc>${escapeXml(locate(locale, page.path))}</loc>`);
      if (lastmod) out.push(lastmod);
      out.push(...alternates, '  </url>');
      urls++;
    }
  }
  out.push('</urlset>', '');
  return { xml: out.join('\n'), urls, truncated };
}

/** Pages per sitemap file: each is listed once per language, and a file holds at most SITEMAP_MAX_URLS. */
export const PAGES_PER_SITEMAP = Math.floor(SITEMAP_MAX_URLS / SITEMAP_LOCALES.length);

/** A sitemap index naming the files of a sitemap too large for one (`/sitemap.xml?part=1`, …). */
export function buildSitemapIndex(locations: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...locations.map((l) => `  <sitemap><loc>${escapeXml(l)}</loc></sitemap>`),
    '</sitemapindex>',
    '',
  ].join('\n');
}

/** The sitemap protocol takes W3C datetimes; a bare date stays a date, a timestamp keeps its instant. */
function w3cDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value.slice(0, 10) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * robots.txt of the live site. Crawlers may read the portal and the public API reads (RFC 9309: the longest match
 * wins, so `Allow: /api/public/` beats `Disallow: /api/`); the workspace, sign-in and one-time token pages are
 * nobody's business, in any language.
 */
export function buildRobots(sitemapUrl: string | null): string {
  const privatePaths = ['/workspace', '/sign-in', '/sign-out', '/setup/', '/invite/'];
  const lines = ['User-agent: *', 'Allow: /', 'Allow: /api/public/', 'Disallow: /api/'];
  for (const p of privatePaths) {
    lines.push(`Disallow: ${p}`);
    for (const l of SITEMAP_LOCALES) lines.push(`Disallow: /${l}${p}`);
  }
  if (sitemapUrl) lines.push('', `Sitemap: ${sitemapUrl}`);
  return lines.join('\n') + '\n';
}

/** robots.txt of a static mirror: it holds only public files, so everything may be read. */
export function buildMirrorRobots(sitemapUrl: string | null): string {
  return ['User-agent: *', 'Allow: /', ...(sitemapUrl ? ['', `Sitemap: ${sitemapUrl}`] : [])].join('\n') + '\n';
}
