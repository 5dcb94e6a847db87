import type { Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { crawlPortal, LOCALES, type PortalPage } from './portal-crawl';
import { startServer, type TestServer } from './server';

/**
 * The low-bandwidth budget of the public portal (issue 7): each page, with its CSS and any JS, is at most 50 KB
 * transferred (compressed, headers included), images and the map library aside; it is compressed, revalidated by
 * ETag, its hashed assets cached for good, and its pictures responsive and lazy.
 */
const BUDGET = 50 * 1024;
/** The map library is the one script the budget leaves out (it loads on the map page only). */
const MAP_LIBRARY = /maplibre/i;

interface Weight {
  path: string;
  html: number;
  css: number;
  js: number;
  other: number;
  excluded: number;
  total: number;
  requests: string[];
}

interface ImageUse {
  path: string;
  src: string;
  srcset: boolean;
  lazy: boolean;
  eager: boolean;
}

const kb = (n: number) => (n / 1024).toFixed(1);

describeWithBrowser('portal page weight and caching', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let pages: PortalPage[];
  const weights: Weight[] = [];
  const images: ImageUse[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    pages = await crawlPortal(server.origin);
    browser = await launchBrowser(server.origin);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds the portal from the four home pages', () => {
    for (const locale of LOCALES) expect(pages.map((p) => p.path)).toContain(`/${locale}`);
    console.log(`\n  crawled ${pages.length} public pages (${new Set(pages.map((p) => p.template)).size} templates)`);
  });

  it('keeps every public page within 50 KB transferred (HTML + CSS + JS, compressed)', async () => {
    for (const { path } of pages) {
      // A fresh context per page: an empty cache, as on a first visit (CDP's cache switch still let 304s through);
      // no service worker, whose own fetches would mix with the page's.
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      const finished: Request[] = [];
      page.on('requestfinished', (r) => finished.push(r));
      const response = await page.goto(path, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      // A page with a script of its own (the map) may fetch more after load: let it settle.
      if ((await page.locator('script[src]').count()) > 1)
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
      const w: Weight = { path, html: 0, css: 0, js: 0, other: 0, excluded: 0, total: 0, requests: [] };
      for (const request of finished) {
        const type = request.resourceType();
        if (type === 'image' || type === 'media') continue;
        const sizes = await request.sizes();
        const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
        if (MAP_LIBRARY.test(request.url())) {
          w.excluded += bytes;
          continue;
        }
        if (type === 'document') w.html += bytes;
        else if (type === 'stylesheet') w.css += bytes;
        else if (type === 'script') w.js += bytes;
        else w.other += bytes;
        w.requests.push(`${type} ${new URL(request.url()).pathname} ${bytes}`);
      }
      w.total = w.html + w.css + w.js;
      weights.push(w);
      for (const img of await page.$$eval('img', (els) =>
        els.map((el) => ({
          src: el.currentSrc || el.src,
          srcset: !!el.getAttribute('srcset') || !!el.closest('picture')?.querySelector('source[srcset]'),
          lazy: el.getAttribute('loading') === 'lazy',
          eager: el.getAttribute('fetchpriority') === 'high' || el.getAttribute('loading') === 'eager',
        })),
      ))
        images.push({ path, ...img });
      await context.close();
    }

    console.log(
      '\n  page weight (transferred, KB; images and the map library excluded)\n' +
        `  ${'page'.padEnd(64)} ${'html'.padStart(6)} ${'css'.padStart(6)} ${'js'.padStart(6)} ${'total'.padStart(7)} ${'other'.padStart(6)} ${'maplib'.padStart(7)}\n` +
        weights
          .map(
            (w) =>
              `  ${w.path.slice(0, 64).padEnd(64)} ${kb(w.html).padStart(6)} ${kb(w.css).padStart(6)} ${kb(w.js).padStart(6)} ` +
              `${kb(w.total).padStart(7)} ${kb(w.other).padStart(6)} ${kb(w.excluded).padStart(7)}${w.total > BUDGET ? '  OVER' : ''}`,
          )
          .join('\n'),
    );
    const over = weights
      .filter((w) => w.total > BUDGET)
      .map((w) => `${w.path}: ${kb(w.total)} KB\n    ${w.requests.join('\n    ')}`);
    expect(over, `over the 50 KB budget:\n${over.join('\n')}`).toEqual([]);
  }, 600_000);

  it('gives pictures a srcset and lazy loading', () => {
    // SVG drawings and data: URIs are not photographs: nothing to choose between.
    const raster = images.filter((i) => !/\.svg(\?|$)|^data:/i.test(i.src));
    const noSrcset = raster.filter((i) => !i.srcset);
    const notLazy = raster.filter((i) => !i.lazy && !i.eager);
    if (noSrcset.length || notLazy.length)
      console.warn(
        `\n  ⚠ pictures without srcset (${noSrcset.length}):\n    ${noSrcset.map((i) => `${i.path} ${i.src}`).join('\n    ')}` +
          `\n  ⚠ pictures neither lazy nor marked as the page's main image (${notLazy.length}):\n    ${notLazy.map((i) => `${i.path} ${i.src}`).join('\n    ')}`,
      );
    // Clearly missing: a photograph with neither a srcset nor lazy loading costs a 2G reader its full size.
    const neither = raster.filter((i) => !i.srcset && !i.lazy);
    expect(
      neither.map((i) => `${i.path} ${i.src}`),
      'pictures with neither srcset nor loading="lazy"',
    ).toEqual([]);
  });

  it('compresses pages and assets, revalidates pages by ETag and caches hashed assets for a year', async () => {
    const assets = new Set<string>();
    const notRevalidated: string[] = [];
    for (const { path } of pages) {
      const res = await fetch(server.origin + path, { headers: { 'accept-encoding': 'br, gzip' } });
      const html = await res.text();
      expect(res.headers.get('content-encoding'), path).toMatch(/^(br|gzip)$/);
      expect(res.headers.get('cache-control'), path).toBe('public, no-cache');
      const etag = res.headers.get('etag');
      expect(etag, path).toMatch(/^W\/".+"$/);
      const again = await fetch(server.origin + path, { headers: { 'if-none-match': etag! } });
      // Collected rather than thrown: one page whose HTML differs on every request (an id from a process-wide
      // counter, a timestamp) must not hide the others.
      if (again.status !== 304) notRevalidated.push(`${path}: ${again.status}`);
      expect(await again.text().then((t) => (again.status === 304 ? t : ''))).toBe('');
      for (const m of html.matchAll(/(?:href|src)="(\/[^"]+\.(?:css|js))"/g)) assets.add(m[1]!);
    }
    expect(assets.size).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await fetch(server.origin + asset, { headers: { 'accept-encoding': 'br, gzip' } });
      const body = await res.arrayBuffer();
      expect(res.status, asset).toBe(200);
      if (body.byteLength > 1024) expect(res.headers.get('content-encoding'), asset).toMatch(/^(br|gzip)$/);
      if (asset.startsWith('/_app/immutable/'))
        expect(res.headers.get('cache-control'), asset).toBe('public,max-age=31536000,immutable');
      else expect(res.headers.get('cache-control'), asset).toMatch(/no-cache|max-age=0/);
      expect(res.headers.get('x-content-type-options'), asset).toBe('nosniff');
    }
    // The public API's JSON too.
    const api = await fetch(`${server.origin}/api/public/records`, { headers: { 'accept-encoding': 'br, gzip' } });
    await api.arrayBuffer();
    expect(api.headers.get('cache-control')).toBe('public, no-cache');
    expect(api.headers.get('etag')).toMatch(/^W\//);
    expect(notRevalidated, 'pages that never answer If-None-Match with a 304 (their HTML changes per request)').toEqual(
      [],
    );
  }, 300_000);

  it('never lets a signed-in reader’s pages or answers into a shared cache', async () => {
    const client = await demoSignIn(server.origin, 'journalist');
    for (const path of ['/en', '/en/reports', '/api/public/records']) {
      const res = await fetch(server.origin + path, { headers: { cookie: client.cookie } });
      await res.arrayBuffer();
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('private, no-store');
    }
  });
});
