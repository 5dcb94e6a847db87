import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, signIn, type World } from './fixtures';
import { startServer, type TestServer } from './server';

const CSV = [
  'external_id,title_en,summary_en,start_date,end_date,rights,tags',
  'e2e-1,Gas supply cut,The gas pipeline was cut.,2023-03-22,,IND-HEALTH,gas',
  'e2e-2,Ends before it starts,Summary.,2023-05-10,2023-05-01,,',
  'e2e-3,Road closed,The road was closed.,2023-06,,IND-MOVEMENT,road',
].join('\r\n');

describeWithBrowser('CSV import page', () => {
  let server: TestServer;
  let world: World;
  let browser: BrowserHandle;

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    browser = await launchBrowser(server.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the import page is in the navigation and on the records list for those who may import, not for a documenter', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/records');
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    expect(await nav.getByRole('link', { name: 'Import', exact: true }).getAttribute('href')).toBe(
      '/en/workspace/import',
    );
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.waitForURL('**/en/workspace/import');
    expect(await nav.getByRole('link', { name: 'Import', exact: true }).getAttribute('aria-current')).toBe('page');
    await context.close();

    const documenter = await signIn(server.origin, world.documenter);
    const other = await browser.newContext({ javaScriptEnabled: false });
    await other.addCookies([documenter.sessionCookie()]);
    const page2 = await other.newPage();
    await page2.goto('/en/workspace/records');
    expect(await page2.getByRole('link', { name: 'Records', exact: true }).count()).toBe(1);
    expect(await page2.getByRole('link', { name: /^Import/ }).count()).toBe(0);
    await other.close();
  });

  it('checks a file, shows its errors by line, imports the valid rows and shows the progress end, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/import');
    await page.locator('#file').setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Check the file' }).click();

    await page.waitForURL(/\/en\/workspace\/import\/[^/]+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Import of register.csv');
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('checked');
    expect(await page.getByText('3 rows: 2 to create, 0 to update, 1 with errors.').count()).toBe(1);
    const preview = page.getByRole('region', { name: 'Preview of the first rows' });
    expect(await preview.getByRole('row').count()).toBe(4);
    const errors = page.getByRole('region', { name: 'Rows with errors' });
    const first = errors.getByRole('row').nth(1);
    expect(await first.getByRole('cell').nth(0).textContent()).toBe('3');
    expect(await first.getByRole('cell').nth(1).textContent()).toBe('end_date');
    expect(await first.getByRole('cell').nth(2).textContent()).toContain('before the start date');
    // Nothing is written by the check.
    expect((await world.admin.client.ok<{ items: unknown[] }>('GET', '/records')).items).toEqual([]);
    expect(await page.getByRole('button', { name: 'Import all rows' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Import only the valid rows (2)' }).click();
    // The page refreshes itself (a meta refresh without JavaScript) until the import is done.
    await page.locator('[data-status="done"]').waitFor({ timeout: 30_000 });
    const progress = page.locator('progress');
    expect(await progress.getAttribute('value')).toBe('3');
    expect(await progress.getAttribute('max')).toBe('3');
    expect(await page.locator('[data-result]').textContent()).toContain(
      '2 created, 0 updated, 0 unchanged, 1 left out.',
    );
    const records = await world.admin.client.ok<{ items: { titles: Record<string, string> }[] }>('GET', '/records');
    expect(records.items.map((r) => r.titles.en).sort()).toEqual(['Gas supply cut', 'Road closed']);
    await context.close();
  });

  it('says why a file is refused (not UTF-8), and writes nothing', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/import');
    const latin1 = Buffer.from('external_id,title_en,summary_en\r\nl-1,Café,Résumé\r\n', 'latin1');
    await page.locator('#file').setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('This file cannot be imported, and nothing was written.');
    expect(await alert.textContent()).toContain('not in UTF-8');
    await context.close();
  });
});
