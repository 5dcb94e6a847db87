import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMirror, MARKER_FILE, MirrorError } from './crawl.js';
import { fileFor, linkBetween } from './files.js';
import { findHtmlRefs, rewriteCss, rewriteHtml } from './html.js';
import { buildRobots, buildSitemap, buildSitemapIndex, liveLocator } from './sitemap.js';

describe('mirror file names', () => {
  it('writes pages as index.html, keeps matching extensions and adds missing ones', () => {
    expect(fileFor('/en', '', 'text/html; charset=utf-8')).toBe('en/index.html');
    expect(fileFor('/en/records/r1', '', 'text/html')).toBe('en/records/r1/index.html');
    expect(fileFor('/en/records', '?page=2', 'text/html')).toMatch(/^en\/records\/q-page-2-[0-9a-f]{8}\.html$/);
    expect(fileFor('/_app/immutable/assets/0.Ab1.css', '', 'text/css')).toBe('_app/immutable/assets/0.Ab1.css');
    expect(fileFor('/api/public/editions/e1/pdf', '', 'application/pdf')).toBe('api/public/editions/e1/pdf.pdf');
    expect(fileFor('/api/public/cards/live', '?kind=day&format=png', 'image/png')).toMatch(
      /^api\/public\/cards\/live--kind-day_format-png-[0-9a-f]{8}\.png$/,
    );
    expect(fileFor('/photo.jpeg', '', 'image/jpeg')).toBe('photo.jpeg');
    // Nothing climbs out of the mirror.
    expect(fileFor('/en/%2e%2e/%2e%2e/etc', '', 'text/html')).not.toContain('..');
  });

  it('links relatively through index.html, root-relatively, or under a base URL', () => {
    expect(linkBetween('en/records/r1/index.html', 'en/index.html', {})).toBe('../../index.html');
    expect(linkBetween('en/index.html', '_app/x.css', {})).toBe('../_app/x.css');
    expect(linkBetween('404.html', 'en/index.html', { rootRelative: true })).toBe('/en/index.html');
    expect(linkBetween('en/index.html', 'en/records/index.html', { baseUrl: 'https://m.example/c/' })).toBe(
      'https://m.example/c/en/records/',
    );
  });
});

describe('HTML and CSS addresses', () => {
  const html = [
    '<!doctype html><html><head>',
    '<link rel="stylesheet" href="/_app/a.css"><link rel="canonical" href="http://s.test/en">',
    '<meta property="og:image" content="http://s.test/api/public/cards/live?kind=day&amp;lang=en">',
    '<script type="application/ld+json">{"url":"<a href=\\"/nope\\">"}</script>',
    '</head><body><!-- <a href="/commented"> -->',
    '<a href="/en/records?tag=gas&amp;page=2" class=x>r</a>',
    '<img src="/i.png" srcset="/i-400.webp 400w, /i-800.webp 800w" alt="">',
    '<div style="background:url(/bg.png)" data-geojson="/api/public/map.geojson"></div>',
    '<form method="post" action="/en/sign-in"></form><a href=\'#main\'>skip</a>',
    '<script nonce="n1">import("/_app/start.js")</script><script src="/_app/x.js" defer></script></body></html>',
  ].join('');

  it('finds every address, decoded, with what it is for', () => {
    const refs = findHtmlRefs(html).map((r) => `${r.kind} ${r.tag}.${r.attr} ${r.value}`);
    expect(refs).toEqual([
      'resource link.href /_app/a.css',
      'link link.href http://s.test/en',
      'meta meta.content http://s.test/api/public/cards/live?kind=day&lang=en',
      'link a.href /en/records?tag=gas&page=2',
      'resource img.src /i.png',
      'resource img.srcset /i-400.webp',
      'resource img.srcset /i-800.webp',
      'resource style.url /bg.png',
      'resource div.data-geojson /api/public/map.geojson',
      'form form.action /en/sign-in',
      'link a.href #main',
      'resource script.src /_app/x.js',
    ]);
  });

  it('rewrites only the values asked for, escaped, and removes attributes answered with null', () => {
    const out = rewriteHtml(html, (r) => {
      if (r.value === '/i.png') return 'i.png?a&b';
      if (r.value === '/i-800.webp') return null;
      if (r.kind === 'form') return null;
      return undefined;
    });
    expect(out).toContain('<img src="i.png?a&amp;b" srcset="/i-400.webp 400w" alt="">');
    expect(out).toContain('<form method="post"></form>');
    expect(out).toContain('<!-- <a href="/commented"> -->');
    expect(out).toContain('{"url":"<a href=\\"/nope\\">"}');
    expect(out).toContain('<a href="/en/records?tag=gas&amp;page=2" class=x>');
    expect(out).toContain('import("/_app/start.js")');
    const dropped = rewriteHtml(html, () => undefined, { dropScripts: true });
    expect(dropped).not.toContain('start.js');
    expect(dropped).not.toContain('x.js');
    expect(dropped).toContain('application/ld+json');
  });

  it('rewrites url() and @import in CSS', () => {
    const css = '@import "/b.css";a{background:url(/x.png)}b{src:url("../f.woff2")}c{d:url(data:image/png;base64,AA)}';
    expect(rewriteCss(css, (v) => `R${v}`)).toBe(
      '@import "R/b.css";a{background:url("R/x.png")}b{src:url("R../f.woff2")}c{d:url(data:image/png;base64,AA)}',
    );
  });
});

