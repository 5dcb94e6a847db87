import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The evidence vault and the photo bank, driven as staff use them, on the demo data (`serve --demo`): a documenter
 * uploads a photo with GPS without JavaScript and sees its metadata; a communicator sees the same file without it;
 * the resumable upload works with JavaScript; the gallery lists the demo pictures and the withdrawn one answers 410 on
 * its public address. Every page is axe-clean.
 */

describeWithBrowser('evidence vault and photo bank pages', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let documenter: ApiClient;
  let communicator: ApiClient;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  let curator: BrowserContext;
  let curatorJs: BrowserContext;
  const dir = mkdtempSync(path.join(tmpdir(), 'corridor-e2e-evidence-files-'));
  let gpsFile = '';
  let itemPath = '';

  const signedIn = (role: string) => demoSignIn(server.origin, role);
  const axe = async (page: Page, label: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations.map(
      (v) => `${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  };

  const axeAt = async (context: BrowserContext, at: string) => {
    const page = await context.newPage();
    await page.goto(at);
    const found = await axe(page, at);
    await page.close();
    return found;
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    documenter = await signedIn('documenter');
    communicator = await signedIn('communicator');
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    await noJs.addCookies([documenter.sessionCookie()]);
    withJs = await browser.newContext();
    await withJs.addCookies([documenter.sessionCookie()]);
    curator = await browser.newContext({ javaScriptEnabled: false });
    await curator.addCookies([communicator.sessionCookie()]);
    curatorJs = await browser.newContext();
    await curatorJs.addCookies([communicator.sessionCookie()]);
    gpsFile = path.join(dir, 'checkpoint.jpg');
    writeFileSync(
      gpsFile,
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4a6fa5' } })
        .jpeg()
        .withExif({
          IFD0: { Make: 'E2ECam', Model: 'Z9' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '39/1 45/1 29/1',
            GPSLongitudeRef: 'E',
            GPSLongitude: '46/1 44/1 56/1',
          },
        })
        .toBuffer(),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads without JavaScript and shows the camera and GPS to the documenter only', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/evidence');
    await page.getByLabel('File', { exact: true }).setInputFiles(gpsFile);
    await page.getByLabel('Title').first().fill('Checkpoint at dawn');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForLoadState();
    await page.getByText(/Kept as E-\d{4}/).waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: '→' }).first().click();
    await page.waitForURL(/\/en\/workspace\/evidence\/[^/]+$/);
    itemPath = new URL(page.url()).pathname;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Checkpoint at dawn');
    expect(await page.content()).toContain('E2ECam Z9');
    expect(await page.content()).toMatch(/39\.758/);
    // axe runs a script: the same pages, opened with JavaScript.
    const problems = [...(await axeAt(withJs, '/en/workspace/evidence')), ...(await axeAt(withJs, itemPath))];

    const other = await curator.newPage();
    await other.goto(itemPath);
    const html = await other.content();
    expect(html).toContain('Checkpoint at dawn');
    expect(html).not.toContain('E2ECam');
    expect(html).not.toMatch(/39\.758/);
    expect(problems).toEqual([]);
  });

  it('takes a resumable upload with JavaScript and reports progress', async () => {
    const page = await withJs.newPage();
    await page.goto('/en/workspace/evidence');
    const big = path.join(dir, 'long-shot.png');
    writeFileSync(
      big,
      await sharp({
        create: {
          width: 900,
          height: 700,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 120, sigma: 40 },
        },
      })
        .png()
        .toBuffer(),
    );
    await page.locator('#tus-file').setInputFiles(big);
    await page.locator('#tus-title-f').fill('Long shot');
    await page.locator('#tus-title').locator('..').getByRole('button', { name: 'Upload' }).click();
    await page
      .getByText(/Kept as E-\d{4}/)
      .last()
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('progress').getAttribute('value')).toBe(
      await page.locator('progress').getAttribute('max'),
    );
  });

  it('lists the demo pictures in the gallery, and the withdrawn one answers 410 publicly', async () => {
    const page = await curator.newPage();
    await page.goto('/en/workspace/photos');
    expect(await page.locator('.gallery li').count()).toBeGreaterThanOrEqual(4);
    await page.goto('/en/workspace/photos?status=unpublished');
    await page.locator('.gallery a').first().click();
    await page.waitForURL(/\/en\/workspace\/photos\/[^/]+$/);
    expect(await page.content()).toContain('Withdrawn');
    const problems = [
      ...(await axeAt(curatorJs, '/en/workspace/photos')),
      ...(await axeAt(curatorJs, new URL(page.url()).pathname)),
    ];
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect((await fetch(`${server.origin}/api/public/photos/${id}`)).status).toBe(410);
    const pub = (await (await fetch(`${server.origin}/api/public/photos`)).json()) as { items: { id: string }[] };
    expect(pub.items.map((i) => i.id)).not.toContain(id);
    expect(pub.items.length).toBe(3);
    expect(problems).toEqual([]);
  });
});
