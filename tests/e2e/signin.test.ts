import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, totpCode, type World } from './fixtures';
import { startServer, type TestServer } from './server';

describeWithBrowser('signing in and out', () => {
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

  it('works without JavaScript: sign in, see the workspace, sign out', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/sign-in');
    await page.getByLabel('Email').fill(world.documenter.email);
    await page.getByLabel('Password').fill(world.documenter.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/en/workspace');
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    expect(await page.getByText('Welcome, Dora Documenter.').count()).toBe(1);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'corridor_session')?.httpOnly).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/en/sign-in?status=signed-out');
    expect(await page.getByRole('status').textContent()).toContain('You have signed out.');
    expect((await context.cookies()).some((c) => c.name === 'corridor_session')).toBe(false);

    // Signed out, the workspace sends the reader back to sign-in, remembering where they were going.
    await page.goto('/en/workspace');
    expect(new URL(page.url()).pathname).toBe('/en/sign-in');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/en/workspace');
    await context.close();
  });

  it('shows a wrong password as an accessible alert, in the page language', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/fr/sign-in');
    await page.getByLabel('Adresse e-mail').fill(world.documenter.email);
    await page.getByLabel('Mot de passe').fill('not the password at all');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('L’adresse e-mail ou le mot de passe est incorrect.');
    // Empty fields are explained next to the field, and the input points at its message.
    const email = page.getByLabel('Adresse e-mail');
    expect(await email.inputValue()).toBe(world.documenter.email);
    await email.fill('');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('Champ obligatoire.');
    await context.close();
  });

  it('redirects a signed-out visitor to sign-in and back to the page they asked for (with JavaScript)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/fr/workspace/account');
    expect(new URL(page.url()).pathname).toBe('/fr/sign-in');
    await page.getByLabel('Adresse e-mail').fill(world.documenter.email);
    await page.getByLabel('Mot de passe').fill(world.documenter.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/fr/workspace/account');
    expect(await page.locator('h1').textContent()).toBe('Mon compte');
    await context.close();
  });

  it('keeps the page language across client-side navigation in the workspace', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/hy/sign-in');
    await page.getByLabel('Էլ. փոստ').fill(world.documenter.email);
    await page.getByLabel('Գաղտնաբառ').fill(world.documenter.password);
    await page.getByRole('button', { name: 'Մուտք գործել' }).click();
    await page.waitForURL('**/hy/workspace');
    await page.getByRole('link', { name: 'Իմ հաշիվը', exact: true }).click();
    await page.waitForURL('**/hy/workspace/account');
    expect(await page.locator('h1').textContent()).toBe('Իմ հաշիվը');
    await page.getByRole('link', { name: 'Վահանակ', exact: true }).click();
    await page.waitForURL('**/hy/workspace');
    expect(await page.locator('h1').textContent()).toBe('Վահանակ');
    expect(await page.locator('html').getAttribute('lang')).toBe('hy');
    await context.close();
  });

  it('ignores a redirectTo that leaves the site', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/sign-in?redirectTo=' + encodeURIComponent('//evil.example/phish'));
    await page.getByLabel('Email').fill(world.documenter.email);
    await page.getByLabel('Password').fill(world.documenter.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/en/workspace');
    expect(new URL(page.url()).origin).toBe(server.origin);
    await context.close();
  });

  it('asks for the authentication code when the account has 2FA', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/sign-in');
    await page.getByLabel('Email').fill(world.admin.email);
    await page.getByLabel('Password').fill(world.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('two-factor authentication');
    await page.getByLabel('Password').fill(world.admin.password);
    // The enrolment used the current 30-second step; codes are single-use, so take the next one.
    await code.fill(totpCode(world.admin.totpSecret, 30));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/en/workspace');
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(1);
    await context.close();
  });

  it('sends security headers, and never lets a workspace page be cached', async () => {
    const home = await fetch(`${server.origin}/en`);
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(home.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(home.headers.get('permissions-policy')).toContain('camera=()');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const workspace = await fetch(`${server.origin}/en/workspace`, {
      headers: { cookie: world.admin.client.cookie },
      redirect: 'manual',
    });
    expect(workspace.status).toBe(200);
    expect(workspace.headers.get('cache-control')).toBe('private, no-store');
  });
});
