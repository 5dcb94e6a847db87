import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld } from './fixtures';
import { startServer, type TestServer } from './server';

const PAGES: { path: string; signedIn: boolean }[] = [
  { path: '', signedIn: false },
  { path: '/sign-in', signedIn: false },
  { path: '/workspace', signedIn: true },
  { path: '/workspace/account', signedIn: true },
  { path: '/workspace/admin/users', signedIn: true },
  { path: '/workspace/admin/groups', signedIn: true },
  { path: '/workspace/admin/audit', signedIn: true },
  { path: '/workspace/admin/security', signedIn: true },
];
// English and Armenian: the Armenian script and its longer words are where layouts and labels break first.
const LOCALES = ['en', 'hy'];

describeWithBrowser('accessibility (axe)', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let anonymous: BrowserContext;
  let admin: BrowserContext;

  beforeAll(async () => {
    server = await startServer();
    const world = await createWorld(server);
    browser = await launchBrowser(server.origin);
    anonymous = await browser.newContext();
    admin = await browser.newContext();
    await admin.addCookies([world.admin.client.sessionCookie()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const locale of LOCALES) {
    for (const { path, signedIn } of PAGES) {
      it(`/${locale}${path} has no axe violations`, async () => {
        const page = await (signedIn ? admin : anonymous).newPage();
        const response = await page.goto(`/${locale}${path}`);
        expect(response?.status()).toBe(200);
        expect(new URL(page.url()).pathname).toBe(`/${locale}${path}`);
        const { violations, passes } = await new AxeBuilder({ page }).analyze();
        await page.close();
        const report = violations.map(
          (v) => `${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
        expect(report, report.join('\n')).toEqual([]);
        expect(passes.length).toBeGreaterThan(10);
      });
    }
  }
});
