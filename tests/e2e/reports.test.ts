import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, type World } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * Report editions with JavaScript off: an admin creates a report, builds a French preview (the page refreshes
 * itself while the build runs), publishes it; the public edition page is server-rendered without any script, with
 * the share card as its OpenGraph image and its PDF to download. Every page is axe-clean.
 */
describeWithBrowser('report editions', () => {
  let server: TestServer;
  let world: World;
  let browser: BrowserHandle;
  const visited: string[] = [];
  let editionPath = '';
  let editionId = '';

  async function axe(p: Page) {
    const { violations } = await new AxeBuilder({ page: p }).analyze();
    return violations.map((v) => `${p.url()}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    browser = await launchBrowser(server.origin);
    await world.admin.client.ok('PUT', '/crisis', {
      name: { en: 'Blockade of the Lachin corridor', fr: 'Blocus du corridor de Latchine' },
      startsAt: '2022-12-12T10:30',
      timeZone: 'Asia/Yerevan',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a report, builds a preview and publishes it, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/reports');
    expect(
      await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Reports' }).count(),
    ).toBe(1);
    visited.push(new URL(page.url()).pathname);

    // A title is required: the error shows next to the field.
    await page.getByRole('button', { name: 'Create the report' }).click();
    expect(await page.getByRole('alert').count()).toBeGreaterThan(0);
    expect(await page.locator('#f-titles-en-error').textContent()).toBeTruthy();

    await page.getByLabel('Title in French').fill('Les droits humains pendant le blocus');
    await page.getByRole('button', { name: 'Create the report' }).click();
    await page.waitForURL(/\/en\/workspace\/reports\/[^/]+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Les droits humains pendant le blocus');
    visited.push(new URL(page.url()).pathname);

    await page.getByLabel('As of (date)').fill('2023-03-21');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('button', { name: 'Build a preview' }).click();
    await page.waitForURL(/\/editions\/[^/]+$/);
    // The page refreshes itself (meta refresh) until the build is done.
    await page.locator('[data-status="draft"]').waitFor({ timeout: 30_000 });
    editionPath = new URL(page.url()).pathname;
    editionId = editionPath.split('/').at(-1)!;
    const edition = page.locator('article.edition');
    expect(await edition.getAttribute('lang')).toBe('fr');
    expect(await edition.textContent()).toContain('Au 21 mars 2023, c’est le 100');
    expect(await edition.textContent()).toContain('Brouillon : non publié');
    const hash = await page.locator('[data-hash="content"]').textContent();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    visited.push(editionPath);

    // Drafts stay off the public site.
    expect((await page.request.get(`/api/public/editions/${editionId}`)).status()).toBe(404);

    await page.getByRole('button', { name: 'Publish this edition' }).click();
    await page.locator('[data-status="published"]').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('This edition is published');
    expect(await page.locator('[data-hash="content"]').textContent()).toBe(hash);
    await context.close();
  });

  it('shows the published edition to the public: no script, OpenGraph card, PDF with its hash', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/fr/reports');
    await page.getByRole('link', { name: 'Les droits humains pendant le blocus' }).click();
    await page.waitForURL(`**/fr/reports/${editionId}`);
    visited.push(new URL(page.url()).pathname);
    // No code of the page's own: the JSON-LD block is data, and the shell's service-worker registration is not the page's.
    expect(
      await page.locator('script:not([src]):not([type="application/ld+json"]), script[src^="/_app/"]').count(),
    ).toBe(0);
    const og = await page.locator('meta[property="og:image"]').getAttribute('content');
    expect(og).toContain(`/api/public/editions/${editionId}/card?kind=day&format=png`);
    const card = await page.request.get(og!);
    expect(card.headers()['content-type']).toBe('image/png');

    const pdfLink = page.getByRole('link', { name: /Télécharger le PDF/ });
    const pdf = await page.request.get((await pdfLink.getAttribute('href'))!);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // A number links to the page saying how it was computed, from what.
    await page.locator('a.traced').first().click();
    await page.waitForURL(`**/fr/reports/${editionId}/numbers/t1`);
    visited.push(new URL(page.url()).pathname);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('1.');
    expect(await page.locator('article').textContent()).toContain('Asia/Yerevan');
    expect(
      await page.locator('script:not([src]):not([type="application/ld+json"]), script[src^="/_app/"]').count(),
    ).toBe(0);
    expect((await page.request.get(`/fr/reports/${editionId}/numbers/t999`)).status()).toBe(404);
    await context.close();
  });

  it('every page visited is axe-clean', async () => {
    const context = await browser.newContext();
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of visited) {
      await page.goto(path);
      problems.push(...(await axe(page)));
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
