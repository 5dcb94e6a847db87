import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, PASSWORD, type World } from './fixtures';
import { startServer, type TestServer } from './server';

describeWithBrowser('administration', () => {
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

  it('an admin invites a reviewer, and the link creates a signed-in account', async () => {
    const admin = await browser.newContext();
    await admin.addCookies([world.admin.client.sessionCookie()]);
    const page = await admin.newPage();
    await page.goto('/en/workspace/admin/users');
    await page.getByLabel('Email', { exact: true }).fill('rita@e2e.test');
    await page.getByLabel('Role', { exact: true }).selectOption('reviewer');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await page.getByTestId('invite-link').textContent())?.trim() ?? '';
    expect(link).toMatch(new RegExp(`^${server.origin}/en/invite/[A-Za-z0-9_-]+$`));
    const pending = page.getByRole('table').filter({ hasText: 'rita@e2e.test' });
    expect(await pending.getByRole('cell', { name: 'Reviewer' }).count()).toBe(1);

    // The invitee opens the link in another browser, without JavaScript.
    const invitee = await browser.newContext({ javaScriptEnabled: false });
    const form = await invitee.newPage();
    await form.goto(link);
    expect(await form.locator('h1').textContent()).toBe('Join Corridor');
    expect(await form.getByText('with the role: Reviewer').count()).toBe(1);
    expect(await form.getByLabel('Email').inputValue()).toBe('rita@e2e.test');
    await form.getByLabel('Your name').fill('Rita Reviewer');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Repeat the password').fill(PASSWORD + ' typo');
    await form.getByRole('button', { name: 'Create my account' }).click();
    expect(await form.getByText('The two passwords are not the same.').count()).toBe(1);

    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Repeat the password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create my account' }).click();
    await form.waitForURL('**/en/workspace');
    expect(await form.getByText('Welcome, Rita Reviewer.').count()).toBe(1);

    // Used once, the link is spent.
    await form.goto(link);
    expect(await form.getByRole('alert').textContent()).toContain('This link has already been used.');

    // Back with the admin: Rita is an account now, no longer a pending invitation.
    await page.reload();
    expect(await page.getByRole('row', { name: /Rita Reviewer/ }).count()).toBe(1);
    await invitee.close();
    await admin.close();
  });

  it('an admin changes a role and deactivates an account', async () => {
    const admin = await browser.newContext({ javaScriptEnabled: false });
    await admin.addCookies([world.admin.client.sessionCookie()]);
    const page = await admin.newPage();
    await page.goto('/en/workspace/admin/users');
    const row = page.getByRole('row', { name: /Dora Documenter/ });
    await row.getByLabel('Role of Dora Documenter').selectOption('communicator');
    await row.getByRole('button', { name: 'Save role' }).click();
    const updated = page.getByRole('row', { name: /Dora Documenter/ });
    expect(await updated.getByRole('status').textContent()).toContain('Saved.');
    expect(await updated.getByLabel('Role of Dora Documenter').inputValue()).toBe('communicator');

    await updated.getByRole('button', { name: 'Deactivate Dora Documenter' }).click();
    expect(
      await page
        .getByRole('row', { name: /Dora Documenter/ })
        .getByText('Deactivated')
        .count(),
    ).toBe(1);
    await admin.close();
  });

  it('the audit log lists what happened, filters it, and verifies the chain', async () => {
    const admin = await browser.newContext();
    await admin.addCookies([world.admin.client.sessionCookie()]);
    const page = await admin.newPage();
    await page.goto('/en/workspace/admin/audit');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(3);
    await page.getByLabel('Action').fill('user.totp.');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL('**/audit?*action=user.totp.*');
    const actions = await page.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith('user.totp.'))).toBe(true);

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('The chain is intact.');
    await admin.close();
  });

  it('an admin chooses which roles must use 2FA', async () => {
    const admin = await browser.newContext({ javaScriptEnabled: false });
    await admin.addCookies([world.admin.client.sessionCookie()]);
    const page = await admin.newPage();
    await page.goto('/en/workspace/admin/security');
    expect(await page.getByLabel('Administrator').isChecked()).toBe(true);
    expect(await page.getByLabel('Administrator').isDisabled()).toBe(true);
    await page.getByLabel('Journalist').check();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Security settings saved.');
    await page.goto('/en/workspace/admin/security');
    expect(await page.getByLabel('Journalist').isChecked()).toBe(true);
    const settings = await world.admin.client.ok<{ require2faRoles: string[] }>('GET', '/settings/security');
    expect(settings.require2faRoles.sort()).toEqual(['admin', 'journalist']);
    await admin.close();
  });

  it('a non-admin gets no administration pages', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/sign-in');
    await page.getByLabel('Email', { exact: true }).fill('rita@e2e.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/en/workspace');
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    const response = await page.goto('/en/workspace/admin/users');
    expect(response?.status()).toBe(403);
    await context.close();
  });
});
