import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { crawlPortal, LOCALES, type PortalPage } from './portal-crawl';
import { startServer, type TestServer } from './server';

/**
 * Offline reading (issue 7): pages read online open again without a connection, from the service worker's copy,
 * under an "Offline copy from {date}" banner in the page's language; a page never read shows the offline page; the
 * signed-in side is never stored.
 */
const BANNER_START: Record<string, string> = {
  en: 'Offline copy from',
  fr: 'Copie hors ligne du',
  hy: 'Անցանց պատճեն',
  ru: 'Офлайн-копия от',
};

describeWithBrowser('offline reading (service worker)', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let pages: PortalPage[];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    pages = await crawlPortal(server.origin, { perTemplate: 1 });
    browser = await launchBrowser(server.origin);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function controlled(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(path);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      // The first page is taken over by clients.claim(); wait until it is, so later loads go through the worker.
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    });
    return page;
  }

  it('shows visited pages offline with the banner, in each language, and the offline page for the others', async () => {
    const context = await browser.newContext();
    const before = Date.now();
    const page = await controlled(context, '/en');
    // The banner is in every page, hidden, until the worker serves a saved copy.
    expect(await page.locator('[data-offline-banner]').isHidden()).toBe(true);

    const visited = LOCALES.map((l) => pages.find((p) => p.locale === l && p.path !== `/${l}`)?.path ?? `/${l}`);
    for (const path of visited) await page.goto(path);
    // The page that registered the worker is saved when the worker starts, in the background.
    await expect
      .poll(() => page.evaluate(async () => (await caches.open('pages-v1')).keys().then((k) => k.length)), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(visited.length);

    await context.setOffline(true);
    for (const path of ['/en', ...visited]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      const lang = await page.getAttribute('html', 'lang');
      const banner = page.locator('[data-offline-banner]');
      await expect.poll(() => banner.isVisible(), { timeout: 2_000 }).toBe(true);
      const text = (await banner.textContent()) ?? '';
      expect(text.startsWith(BANNER_START[lang!]!), `${path}: ${text}`).toBe(true);
      expect(text).not.toContain('{date}');
      // The date is when the copy was saved: in this test, moments ago.
      const savedAt = Date.parse((await banner.getAttribute('data-offline-at')) ?? '');
      expect(savedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(savedAt).toBeLessThanOrEqual(Date.now());
      // Still styled: the stylesheet came from the worker's cache too.
      expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
      expect(await page.locator('h1').count(), path).toBeGreaterThan(0);
    }

    // A page never opened online: the offline page in its language, not the browser's error.
    const unseen = pages.find((p) => p.locale === 'fr' && !visited.includes(p.path) && p.path !== '/fr');
    if (unseen) {
      await page.goto(unseen.path);
      expect(await page.textContent('h1')).toBe('Vous êtes hors ligne');
    }
    await context.setOffline(false);
    await context.close();
  });

  it('never stores the signed-in side or a signed-in reader’s pages', async () => {
    const client = await demoSignIn(server.origin, 'journalist');
    const context = await browser.newContext();
    const page = await controlled(context, '/en');
    await context.addCookies([client.sessionCookie()]);
    await page.goto('/en/workspace');
    await page.goto('/en/reports');
    const keys = await page.evaluate(async () => {
      const all: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys()) all.push(new URL(req.url).pathname);
      return all;
    });
    expect(keys.filter((k) => k.includes('/workspace'))).toEqual([]);
    // /en/reports was read signed in (private, no-store): not kept.
    expect(keys).not.toContain('/en/reports');
    await context.close();
  });
});