describe('sitemap and robots', () => {
  it('lists each page in four languages with every alternate and x-default', () => {
    const { xml, urls } = buildSitemap(
      [{ path: '/' }, { path: '/records/a&b', lastmod: '2024-03-01T10:00:00.000Z' }],
      liveLocator('https://c.example/'),
    );
    expect(urls).toBe(8);
    expect(xml).toContain('<loc>https://c.example/fr</loc>');
    expect(xml).toContain('<loc>https://c.example/hy/records/a&amp;b</loc>');
    expect(xml).toContain('<lastmod>2024-03-01T10:00:00Z</lastmod>');
    expect(xml.match(/hreflang="x-default" href="https:\/\/c.example\/en\/records\/a&amp;b"/g)).toHaveLength(4);
    expect(xml.match(/<xhtml:link /g)).toHaveLength(40);
  });

  it('keeps crawlers out of the workspace and the API except its public reads', () => {
    const robots = buildRobots('https://c.example/sitemap.xml');
    for (const line of ['Disallow: /api/', 'Allow: /api/public/', 'Disallow: /ru/workspace', 'Disallow: /en/sign-in'])
      expect(robots).toContain(line);
    expect(robots).toMatch(/\nSitemap: https:\/\/c\.example\/sitemap\.xml\n$/);
  });
});

/** A tiny site served from a map, as fetch would answer it; `busy` addresses answer 429 once first. */
function site(
  pages: Record<string, { status?: number; type?: string; body?: string; location?: string }>,
  busy = new Set<string>(),
) {
  const requested: string[] = [];
  const fake = (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const key = url.pathname + url.search;
    requested.push(key);
    if (busy.delete(key)) return Promise.resolve(new Response(null, { status: 429, headers: { 'retry-after': '0' } }));
    const page = pages[key] ?? {
      status: 404,
      type: 'text/html',
      body: '<h1>Not found</h1><link rel="stylesheet" href="/_app/a.css">',
    };
    const headers = new Headers({ 'content-type': page.type ?? 'text/html; charset=utf-8' });
    if (page.location) headers.set('location', page.location);
    return Promise.resolve(
      new Response(page.status && page.status >= 300 && page.status < 400 ? null : (page.body ?? ''), {
        status: page.status ?? 200,
        headers,
      }),
    );
  };
  return { fetch: fake as typeof fetch, requested };
}

const layout = (lang: string, body: string) =>
  `<html lang="${lang}"><head><link rel="stylesheet" href="/_app/a.css"></head><body>` +
  `<a href="/${lang}">home</a><a href="/${lang}/records">records</a><a href="/${lang}/sign-in">sign in</a>` +
  `<a href="/en/workspace">ws</a><a href="/api/docs">api</a>${body}</body></html>`;

