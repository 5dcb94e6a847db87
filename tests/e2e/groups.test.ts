import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { createWorld, type World } from './fixtures';
import { startServer, type TestServer } from './server';

describeWithBrowser('groups (admin)', () => {
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

  it('creates a group, names its members and deletes it, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([world.admin.client.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/admin/groups');
    expect(await page.getByText('No groups yet.').count()).toBe(1);

    // An empty name is explained next to the field.
    await page.getByRole('button', { name: 'Create group' }).click();
    const name = page.locator('#f-name');
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await name.fill('Field team');
    await page.locator('#f-description').fill('Visits the border villages');
    await page.getByRole('button', { name: 'Create group' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Group created.');
    expect(await page.getByRole('heading', { name: 'Field team' }).count()).toBe(1);

    const members = page.getByRole('group', { name: 'Members of Field team' });
    await members.getByLabel(/Dora Documenter/).check();
    await page.getByRole('button', { name: 'Save group' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Group saved.');
    const groups = await world.admin.client.ok<{ items: { name: string; memberIds: string[] }[] }>('GET', '/groups');
    expect(groups.items).toEqual([expect.objectContaining({ name: 'Field team', memberIds: [expect.any(String)] })]);
    expect(await members.getByLabel(/Dora Documenter/).isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Delete the group Field team' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Group deleted.');
    expect((await world.admin.client.ok<{ items: unknown[] }>('GET', '/groups')).items).toEqual([]);
    await context.close();
  });
});
