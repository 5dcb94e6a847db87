import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, createWorld, signIn, type World } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The crisis dashboard as a documenter uses it with JavaScript off: set the crisis, record a disruption (an error
 * shown next to its field first), an indicator and an observation; the counters show; every page is axe-clean; the
 * embeddable counter is framable, cacheable and script-free.
 */
describeWithBrowser('crisis dashboard', () => {
  let server: TestServer;
  let world: World;
  let browser: BrowserHandle;
  let context: BrowserContext;
  let page: Page;
  let documenter: ApiClient;
  /** Pages checked with axe at the end, in a context with JavaScript (axe runs as a script). */
  const visited = new Set<string>();

  const mark = () => visited.add(new URL(page.url()).pathname + new URL(page.url()).search);

  async function axe(p: Page) {
    const { violations } = await new AxeBuilder({ page: p }).analyze();
    return violations.map((v) => `${p.url()}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    browser = await launchBrowser(server.origin);
    documenter = await signIn(server.origin, world.documenter);
    await documenter.ok('POST', '/sources', {
      type: 'study-report',
      title: 'Ombudsman report, 100 days',
      date: '2023-03-21',
      datePrecision: 'day',
    });
    context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([documenter.sessionCookie()]);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('sets the crisis through the settings form, without JavaScript', async () => {
    await page.goto('/en/workspace/crisis');
    expect(
      await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Crisis dashboard' }).count(),
    ).toBe(1);
    await page.getByRole('link', { name: 'Crisis settings' }).click();
    await page.waitForURL('**/en/workspace/crisis/settings');
    await page.getByLabel('English').fill('Blockade of the Lachin corridor');
    await page.getByLabel('Start (local time)').fill('2022-12-12T10:30');
    await page.getByLabel('Time zone').fill('Asia/Yerevan');
    // A population figure without its source is refused next to the field.
    await page.locator('#f-population-0-label').fill('Population');
    await page.locator('#f-population-0-value').fill('120 000');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#f-population-0-sourceId-error').textContent()).toContain('needs its source');
    mark();
    await page.locator('#f-population-0-sourceId').selectOption({ label: 'Ombudsman report, 100 days (2023-03-21)' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/en/workspace/crisis');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Blockade of the Lachin corridor');
  });

  it('records a disruption, refusing a date before the crisis next to its field', async () => {
    await page.goto('/en/workspace/crisis/disruptions/new');
    await page.getByLabel('Service', { exact: true }).selectOption('electricity');
    await page.locator('#f-intervals-0-start').fill('2022-12-01');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#f-intervals-0-start-error').textContent()).toContain('2022-12-12');
    mark();
    await page.locator('#f-intervals-0-start').fill('2023-01-13');
    await page.locator('#f-intervals-0-end').fill('2023-01-16');
    await page.locator('#f-intervals-1-start').fill('2023-01-15');
    await page.locator('#f-intervals-1-end').fill('2023-01-20');
    await page.locator('#f-intervals-1-severity').selectOption('partial');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/en\/workspace\/crisis\/disruptions\/[^/]+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Electricity');
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3);
    mark();
    // The details can be changed afterwards, e.g. to mark the dates illustrative.
    await page.getByLabel('Area').fill('Whole region');
    await page.getByRole('checkbox', { name: /Illustrative/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Saved.');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('illustrative');
    expect(await page.getByLabel('Area').inputValue()).toBe('Whole region');
  });

  it('creates an indicator and an observation, and shows the shortfall in words', async () => {
    await page.goto('/en/workspace/crisis/indicators/new');
    await page.locator('#f-name-en').fill('Vehicles crossing');
    await page.locator('#f-unit-en').fill('vehicles');
    await page.getByLabel('Baseline per day').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#f-baselinePerDay-error').textContent()).toContain('greater than 0');
    mark();
    await page.getByLabel('Baseline per day').fill('1000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/en\/workspace\/crisis\/indicators\/[^/]+$/);
    // Day 30 is 2023-01-10.
    await page.getByLabel('As of', { exact: true }).fill('2023-01-10');
    await page.getByLabel('Value', { exact: true }).fill('600');
    await page.getByRole('button', { name: 'Add an observation' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Saved.');
    expect(await page.getByRole('table').getByRole('row').count()).toBe(2);
    mark();
  });

  it('shows the counters as of a date, the timeline with its table, and the indicator', async () => {
    await page.goto('/en/workspace/crisis?asOf=2023-01-30');
    expect(await page.getByTestId('day-counter').textContent()).toBe('Day 50');
    const services = page.getByRole('region', { name: 'Services cut' });
    const electricity = services.getByRole('row', { name: /Electricity/ }).first();
    // Complete 13–16 January, partial 17–20: 8 days in all.
    expect(await electricity.getByRole('cell').allTextContents()).toEqual(['4', '4', '8', 'not cut']);
    expect(await page.getByRole('img', { name: 'Timeline of disruptions' }).count()).toBe(1);
    const indicators = page.getByRole('region', { name: 'Indicators: expected against observed' });
    expect(await indicators.textContent()).toContain('about 83 times fewer');
    mark();
    await page.goto('/en/workspace/crisis?asOf=2022-01-01');
    expect(await page.locator('#f-asOf-error').textContent()).toContain('before the crisis started');
  });

  it('serves an embeddable counter that other sites may frame, without scripts, cacheable', async () => {
    const res = await fetch(`${server.origin}/hy/embed/counter?service=electricity`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(res.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toContain('public');
    const html = await res.text();
    expect(html).not.toContain('<script');
    // Tiny: one request, well under 2 KB before compression.
    expect(new TextEncoder().encode(html).length).toBeLessThan(2048);
    expect(html).toContain('lang="hy"');
    expect(html).toContain('Էլեկտրաէներգիա'.toLowerCase());
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${server.origin}/hy/embed/counter?service=electricity`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    // The rest of the site still refuses to be framed.
    expect((await fetch(`${server.origin}/en/sign-in`)).headers.get('x-frame-options')).toBe('DENY');
    const p = await context.newPage();
    await p.goto('/en/embed/counter');
    expect(await p.locator('.n').textContent()).toMatch(/^Day \d+$/);
    await p.close();
    visited.add('/en/embed/counter?service=electricity');
  });

  it('has no accessibility violations on the pages visited, nor on a form showing its errors', async () => {
    const withJs = await browser.newContext();
    await withJs.addCookies([documenter.sessionCookie()]);
    const p = await withJs.newPage();
    const report: string[] = [];
    expect(visited.size).toBeGreaterThanOrEqual(6);
    for (const path of visited) {
      await p.goto(path, { waitUntil: 'networkidle' });
      report.push(...(await axe(p)));
    }
    await p.goto('/en/workspace/crisis/disruptions/new', { waitUntil: 'networkidle' });
    await p.getByRole('button', { name: 'Save' }).click();
    await p.getByRole('alert').waitFor();
    await p.waitForLoadState('networkidle');
    report.push(...(await axe(p)));
    await withJs.close();
    expect(report, report.join('\n')).toEqual([]);
  });
});
