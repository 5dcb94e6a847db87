import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { PASSWORD, totpCode } from './fixtures';
import { startServer, type TestServer } from './server';

describeWithBrowser('first start', () => {
  let server: TestServer;
  let browser: BrowserHandle;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(server.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the setup link creates the first admin, who must enrol 2FA before anything else (no JavaScript)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/hy/setup/${server.setupToken}`);
    expect(await page.locator('h1').textContent()).toBe('Ստեղծել առաջին ադմինիստրատորին');
    await page.getByLabel('Ձեր անունը').fill('Անի Ադմին');
    await page.getByLabel('Էլ. փոստ').fill('ani@e2e.test');
    await page.getByLabel('Գաղտնաբառ', { exact: true }).fill('short');
    await page.getByLabel('Կրկնեք գաղտնաբառը').fill('short');
    await page.getByRole('button', { name: 'Ստեղծել իմ հաշիվը' }).click();
    expect(await page.getByText('Առնվազն 12 նիշ։', { exact: true }).count()).toBe(1);

    await page.getByLabel('Գաղտնաբառ', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Կրկնեք գաղտնաբառը').fill(PASSWORD);
    await page.getByRole('button', { name: 'Ստեղծել իմ հաշիվը' }).click();
    await page.waitForURL('**/hy/workspace/enrol');

    // Until the second factor is there, every workspace page leads back here.
    await page.goto('/hy/workspace/admin/users');
    expect(new URL(page.url()).pathname).toBe('/hy/workspace/enrol');

    await page.getByRole('button', { name: 'Կարգավորել երկգործոն նույնականացումը' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.locator('a[href^="otpauth://totp/"]').count()).toBe(1);
    const qr = page.getByTestId('totp-qr');
    expect(await qr.locator('svg path').count()).toBeGreaterThan(0);
    expect(await page.getByRole('img', { name: /QR/ }).count()).toBe(1);

    await page.getByLabel('Հավելվածի կոդը').fill('000000');
    await page.getByRole('button', { name: 'Միացնել' }).click();
    expect(await page.getByRole('alert').first().textContent()).toBeTruthy();
    // The secret is still on screen after a wrong code, so the reader can try again.
    expect((await page.getByTestId('totp-secret').textContent())?.trim()).toBe(secret);

    await page.getByLabel('Հավելվածի կոդը').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Միացնել' }).click();
    await page.waitForURL('**/hy/workspace');
    expect(await page.getByRole('link', { name: 'Օգտատերեր' }).count()).toBe(1);

    // A setup link works once.
    await page.goto(`/en/setup/${server.setupToken}`);
    expect(await page.getByRole('alert').textContent()).toMatch(/already been used|not valid/);
    await context.close();
  });
});
