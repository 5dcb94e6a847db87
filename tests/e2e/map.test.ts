import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The public map on the demo data, the demo reviewer having published all but one of the demo documenter's records
 * and the gas disruption placed at Stepanakert. Without JavaScript the page is whole: the server-drawn SVG with the
 * places, the legend, the layer form, the lists and the export. With JavaScript MapLibre GL draws a canvas (or, where
 * headless Chromium has no WebGL, a message says so and the SVG stays), with no CSP violation and no request off this
 * server; no other page asks for MapLibre. axe finds nothing, either way.
 */

describeWithBrowser('public map', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  /** axe needs scripts of its own: the no-JavaScript page is judged with the page's own scripts refused. */
  let axeNoJs: BrowserContext;
  let draftTitle = '';
  const published: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const documenter = await demoSignIn(server.origin, 'documenter');
    const reviewer = await demoSignIn(server.origin, 'reviewer');
    const { items } = await documenter.ok<{ items: { id: string; status: string; titles: Record<string, string> }[] }>(
      'GET',
      '/records?tag=demo&limit=50',
    );
    expect(items.length).toBeGreaterThan(2);
    for (const r of items) {
      if (r.status === 'draft') {
        await documenter.ok('POST', `/records/${r.id}/transitions`, { to: 'in-review' });
        await reviewer.ok('POST', `/records/${r.id}/transitions`, { to: 'approved' });
        await reviewer.ok('POST', `/records/${r.id}/transitions`, { to: 'published' });
      }
      if (r.status === 'draft' || r.status === 'published') published.push(r.titles.en!);
    }
    const places = await documenter.ok<{ items: { id: string; name: string }[] }>('GET', '/places?q=Stepanakert');
    const disruptions = await documenter.ok<{ items: { id: string; service: string }[] }>('GET', '/disruptions');
    const gas = disruptions.items.find((d) => d.service === 'gas')!;
    await documenter.ok('PATCH', `/disruptions/${gas.id}`, { placeIds: [places.items[0]!.id] });
    // The canary: a draft at a place on the map, which must show neither its title nor in any count.
    draftTitle = 'CANARY map draft 7c1e';
    await documenter.ok('POST', '/records', {
      texts: { en: { title: draftTitle, summary: 'Not published.' } },
      placeIds: [places.items[0]!.id],
    });
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    withJs = await browser.newContext();
    axeNoJs = await browser.newContext();
    await axeNoJs.route('**/*', (route) =>
      route.request().resourceType() === 'script' ? route.abort() : route.continue(),
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const axeClean = async (page: Page, where: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      where,
    ).toEqual([]);
  };

  it(
    'reads without JavaScript: the SVG map, the legend, the layer form, the lists and the export',
    { timeout: 120_000 },
    async () => {
      for (const lang of ['en', 'hy']) {
        const page = await noJs.newPage();
        const res = await page.goto(`/${lang}/map`);
        expect(res?.status()).toBe(200);
        const svg = page.locator('#map-static svg[role="img"]');
        expect(await svg.count()).toBe(1);
        // Demo places with published records are drawn (Stepanakert at least), and listed.
        expect(await svg.locator('circle').count()).toBeGreaterThan(0);
        const list = page.locator('.places');
        expect(await list.locator(':scope > li').count()).toBeGreaterThan(0);
        const legend = page.locator('.legend li');
        expect(await legend.count()).toBeGreaterThanOrEqual(4);
        expect(await page.locator('form[method="get"] input[type="checkbox"][name="layer"]').count()).toBe(3);
        expect(await page.locator('a[href^="/api/public/map/export.geojson"]').count()).toBe(1);
        expect(await page.locator('script[type="application/ld+json"]').textContent()).toContain('"Dataset"');
        await page.close();
        const axePage = await axeNoJs.newPage();
        await axePage.goto(`/${lang}/map`);
        await axeClean(axePage, `${lang} without JavaScript`);
        await axePage.close();
      }
      const page = await noJs.newPage();
      await page.goto('/en/map');
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain('Stepanakert');
      expect(published.some((t) => text.includes(t))).toBe(true);
      expect(text).not.toContain(draftTitle);
      // The disruption placed at Stepanakert is listed and shaded on the map.
      expect(await page.locator('.disruptions li').count()).toBeGreaterThan(0);
      expect(await page.locator('#map-static svg [stroke-dasharray]').count()).toBeGreaterThan(0);

      // The layer form, as a GET: only places, and the SVG has no weighted points (their labels carry a count).
      await page.locator('input[name="layer"][value="records"]').uncheck();
      await page.locator('input[name="layer"][value="disruptions"]').uncheck();
      await Promise.all([page.waitForURL(/layer=places/), page.locator('form.filters button[type="submit"]').click()]);
      expect(await page.locator('input[name="layer"][value="records"]').isChecked()).toBe(false);
      expect(await page.locator('#map-static svg').textContent()).not.toMatch(/ · \d/);
      await page.close();
    },
  );

  it(
    'draws MapLibre with JavaScript, from this server, with no CSP violation; or keeps the SVG and says why',
    { timeout: 120_000 },
    async () => {
      const page = await withJs.newPage();
      const problems: string[] = [];
      const foreign: string[] = [];
      page.on('console', (m) => {
        // CSP refusals, and what static/map.js reports when MapLibre fails (a source it could not load, say).
        if (/Content Security Policy|Refused to|^map/i.test(m.text())) problems.push(m.text());
      });
      const answered: string[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/public/map/points') && r.status() === 200) answered.push(r.url());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith(server.origin) && !r.url().startsWith('data:')) foreign.push(r.url());
      });
      const libRequests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/public/map/lib/')) libRequests.push(r.url());
      });
      await page.goto('/en/map');
      const webgl = await page.evaluate(() => {
        const c = document.createElement('canvas');
        return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
      });
      if (webgl) {
        // MapLibre waits for the reader to ask: nothing of it is fetched with the page.
        await page.waitForLoadState('networkidle');
        expect(libRequests).toEqual([]);
        await page.locator('#map-open').click();
        await page.locator('#map-live[data-ready="true"] canvas').waitFor({ timeout: 30_000 });
        expect(await page.locator('#map-static').isHidden()).toBe(true);
        expect(libRequests.some((u) => u.endsWith('maplibre-gl.mjs'))).toBe(true);
        // The clusters of the viewport were asked for, for both point layers.
        await expect.poll(() => answered.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
        // Time for MapLibre to report a source that failed to load, had one failed.
        await page.waitForTimeout(1000);
      } else {
        await expect
          .poll(async () => (await page.locator('#map-status').textContent()) ?? '', { timeout: 10_000 })
          .toContain('WebGL');
        expect(await page.locator('#map-static svg').isVisible()).toBe(true);
        expect(await page.locator('#map-open').count()).toBe(0);
        expect(libRequests).toEqual([]);
      }
      expect(problems).toEqual([]);
      expect(foreign).toEqual([]);
      await axeClean(page, 'with JavaScript');
      await page.close();
    },
  );

  it('loads MapLibre on the map page only', async () => {
    const page = await withJs.newPage();
    const asked: string[] = [];
    page.on('request', (r) => asked.push(r.url()));
    for (const path of ['/en', '/en/records', '/en/reports']) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
    }
    expect(asked.filter((u) => /maplibre|\/map\.js/.test(u))).toEqual([]);
    expect(await page.locator('script[src="/map.js"]').count()).toBe(0);
    await page.close();
  });
});
