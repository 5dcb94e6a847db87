import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, totpCode, type World } from './fixtures';
import { startServer, type TestServer } from './server';

describeWithBrowser('my account', () => {
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

  async function signIn(page: Page) {
    await page.goto('/en/sign-in?redirectTo=%2Fen%2Fworkspace%2Faccount');
    await page.getByLabel('Email').fill(world.documenter.email);
    await page.getByLabel('Password').fill(world.documenter.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/en/workspace/account');
  }

  it('creates an API token, shows it once, and revokes it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    expect(await page.getByText('You have no API tokens.').count()).toBe(1);
    await page.getByLabel('Token name').fill('import script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(20);
    const me = await fetch(`${server.origin}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { email: string }).email).toBe(world.documenter.email);

    await page.goto('/en/workspace/account');
    expect(await page.getByTestId('new-token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke token import script' }).click();
    expect(await page.getByRole('status').textContent()).toContain('The token has been revoked.');
    const after = await fetch(`${server.origin}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await context.close();
  });

  it('explains a wrong current password next to the field', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    const current = page.getByLabel('Current password');
    expect(await current.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await current.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('The current password is not correct.');
    await context.close();
  });

  it('turns two-factor authentication on from My account', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.waitForLoadState();
    // On failure, say what the page said instead (a refused code, an error page), not only that the text is missing.
    await expect
      .poll(() => page.getByText('Two-factor authentication is now on.').count(), {
        message: `after Turn on: ${page.url()}`,
      })
      .toBe(1)
      .catch(async (err: unknown) => {
        throw new Error(`${String(err)}\n--- page text ---\n${await page.locator('body').innerText()}`);
      });
    expect(await page.getByRole('button', { name: 'Turn off' }).count()).toBe(1);
    await context.close();
  });
});
