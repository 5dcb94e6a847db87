import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { crawlPortal, LOCALES, type PortalPage } from './portal-crawl';
import { startServer, type TestServer } from './server';

/**
 * Issue 7's accessibility and security bar, on every public page reachable from the four home pages, in every
 * language, with JavaScript on and off: axe finds nothing (WCAG 2.2 AA), the first Tab lands on the skip link with
 * a visible focus ring, the security headers are there, and the browser reports no CSP violation.
 */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

describeWithBrowser('public portal: accessibility and security', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let pages: PortalPage[];
  const contexts: Record<'on' | 'off' | 'axeOff', BrowserContext | undefined> = {
    on: undefined,
    off: undefined,
    axeOff: undefined,
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    // One page per template: it is the template (layout, components) that axe judges, not each record's text.
    pages = await crawlPortal(server.origin, { perTemplate: 1 });
    browser = await launchBrowser(server.origin);
    contexts.on = await browser.newContext();
    contexts.off = await browser.newContext({ javaScriptEnabled: false });
    // axe cannot run where scripts are disabled (it waits on timers that never fire). The no-JavaScript page is
    // rebuilt for it: the page's own scripts refused, <noscript> content shown as a browser without JavaScript does.
    contexts.axeOff = await browser.newContext();
    await contexts.axeOff.route('**/*', async (route) => {
      const type = route.request().resourceType();
      if (type === 'script') return route.abort();
      if (type !== 'document') return route.continue();
      const response = await route.fetch();
      const body = (await response.text()).replace(/<(\/?)noscript>/gi, '<$1div>');
      return route.fulfill({ response, body });
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Everything wrong with one page, as lines of a report (empty when it passes). */
  async function check(page: Page, axePage: Page, path: string, cspErrors: string[]): Promise<string[]> {
    const problems: string[] = [];
    cspErrors.length = 0;
    const response = await page.goto(path, { waitUntil: 'load' });
    if (response?.status() !== 200) return [`${path}: status ${response?.status()}`];

    const h = await response.allHeaders();
    const csp = h['content-security-policy'] ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    if (!csp) problems.push(`${path}: no Content-Security-Policy`);
    if (!/frame-ancestors 'none'/.test(csp)) problems.push(`${path}: CSP without frame-ancestors 'none'`);
    if (/unsafe-inline|unsafe-eval/.test(scriptSrc)) problems.push(`${path}: script-src allows ${scriptSrc}`);
    if (/unsafe-inline|unsafe-eval/.test(csp)) problems.push(`${path}: the CSP allows inline code or styles: ${csp}`);
    if (!/style-src-elem 'self'/.test(csp)) problems.push(`${path}: style elements not restricted`);
    const expected: Record<string, RegExp> = {
      'x-content-type-options': /^nosniff$/,
      'referrer-policy': /^(strict-origin-when-cross-origin|no-referrer|same-origin|strict-origin)$/,
      'permissions-policy': /camera=\(\)/,
      'cross-origin-opener-policy': /^same-origin$/,
      'x-frame-options': /^DENY$/,
    };
    for (const [name, pattern] of Object.entries(expected))
      if (!pattern.test(h[name] ?? '')) problems.push(`${path}: ${name} is ${JSON.stringify(h[name] ?? null)}`);

    // Keyboard: from the top of the page, the first Tab reaches the skip link, and its focus can be seen.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const style = el ? getComputedStyle(el) : null;
      return {
        skip: !!el?.classList.contains('skip-link') && el.getAttribute('href') === '#main',
        target: !!document.getElementById('main'),
        outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none',
        visible: !!el && el.getBoundingClientRect().top >= 0,
      };
    });
    if (!focus.skip) problems.push(`${path}: the first Tab does not reach the skip link`);
    if (!focus.target) problems.push(`${path}: the skip link's target #main is missing`);
    if (/^none|\s0px$/.test(focus.outline)) problems.push(`${path}: no visible focus ring (${focus.outline})`);
    if (!focus.visible) problems.push(`${path}: the focused skip link stays off screen`);

    if (axePage !== page) await axePage.goto(path, { waitUntil: 'load' });
    const { violations } = await new AxeBuilder({ page: axePage }).withTags(WCAG).analyze();
    for (const v of violations)
      problems.push(
        `${path}: axe ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );

    for (const e of cspErrors) problems.push(`${path}: ${e}`);
    return problems;
  }

  for (const js of ['off', 'on'] as const) {
    for (const locale of LOCALES) {
      it(`/${locale}: every public page passes with JavaScript ${js}`, async () => {
        const mine = pages.filter((p) => p.locale === locale);
        expect(mine.length).toBeGreaterThan(0);
        const page = await contexts[js]!.newPage();
        const cspErrors: string[] = [];
        page.on('console', (msg) => {
          if (/Content.Security.Policy|Refused to/i.test(msg.text())) cspErrors.push(`console: ${msg.text()}`);
        });
        page.on('pageerror', (err) => cspErrors.push(`page error: ${err.message}`));
        const report: string[] = [];
        const axePage = js === 'off' ? await contexts.axeOff!.newPage() : page;
        for (const { path } of mine) report.push(...(await check(page, axePage, path, cspErrors)));
        await page.close();
        if (axePage !== page) await axePage.close();
        console.log(`  /${locale} JavaScript ${js}: ${mine.length} pages, ${report.length} problems`);
        expect(report, report.join('\n')).toEqual([]);
      }, 240_000);
    }
  }
});
