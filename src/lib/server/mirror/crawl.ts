import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileFor, linkBetween, mediaType, normalizeBaseUrl, uniqueFile, type LinkStyle } from './files.js';
import { findCssRefs, findHtmlRefs, rewriteCss, rewriteHtml, rewriteJsonLd, type Ref } from './html.js';
import { buildMirrorRobots, buildSitemap, SITEMAP_LOCALES, type SitemapLocale, type SitemapPage } from './sitemap.js';

/**
 * The static mirror: crawls the public portal as a reader without an account sees it, from the four home pages and
 * the sitemap, writes every page, asset and public API file it links to, then rewrites the addresses between them.
 * Only what an anonymous GET answers can enter, and never the workspace, the sign-in and token pages or a form's
 * target: the mirror cannot hold more than the public site shows.
 */

export const MARKER_FILE = '.corridor-mirror.json';
const LOCALE_NAMES: Record<SitemapLocale, string> = { en: 'English', fr: 'Français', hy: 'Հայերեն', ru: 'Русский' };
/** Page paths (after the language) that belong to accounts, never to the public. */
const PRIVATE_PAGES = new Set(['workspace', 'sign-in', 'sign-out', 'setup', 'invite', 'enrol']);
/** Query parameters that page through a list rather than filter it. */
const PAGING = new Set(['cursor', 'page', 'offset', 'after', 'before']);