describe('buildMirror', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'corridor-mirror-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const pages = () => {
    const p: Parameters<typeof site>[0] = {
      '/_app/a.css': { type: 'text/css', body: 'body{background:url(/_app/bg.png)}' },
      '/_app/bg.png': { type: 'image/png', body: 'PNG' },
      // A sitemap index, as the live site answers above 12,500 pages.
      '/sitemap.xml': { type: 'application/xml', body: buildSitemapIndex(['http://s.test/sitemap.xml?part=1']) },
      '/sitemap.xml?part=1': {
        type: 'application/xml',
        body: buildSitemap([{ path: '/records/r3', locales: ['en'] }], liveLocator('http://s.test')).xml,
      },
      '/api/public/editions/e1/pdf': { type: 'application/pdf', body: '%PDF' },
    };
    for (const l of ['en', 'fr', 'hy', 'ru']) {
      p[`/${l}`] = {
        body: layout(
          l,
          '<img src="/_app/bg.png" alt=""><script type="module" src="/map.js"></script>' +
            '<link rel="modulepreload" href="/_app/chunk.js"><div data-lib="/api/public/map/lib/1/maplibre.js"></div>',
        ),
      };
      p[`/${l}/records`] = {
        body: layout(l, `<a href="/en/records/r1#top">r1</a><a href="/${l}/records?page=2">next</a>`),
      };
      p[`/${l}/records?page=2`] = {
        body: layout(
          l,
          `<a href="http://s.test/en/records/r2">r2</a><a href="/${l}/records?page=3">next</a>` +
            `<a href="/${l}/records?page=2&tag=gas">combined</a>`,
        ),
      };
      p[`/${l}/records?page=3`] = { body: layout(l, 'last page') };
    }
    p['/en/records/r1'] = {
      body: layout(
        'en',
        '<a href="/api/public/editions/e1/pdf">pdf</a><a href="/en/gone">x</a>' +
          '<script type="application/ld+json">{"url":"http://s.test/en/records/r1",' +
          '"contentUrl":"/api/public/editions/e1/pdf","name":"a \\u003c/script>"}</script>',
      ),
    };
    p['/en/records/r2'] = { body: layout('en', '<a href="/old">old</a>') };
    p['/en/records/r3'] = { body: layout('en', 'linked from nowhere but the sitemap') };
    p['/old'] = { status: 308, location: '/en/records/r1' };
    p['/en/gone'] = { status: 410 };
    return p;
  };

  it('writes every public page and file, with relative links, and never asks for private pages', async () => {
    const { fetch, requested } = site(pages(), new Set(['/fr/records']));
    const out = path.join(tmp(), 'mirror');
    const result = await buildMirror({ origin: 'http://s.test', outDir: out, fetch });
    expect(requested.filter((k) => k === '/fr/records')).toHaveLength(2); // 429, then again

    expect(requested.some((k) => /sign-in|workspace|\/api\/docs|\.js$/.test(k))).toBe(false);
    const home = readFileSync(path.join(out, 'en/index.html'), 'utf8');
    expect(home).not.toMatch(/<script|\.js"/);
    expect(home).toContain('<div></div>');
    // The next page of a paged list is followed; a filter added from a filtered page is not.
    expect(requested).toContain('/fr/records?page=3');
    expect(requested).not.toContain('/fr/records?page=2&tag=gas');
    expect(result.pages).toBe(19);
    expect(result.pagesByLocale).toEqual({ en: 7, fr: 4, hy: 4, ru: 4 });
    expect(existsSync(path.join(out, 'en/records/r3/index.html'))).toBe(true);
    expect(result.broken).toEqual([{ url: '/en/gone', status: 410, from: '/en/records/r1' }]);
    const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
    const r1 = read('en/records/r1/index.html');
    expect(r1).toContain('href="../../../_app/a.css"');
    expect(r1).toContain('href="../../../api/public/editions/e1/pdf.pdf"');
    expect(r1).toContain('<a>x</a>'); // gone: unlinked
    expect(r1).toContain('<a>sign in</a>'); // not mirrored, and no live site to send it to
    expect(read('en/records/r2/index.html')).toContain('href="../r1/index.html"'); // through the redirect
    expect(read('en/records/index.html')).toContain('href="r1/index.html#top"');
    expect(read('fr/records/index.html')).toContain('href="../../en/records/r1/index.html#top"');
    expect(read('_app/a.css')).toBe('body{background:url("bg.png")}');
    expect(read('404.html')).toContain('href="/_app/a.css"');
    expect(read('index.html')).toContain('url=en/index.html');
    expect(read('robots.txt')).not.toContain('Sitemap');
    expect(existsSync(path.join(out, 'sitemap.xml'))).toBe(false);
    expect(existsSync(path.join(out, MARKER_FILE))).toBe(true);
  });

  it('writes absolute links and a sitemap under a base URL; links to what it leaves out go to the live site', async () => {
    const { fetch } = site(pages());
    const out = path.join(tmp(), 'mirror');
    await buildMirror({
      origin: 'http://s.test',
      outDir: out,
      fetch,
      baseUrl: 'https://mirror.example/c',
      liveUrl: 'https://live.example',
    });
    expect(readFileSync(path.join(out, 'en/records/r1/index.html'), 'utf8')).toContain(
      '{"url":"https://mirror.example/c/en/records/r1/",' +
        '"contentUrl":"https://mirror.example/c/api/public/editions/e1/pdf.pdf","name":"a \\u003c/script>"}',
    );
    const home = readFileSync(path.join(out, 'fr/index.html'), 'utf8');
    expect(home).toContain('href="https://mirror.example/c/fr/records/"');
    expect(home).toContain('href="https://live.example/fr/sign-in"');
    expect(home).toContain('href="https://live.example/api/docs"');
    const sitemap = readFileSync(path.join(out, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain('<loc>https://mirror.example/c/hy/records/</loc>');
    expect(sitemap).not.toMatch(/<loc>[^<]*(?:\?|not-found)/);
    expect(readFileSync(path.join(out, 'robots.txt'), 'utf8')).toContain(
      'Sitemap: https://mirror.example/c/sitemap.xml',
    );
  });

  it('fails on a 5xx, naming the page and where it was linked from, and leaves an earlier mirror untouched', async () => {
    const out = path.join(tmp(), 'mirror');
    await buildMirror({ origin: 'http://s.test', outDir: out, fetch: site(pages()).fetch });
    const broken = pages();
    broken['/en/records/r1'] = { status: 500 };
    await expect(buildMirror({ origin: 'http://s.test', outDir: out, fetch: site(broken).fetch })).rejects.toThrow(
      /\/en\/records\/r1 answered 500 \(linked from/,
    );
    expect(readFileSync(path.join(out, 'en/records/r1/index.html'), 'utf8')).toContain('pdf');
    expect(readdirSync(path.dirname(out))).toEqual(['mirror']);
  });

  it('refuses a directory that holds anything but an earlier mirror', async () => {
    const out = tmp();
    mkdirSync(path.join(out, 'photos'));
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    await expect(buildMirror({ origin: 'http://s.test', outDir: out, fetch: site(pages()).fetch })).rejects.toThrow(
      MirrorError,
    );
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
