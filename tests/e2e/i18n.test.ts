import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { startServer, type TestServer } from './server';

const HOME_TITLES = {
  en: 'Documenting the crisis, fact by fact',
  fr: 'Documenter la crise, fait par fait',
  hy: 'Ճգնաժամի փաստագրում՝ փաստ առ փաստ',
  ru: 'Документируем кризис, факт за фактом',
} as const;

describeWithBrowser('languages', () => {
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

  it('sends / to the language the browser prefers, then to the one last chosen', async () => {
    const context = await browser.newContext({
      locale: 'ru-RU',
      extraHTTPHeaders: { 'accept-language': 'ru-RU,ru;q=0.9' },
    });
    const page = await context.newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/ru');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');

    await page.getByRole('link', { name: 'Հայերեն' }).click();
    await page.waitForURL('**/hy');
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/hy');
    await context.close();
  });

  it('switches language with the links, keeping the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/en');
    expect(await page.locator('h1').textContent()).toBe(HOME_TITLES.en);
    for (const [locale, name] of [
      ['fr', 'Français'],
      ['hy', 'Հայերեն'],
      ['ru', 'Русский'],
      ['en', 'English'],
    ] as const) {
      await page
        .getByRole('navigation', { name: /Language|Langue|Լեզու|Язык/ })
        .getByRole('link', { name })
        .click();
      await page.waitForURL(`**/${locale}`);
      expect(new URL(page.url()).pathname).toBe(`/${locale}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await page.locator('h1').textContent()).toBe(HOME_TITLES[locale]);
    }

    // On an inner page the switch keeps the path and the query.
    await page.goto('/en/sign-in?redirectTo=%2Fen%2Fworkspace');
    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL('**/ru/sign-in?redirectTo=*');
    expect(await page.locator('h1').textContent()).toBe('Вход');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await context.close();
  });

  it('ships no SvelteKit JavaScript on public pages, only the offline copy’s registration', async () => {
    for (const path of ['/en', '/hy/sign-in']) {
      const html = await (await fetch(`${server.origin}${path}`)).text();
      // JSON-LD is data, never run: only scripts that execute count.
      const scripts = (html.match(/<script\b[^>]*>/gi) ?? []).filter((t) => !t.includes('application/ld+json'));
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toMatch(/^<script src="\/sw-register\.js" defer(="")?>$/);
      expect(html).not.toMatch(/modulepreload/i);
    }
  });

  it('answers an unknown page with a 404 in the page language', async () => {
    const response = await fetch(`${server.origin}/fr/nowhere`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Page introuvable');
  });
});