function filterOf(params: URLSearchParams): string {
  return [...params]
    .filter(([k]) => !PAGING.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

/**
 * Which filtered or paged versions of a page are worth a file: those a plain page links to (a facet, a month, page
 * two), then the further pages of the same filter. Filters combined from a filtered page (place and tag and year…)
 * would multiply without adding an item that the sitemap does not already bring in.
 */
function followsVariant(url: URL, from: string): boolean {
  const q = from.indexOf('?');
  if (q < 0) return true;
  const referrer = new URL(from, url.origin);
  return referrer.pathname === url.pathname && filterOf(referrer.searchParams) === filterOf(url.searchParams);
}

/** Root files the mirror writes for itself, and the service worker (see forScripts). */
const NOT_COPIED = new Set(['/sitemap.xml', '/robots.txt', '/service-worker.js']);
const NOT_FOUND_PROBE = '/en/__corridor-mirror-not-found__';
/** Tries of an address answered 429 before it counts as missing. */
const RETRIES = 4;

export class MirrorError extends Error {}

/**
 * The mirror ships no script. A static copy cannot answer what scripts ask at run time (the map's clusters for the
 * view, SvelteKit's data for client-side navigation, the service worker's live addresses), and every public page is
 * complete without JavaScript. So scripts, what preloads them and the addresses they read from data-* attributes are
 * neither fetched nor kept.
 */
function forScripts(ref: Ref): boolean {
  if (ref.tag === 'script' || ref.attr.startsWith('data-')) return true;
  if (ref.tag !== 'link') return false;
  const rel = (ref.attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
  return rel.includes('modulepreload') || (rel.includes('preload') && ref.attrs.get('as') === 'script');
}

export interface MirrorOptions {
  /** Where the portal answers (the app started for the mirror, or a running server). */
  origin: string;
  /** The mirror's directory: created, or replaced when it holds an earlier mirror; anything else is refused. */
  outDir: string;
  /** Absolute links under this address instead of relative ones; also what sitemap.xml needs. */
  baseUrl?: string;
  /** The live site (CORRIDOR_PUBLIC_URL): links to what a mirror cannot hold (sign-in, the API docs) go there. */
  liveUrl?: string;
  /** Pages to start from besides the four home pages and the sitemap's. */
  seeds?: string[];
  fetch?: typeof fetch;
  concurrency?: number;
  /**
   * Filtered or paged versions of one page (`?page=2`, `?tag=gas`) kept at most (default 200); links to others lose
   * the query.
   */
  maxQueryVariants?: number;
  onProgress?: (progress: { done: number; queued: number }) => void;
}

export interface MirrorResult {
  outDir: string;
  pages: number;
  pagesByLocale: Record<string, number>;
  files: number;
  bytes: number;
  /** Linked addresses that answered 4xx (left unlinked in the mirror). */
  broken: { url: string; status: number; from: string }[];
  sitemap: boolean;
  ms: number;
}

interface Fetched {
  key: string;
  file: string;
  type: string;
}

export async function buildMirror(opts: MirrorOptions): Promise<MirrorResult> {
  const started = performance.now();
  const origin = new URL(opts.origin).origin;
  const style: LinkStyle = opts.baseUrl ? { baseUrl: normalizeBaseUrl(opts.baseUrl) } : {};
  const live = opts.liveUrl ? new URL(opts.liveUrl) : undefined;
  const ownOrigins = new Set([origin, ...(live ? [live.origin] : [])]);
  const doFetch = opts.fetch ?? fetch;
  const maxVariants = opts.maxQueryVariants ?? 200;

  const outDir = path.resolve(opts.outDir);
  await checkTarget(outDir);
  const work = `${outDir}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(work, { recursive: true });

  const files = new Map<string, Fetched>(); // key (path + query) → file
  const aliases = new Map<string, string>(); // redirected key → its target key
  const taken = new Set<string>();
  const referrer = new Map<string, string>();
  const variants = new Map<string, number>();
  const broken: MirrorResult['broken'] = [];
  const queue: string[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let done = 0;
  let notFoundFile: string | undefined;

  const ownUrl = (value: string, base: string): URL | undefined => {
    if (/^(?:[a-z][a-z0-9+.-]*:)/i.test(value) && !/^https?:/i.test(value)) return undefined; // mailto:, data:, …
    let url: URL;
    try {
      url = new URL(value, base);
    } catch {
      return undefined;
    }
    if (!ownOrigins.has(url.origin)) return undefined;
    // The live site's own address means this site too: fetch it from where the portal answers.
    return new URL(url.pathname + url.search + url.hash, origin);
  };

  /** Whether an address may enter the mirror at all. */
  const mirrorable = (url: URL): boolean => {
    const p = url.pathname;
    if (p.startsWith('/api/')) return p.startsWith('/api/public/');
    if (NOT_COPIED.has(p)) return false;
    // An unprefixed page address redirects to a language, and is judged again there.
    const m = /^\/(?:([a-z]{2})(?=\/|$))?\/?([^/]*)/.exec(p);
    return !PRIVATE_PAGES.has(m?.[2] ?? '');
  };

  const enqueue = (url: URL, from: string) => {
    if (!mirrorable(url)) return;
    const key = url.pathname + url.search;
    if (seen.has(key)) return;
    if (url.search) {
      if (!followsVariant(url, from)) return;
      const count = variants.get(url.pathname) ?? 0;
      if (count >= maxVariants) return;
      variants.set(url.pathname, count + 1);
    }
    seen.add(key);
    referrer.set(key, from);
    queue.push(key);
  };

  const record = async (key: string, body: Buffer, contentType: string | null) => {
    const url = new URL(key, origin);
    let file = fileFor(url.pathname, url.search, contentType);
    if (key === NOT_FOUND_PROBE) file = '404.html';
    file = uniqueFile(file, taken, key);
    taken.add(file);
    const type = mediaType(contentType);
    let out = body;
    if (isText(type) && type !== 'text/html' && type !== 'text/css')
      out = Buffer.from(replaceOrigin(body.toString('utf8')));
    const target = path.join(work, ...file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, out);
    files.set(key, { key, file, type });
    bytes += out.length;
    return file;
  };

  // What is left of the crawl's own address (JSON-LD, JSON) becomes the mirror's, or the live site's.
  const originReplacement = style.baseUrl ? style.baseUrl.replace(/\/$/, '') : live ? live.origin : '';
  const replaceOrigin = (text: string) => text.split(origin).join(originReplacement);

  const visit = async (key: string) => {
    const url = new URL(key, origin);
    let res: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await doFetch(url, {
          redirect: 'manual',
          headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'en' },
        });
      } catch (err) {
        throw new MirrorError(
          `cannot reach ${url.href} (linked from ${referrer.get(key) ?? 'the start'}): ${String(err)}`,
        );
      }
      // Too many requests is not a missing page: wait as asked (a little, at most) and ask again.
      if (res.status !== 429 || attempt === RETRIES) break;
      await res.body?.cancel();
      const wait = Math.min(Number(res.headers.get('retry-after')) || attempt, 10);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    const from = referrer.get(key) ?? 'the start';
    if (res.status >= 500)
      throw new MirrorError(`${key} answered ${res.status} (linked from ${from}); the mirror was not written`);
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      const target = location ? ownUrl(location, url.href) : undefined;
      if (target && mirrorable(target)) {
        aliases.set(key, target.pathname + target.search);
        enqueue(target, key);
      }
      return;
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (key === NOT_FOUND_PROBE ? res.status !== 404 : res.status >= 400) {
      if (key !== NOT_FOUND_PROBE) broken.push({ url: key, status: res.status, from });
      return;
    }
    const contentType = res.headers.get('content-type');
    const file = await record(key, body, contentType);
    if (key === NOT_FOUND_PROBE) notFoundFile = file;
    const type = mediaType(contentType);
    if (type === 'text/html') {
      for (const ref of findHtmlRefs(body.toString('utf8'))) {
        if (ref.kind === 'form') continue; // a form's target is never fetched: it may act, or search without end
        if (forScripts(ref)) continue;
        const next = ownUrl(ref.value, url.href);
        if (next) enqueue(next, key);
      }
    } else if (type === 'text/css') {
      for (const value of findCssRefs(body.toString('utf8'))) {
        const next = ownUrl(value, url.href);
        if (next) enqueue(next, key);
      }
    }
  };

  try {
    for (const seed of ['/en', '/fr', '/hy', '/ru', ...(opts.seeds ?? [])]) enqueue(new URL(seed, origin), 'the start');
    for (const url of await sitemapPages(doFetch, (loc) => ownUrl(loc, origin))) enqueue(url, '/sitemap.xml');
    seen.add(NOT_FOUND_PROBE);
    queue.push(NOT_FOUND_PROBE);

    await runQueue(queue, opts.concurrency ?? 4, async (key) => {
      await visit(key);
      done++;
      opts.onProgress?.({ done, queued: queue.length });
    });

    const resolveKey = (key: string): Fetched | undefined => {
      for (let k: string | undefined = key, hops = 0; k !== undefined && hops < 10; hops++) {
        const hit = files.get(k);
        if (hit) return hit;
        k = aliases.get(k);
      }
      return undefined;
    };

    const rewriter = (fromFile: string, pageUrl: string, linkStyle: LinkStyle) => (ref: Ref) => {
      const value = ref.value.trim();
      if (value === '' || value.startsWith('#')) return undefined;
      if (forScripts(ref)) return ownUrl(value, pageUrl) ? null : undefined;
      const url = ownUrl(value, pageUrl);
      if (!url) return undefined;
      const key = url.pathname + url.search;
      const isGetForm = ref.kind === 'form' && (ref.attrs.get('method') ?? 'get').toLowerCase() === 'get';
      let target = ref.kind === 'form' && !isGetForm ? undefined : resolveKey(key);
      // A filtered or paged version left out links to the page itself, which holds the same items, unfiltered.
      if (!target && url.search && (ref.kind === 'link' || isGetForm)) target = resolveKey(url.pathname);
      if (target) return linkBetween(fromFile, target.file, linkStyle) + (ref.kind === 'form' ? '' : url.hash);
      if (live) return new URL(key + url.hash, live).href;
      return ref.kind === 'form' ? undefined : null;
    };

    for (const entry of files.values()) {
      if (entry.type !== 'text/html' && entry.type !== 'text/css') continue;
      const target = path.join(work, ...entry.file.split('/'));
      const text = await readFile(target, 'utf8');
      const pageUrl = new URL(entry.key, origin).href;
      const linkStyle: LinkStyle = entry.file === notFoundFile ? { ...style, rootRelative: true } : style;
      const visitRef = rewriter(entry.file, pageUrl, linkStyle);
      const rewritten =
        entry.type === 'text/html'
          ? rewriteHtml(text, visitRef, {
              dropScripts: true,
              // Structured data wants absolute addresses: the mirror's under a base URL; else the live site's,
              // which the origin replacement below gives them.
              jsonLd: style.baseUrl
                ? (json) =>
                    rewriteJsonLd(json, (value) => {
                      const url = ownUrl(value, pageUrl);
                      const hit = url && resolveKey(url.pathname + url.search);
                      return hit ? linkBetween(entry.file, hit.file, style) : undefined;
                    })
                : undefined,
            })
          : rewriteCss(text, (value) =>
              visitRef({ value, kind: 'resource', tag: 'style', attr: 'url', attrs: new Map() }),
            );
      const out = replaceOrigin(rewritten);
      bytes += Buffer.byteLength(out) - Buffer.byteLength(text);
      await writeFile(target, out);
    }

    // The mirror's own front door, robots.txt and sitemap.
    const extra = new Map<string, string>();
    if (!taken.has('index.html')) extra.set('index.html', rootIndex(style, resolveKey));
    const pages = mirrorPages(files, notFoundFile);
    const sitemapUrl = style.baseUrl ? new URL('sitemap.xml', style.baseUrl).href : null;
    if (style.baseUrl) {
      const base = style.baseUrl;
      const locate = (l: SitemapLocale, p: string) => linkBetween('', pageFile(l, p), { baseUrl: base });
      extra.set('sitemap.xml', buildSitemap(pages, locate).xml);
    }
    extra.set('robots.txt', buildMirrorRobots(sitemapUrl));
    // In the languages' usual order, whatever order the crawl met them in.
    const pagesByLocale: Record<string, number> = Object.fromEntries(SITEMAP_LOCALES.map((l) => [l, 0]));
    let pageCount = 0;
    for (const f of files.values())
      if (f.type === 'text/html' && f.file !== notFoundFile) {
        pageCount++;
        const locale = f.file.split('/')[0]!;
        pagesByLocale[locale] = (pagesByLocale[locale] ?? 0) + 1;
      }
    const result: MirrorResult = {
      outDir,
      pages: pageCount,
      pagesByLocale,
      files: files.size + extra.size + 1,
      bytes,
      broken,
      sitemap: sitemapUrl !== null,
      ms: 0,
    };
    extra.set(
      MARKER_FILE,
      JSON.stringify(
        { generator: 'corridor publish-static', builtAt: new Date().toISOString(), ...summary(result) },
        null,
        2,
      ),
    );
    for (const [name, text] of extra) {
      await writeFile(path.join(work, name), text);
      result.bytes += Buffer.byteLength(text);
    }
    await swapInto(work, outDir);
    result.ms = Math.round(performance.now() - started);
    return result;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Runs `work` on every key of the queue, `concurrency` at a time, including keys that the work itself adds. On the
 * first failure nothing new starts, and the error is thrown once the running ones have ended (they write files).
 */
function runQueue(queue: string[], concurrency: number, work: (key: string) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let active = 0;
    let failure: { err: unknown } | undefined;
    const pump = () => {
      while (!failure && active < concurrency && queue.length > 0) {
        const key = queue.shift()!;
        active++;
        work(key).then(
          () => {
            active--;
            pump();
          },
          (err: unknown) => {
            active--;
            failure ??= { err };
            pump();
          },
        );
      }
      if (active === 0 && (failure || queue.length === 0)) {
        if (failure) reject(failure.err as Error);
        else resolve();
      }
    };
    pump();
  });
}

function summary(r: MirrorResult) {
  return { pages: r.pages, pagesByLocale: r.pagesByLocale, files: r.files, bytes: r.bytes, broken: r.broken.length };
}

const isText = (type: string) =>
  type.startsWith('text/') || /\/(?:json|geo\+json|ld\+json|javascript|xml|svg\+xml|manifest\+json)$/.test(type);

/**
 * The page addresses sitemap.xml lists (so that every record, edition, photo and story is reached), following a
 * sitemap index one level down.
 */
async function sitemapPages(doFetch: typeof fetch, toOwn: (loc: string) => URL | undefined): Promise<URL[]> {
  const read = async (url: URL): Promise<string> => {
    const res = await doFetch(url, { redirect: 'manual' });
    if (res.status >= 500)
      throw new MirrorError(`${url.pathname}${url.search} answered ${res.status}; the mirror was not written`);
    if (!res.ok) {
      await res.body?.cancel();
      return '';
    }
    return res.text();
  };
  const locs = (xml: string) =>
    [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].flatMap((m) => toOwn(m[1]!.replace(/&amp;/g, '&')) ?? []);
  const root = toOwn('/sitemap.xml')!;
  const xml = await read(root);
  if (!xml.includes('<sitemapindex')) return locs(xml);
  const pages: URL[] = [];
  for (const part of locs(xml)) pages.push(...locs(await read(part)));
  return pages;
}

/** Page files without a query, grouped by their path in every language they exist in. */
function mirrorPages(files: Map<string, Fetched>, notFoundFile: string | undefined): SitemapPage[] {
  const byPath = new Map<string, SitemapLocale[]>();
  for (const f of files.values()) {
    if (f.type !== 'text/html' || f.key.includes('?') || f.file === notFoundFile) continue;
    const m = /^\/([a-z]{2})(\/.*)?$/.exec(f.key);
    if (!m || !(SITEMAP_LOCALES as readonly string[]).includes(m[1]!)) continue;
    const p = m[2] || '/';
    byPath.set(p, [...(byPath.get(p) ?? []), m[1] as SitemapLocale]);
  }
  return [...byPath].map(([p, locales]) => ({
    path: p,
    locales: SITEMAP_LOCALES.filter((l) => locales.includes(l)),
  }));
}

function pageFile(locale: SitemapLocale, p: string): string {
  return fileFor(p === '/' ? `/${locale}` : `/${locale}${p}`, '', 'text/html');
}

/** The mirror's `/`: the live site chooses a language from the browser; a static copy offers the four. */
function rootIndex(style: LinkStyle, resolve: (key: string) => Fetched | undefined) {
  const links = SITEMAP_LOCALES.flatMap((l) => {
    const home = resolve(`/${l}`);
    return home ? [{ l, href: linkBetween('index.html', home.file, style) }] : [];
  });
  const first = links[0]?.href ?? '';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Corridor</title>',
    first ? `<meta http-equiv="refresh" content="0; url=${first}">` : '',
    '</head>',
    '<body>',
    '<ul>',
    ...links.map(({ l, href }) => `<li><a href="${href}" hreflang="${l}" lang="${l}">${LOCALE_NAMES[l]}</a></li>`),
    '</ul>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** Refuses to write over anything that is not an earlier mirror. */
async function checkTarget(outDir: string) {
  if (!existsSync(outDir)) return;
  if (!(await stat(outDir)).isDirectory()) throw new MirrorError(`${outDir} exists and is not a directory`);
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(MARKER_FILE))
    throw new MirrorError(
      `${outDir} is not empty and holds no earlier mirror (${MARKER_FILE}): choose another directory`,
    );
}

/** The new mirror replaces the old one only once it is complete, so a failed run leaves the last good one. */
async function swapInto(work: string, outDir: string) {
  if (!existsSync(outDir)) {
    await rename(work, outDir);
    return;
  }
  const old = `${outDir}.old-${randomBytes(4).toString('hex')}`;
  await rename(outDir, old);
  await rename(work, outDir);
  await rm(old, { recursive: true, force: true });
}
