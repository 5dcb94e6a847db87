import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The portal's home, records (search, facets, a record) and timeline, read with JavaScript off in English and
 * Armenian (French and Russian where it matters) on the demo data. The demo publishes some of its six records; the
 * demo documenter submits the other drafts but one and the demo reviewer publishes them (four eyes), so five are
 * public; the sixth stays a draft and must appear nowhere. The demo records are written in English and French only,
 * so an Armenian reader gets the English original, marked, with lang="en" on the text. Every page visited is
 * axe-clean.
 */

/** The page's own code (see portal-pages.test.ts): the shell's deferred service-worker registration is allowed. */
const EXECUTABLE =
  'script:not([src]):not([type="application/ld+json"]), script[src^="/_app/"], link[rel="modulepreload"]';

const ROAD = 'Goris–Stepanakert highway through the Lachin (Berdzor) corridor blocked';
const ROAD_FR = 'L’axe Goris–Stepanakert, dans le corridor de Latchine (Berdzor), bloqué';
const GAS = 'Natural gas supply repeatedly disrupted during the blockade';
const CABLE = 'Only fibre-optic cable and only high-voltage power line damaged; repairs not allowed';
/** Left a draft: on no public page, in no count. */
const DRAFT = '30,000 children out of school because classrooms could not be heated';

describeWithBrowser('public portal: home, records, a record, timeline', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  const ids: Record<string, string> = {};
  const visited = new Set<string>();

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const documenter = await demoSignIn(server.origin, 'documenter');
    const reviewer = await demoSignIn(server.origin, 'reviewer');
    const { items } = await documenter.ok<{ items: { id: string; status: string; titles: Record<string, string> }[] }>(
      'GET',
      '/records?tag=demo&limit=50',
    );
    for (const r of items) ids[r.titles.en!] = r.id;
    expect(Object.keys(ids)).toContain(DRAFT);
    // The demo publishes some of its records itself; the others but one are published here.
    for (const r of items) {
      if (r.titles.en === DRAFT || r.status !== 'draft') continue;
      await documenter.ok('POST', `/records/${r.id}/transitions`, { to: 'in-review' });
      await reviewer.ok('POST', `/records/${r.id}/transitions`, { to: 'approved' });
      await reviewer.ok('POST', `/records/${r.id}/transitions`, { to: 'published' });
    }
    expect(items.find((r) => r.titles.en === DRAFT)?.status).toBe('draft');
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    withJs = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = async (path: string, status = 200): Promise<Page> => {
    const page = await noJs.newPage();
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(status);
    expect(await page.locator(EXECUTABLE).count(), `${path}: no script`).toBe(0);
    expect(await page.content(), `${path}: the draft`).not.toContain(DRAFT);
    visited.add(new URL(page.url()).pathname + new URL(page.url()).search);
    return page;
  };
  const text = async (page: Page, selector = 'main') => (await page.locator(selector).textContent()) ?? '';

  it('home: day counter, days without each service, latest records, current report, latest photos', async () => {
    const en = await open('/en');
    const today = en.locator('section[aria-labelledby="today"]');
    expect(await today.locator('.day').getAttribute('data-day')).toMatch(/^\d+$/);
    expect(await text(en, 'section[aria-labelledby="today"]')).toMatch(/Day [\d,]+/);
    for (const service of ['gas', 'electricity', 'internet'])
      expect(await today.locator(`li[data-service="${service}"]`).textContent()).toMatch(
        new RegExp(`\\d+ days? without ${service}`),
      );
    // The demo's gas dates are illustrative: said so next to the number.
    expect(await today.locator('li[data-service="gas"]').textContent()).toContain('Illustrative');
    expect(await en.getByRole('link', { name: 'How these numbers are computed' }).getAttribute('href')).toBe(
      '/en/methodology',
    );

    const latest = en.locator('section[aria-labelledby="latest-records"]');
    expect(await latest.getByRole('link', { name: ROAD }).getAttribute('href')).toBe(`/en/records/${ids[ROAD]}`);
    expect(await latest.locator('li').count()).toBe(5);

    const report = en.locator('section[aria-labelledby="current-report"]');
    const pdf = await report.getByRole('link', { name: 'Download the PDF' }).getAttribute('href');
    const got = await en.request.get(pdf!);
    expect((await got.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await report.getByRole('link', { name: 'Read it online' }).getAttribute('href')).toMatch(
      /^\/en\/reports\/[^/]+$/,
    );

    const photos = en.locator('section[aria-labelledby="latest-photos"] figure');
    expect(await photos.count()).toBeGreaterThan(0);
    const img = photos.first().locator('img');
    expect(await photos.first().locator('source[type="image/webp"]').getAttribute('srcset')).toMatch(
      /thumb\.webp 320w/,
    );
    expect(await img.getAttribute('srcset')).toMatch(/thumb\.jpeg 320w/);
    expect(await img.getAttribute('loading')).toBe('lazy');
    expect(Number(await img.getAttribute('width'))).toBeGreaterThan(0);
    expect(Number(await img.getAttribute('height'))).toBeGreaterThan(0);
    expect(await img.getAttribute('alt')).toBe(
      (await photos.first().locator('figcaption span[lang]').first().textContent())?.trim(),
    );
    // The attributed highlights are still there, with their sources.
    expect(await text(en, 'section[aria-labelledby="highlights"]')).toContain('Source:');

    // Armenian: the interface in Armenian, the records in their English original, marked, with lang="en".
    const hy = await open('/hy');
    expect(await hy.locator('html').getAttribute('lang')).toBe('hy');
    expect(await text(hy, 'section[aria-labelledby="today"]')).toMatch(/Օր [\d\s ]+/);
    expect(await text(hy, 'li[data-service="gas"]')).toContain('առանց գազի');
    const road = hy.locator('section[aria-labelledby="latest-records"] li', { hasText: ROAD });
    expect(await road.locator('span[lang]').first().getAttribute('lang')).toBe('en');
    expect((await road.locator('[data-original]').textContent())?.trim()).toBe('Բնագիրը՝ անգլերեն');
    await en.close();
    await hy.close();
  });

  it('records: a search with highlighted snippets, a facet, paging state kept in the address', async () => {
    const all = await open('/en/records');
    expect(await all.locator('h1').textContent()).toBe('Records');
    expect(await all.locator('.total').getAttribute('data-total')).toBe('5');
    expect(await text(all, '.total')).toBe('5 records');
    expect(await all.locator('ol.hits > li').count()).toBe(5);

    // The search box is a GET form: type and submit without JavaScript.
    await all.getByLabel('Search the records').fill('gas');
    await all.getByRole('button', { name: 'Search', exact: true }).click();
    await all.waitForURL(/\/en\/records\?q=gas/);
    visited.add(new URL(all.url()).pathname + new URL(all.url()).search);
    expect(await all.getByRole('link', { name: GAS }).count()).toBe(1);
    const marks = await all.locator('.snippet mark').allTextContents();
    expect(marks.map((s) => s.toLowerCase())).toContain('gas');
    expect(await all.locator('.snippet').first().getAttribute('lang')).toBe('en');
    // The same search as files: every published record it finds (CSV, JSON, GeoJSON), never the draft.
    const file = async (name: RegExp) => {
      const res = await all.request.get((await all.getByRole('link', { name }).getAttribute('href'))!);
      expect(res.status(), String(name)).toBe(200);
      expect(res.headers()['content-disposition'], String(name)).toMatch(/^attachment; filename="public-records-/);
      const body = await res.text();
      expect(body, String(name)).not.toContain(DRAFT);
      return body;
    };
    const csv = await file(/^CSV/);
    expect(csv.replace(/^\uFEFF/, '').startsWith('id,code,verification,title_en,')).toBe(true);
    expect(csv).toContain(GAS);
    const items = JSON.parse(await file(/^JSON$/)) as { id: string }[];
    expect(items.map((i) => i.id)).toContain(ids[GAS]);
    expect(items).toHaveLength(Number(await all.locator('.total').getAttribute('data-total')));
    const geo = JSON.parse(await file(/^GeoJSON/)) as { features: { properties: { recordId: string } }[] };
    expect(geo.features.map((f) => f.properties.recordId)).toContain(ids[GAS]);
    for (const f of geo.features) expect(items.map((i) => i.id)).toContain(f.properties.recordId);

    // A facet is a link that narrows the search; its count is the number of records it leaves.
    const place = await open('/en/records');
    const goris = place.locator('aside.facets a', { hasText: /^Goris/ });
    const count = Number((await goris.locator('.count').textContent())?.replace(/\D/g, ''));
    expect(count).toBe(1);
    await goris.click();
    await place.waitForURL(/place=/);
    visited.add(new URL(place.url()).pathname + new URL(place.url()).search);
    expect(await place.locator('ol.hits > li').count()).toBe(1);
    expect(await place.getByRole('link', { name: ROAD }).count()).toBe(1);
    expect(await place.locator('aside.facets a[aria-current="true"]').textContent()).toContain('Goris');
    // …and removing it brings every record back.
    await place.getByRole('link', { name: /^Remove: Goris/ }).click();
    await place.waitForURL(/\/en\/records$/);
    expect(await place.locator('ol.hits > li').count()).toBe(5);

    // The rights facets speak the reader's language, from the public taxonomy.
    const hy = await open('/hy/records');
    expect(await text(hy, 'h1')).toBe('Գրանցումներ');
    expect(await text(hy, '.total')).toBe('5 գրանցում');
    const hit = hy.locator('ol.hits > li', { hasText: ROAD });
    expect(await hit.locator('h3 span[lang]').getAttribute('lang')).toBe('en');
    expect((await hit.locator('[data-original]').textContent())?.trim()).toBe('Բնագիրը՝ անգլերեն');
    expect(await hit.locator('p[lang]').getAttribute('lang')).toBe('en');
    const facets = await text(hy, 'aside.facets');
    expect(facets).toContain('Իրավունքների կատեգորիա');
    // Russian plurals: 5 → "записей".
    const ru = await open('/ru/records');
    expect(await text(ru, '.total')).toBe('5 записей');
    // French was written: no marker, lang="fr".
    const fr = await open('/fr/records');
    const frHit = fr.locator('ol.hits > li', { hasText: ROAD_FR });
    expect(await frHit.locator('h3 span[lang]').getAttribute('lang')).toBe('fr');
    expect(await frHit.locator('[data-original]').count()).toBe(0);

    // A date the API cannot read: said on the page, not an error page.
    const bad = await open('/en/records?from=yesterday');
    expect(await bad.getByRole('alert').textContent()).toContain('check the dates');
    for (const p of [all, place, hy, ru, fr, bad]) await p.close();
  });

  it('a record: dates with precision, places, rights, verification explained, affected, responsible with attribution', async () => {
    const en = await open(`/en/records/${ids[ROAD]}`);
    expect((await text(en, 'h1')).trim()).toBe(ROAD);
    const facts = await text(en, 'dl.facts');
    expect(facts).toContain('Since December 12, 2022, ongoing');
    expect(facts).toContain('Berdzor, Goris, Stepanakert');
    expect(facts).toContain('Blockade');
    expect(await en.locator('dd[data-verification="reported"]').textContent()).toContain(
      'not yet been checked against another',
    );
    expect(await text(en, 'section[aria-labelledby="rights"]')).toContain('Freedom of movement');
    const affected = await text(en, 'section[aria-labelledby="affected"]');
    expect(affected).toContain('120,000');
    expect(affected).toContain('30,000');
    const responsible = await text(en, 'section[aria-labelledby="responsible"]');
    expect(responsible).toContain('Government of Azerbaijan');
    expect(responsible).toContain('According to the Ombudsman’s 100-day report');
    expect(await en.locator('meta[property="og:title"]').getAttribute('content')).toContain(ROAD);

    // An approximate month: "about December 2022".
    const gas = await open(`/en/records/${ids[GAS]}`);
    expect(await text(gas, 'dl.facts')).toContain('about December 2022');

    const hy = await open(`/hy/records/${ids[ROAD]}`);
    expect(await hy.locator('h1 span[lang]').getAttribute('lang')).toBe('en');
    expect((await hy.locator('h1 [data-original]').textContent())?.trim()).toBe('Բնագիրը՝ անգլերեն');
    expect(await hy.locator('.summary p[lang]').getAttribute('lang')).toBe('en');
    expect(await hy.locator('.description').getAttribute('lang')).toBe('en');
    expect(await hy.locator('.responsible li').first().getAttribute('lang')).toBe('en');
    // The interface and the taxonomy in Armenian.
    expect(await text(hy, 'section[aria-labelledby="rights"] h2')).toBe('Խախտված իրավունքներ');

    // The draft is not there, whatever the language; nor is a made-up id.
    const draft = await open(`/en/records/${ids[DRAFT]}`, 404);
    expect(await text(draft, 'h1')).toBe('No such record');
    expect(await draft.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    const missing = await open('/hy/records/no-such-record', 404);
    expect(await text(missing, 'h1')).toBe('Նման գրանցում չկա');
    await draft.close();
    await missing.close();
    for (const p of [en, gas, hy]) await p.close();
  });

  it('timeline: by month, filtered with a GET form, each record linking to its page', async () => {
    const en = await open('/en/timeline');
    const periods = await en
      .locator('section[data-period]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-period')));
    expect(periods).toEqual(['2022-12', '2023-01']);
    const december = en.locator('section[data-period="2022-12"]');
    expect(await december.locator('h2').textContent()).toContain('December 2022');
    expect(await december.locator('h2').textContent()).toContain('4 records');
    expect(await december.getByRole('link', { name: ROAD }).getAttribute('href')).toBe(`/en/records/${ids[ROAD]}`);
    expect(await en.locator('section[data-period="2023-01"]').getByRole('link', { name: CABLE }).count()).toBe(1);

    // Filter with the form, no JavaScript: only the draft cites the right to education, so nothing is left.
    await en.getByLabel('Right', { exact: true }).selectOption({ label: 'Right to education' });
    await en.getByRole('button', { name: 'Apply' }).click();
    await en.waitForURL(/right=/);
    expect(await en.locator('section[data-period]').count()).toBe(0);
    expect(await text(en, '.empty')).toBe('No published record matches these filters.');
    await en.getByLabel('Right', { exact: true }).selectOption({ label: 'Right to health' });
    await en.getByLabel('Order').selectOption('newest');
    await en.getByRole('button', { name: 'Apply' }).click();
    await en.waitForURL(/order=newest/);
    const periodsOf = (p: Page) =>
      p.locator('section[data-period]').evaluateAll((els) => els.map((e) => e.getAttribute('data-period')));
    expect(await periodsOf(en)).toEqual(['2023-01', '2022-12']);
    // The year list offers the years of what the other filters leave.
    await en.getByLabel('Year').selectOption('2023');
    await en.getByRole('button', { name: 'Apply' }).click();
    await en.waitForURL(/year=2023/);
    visited.add(new URL(en.url()).pathname + new URL(en.url()).search);
    expect(await periodsOf(en)).toEqual(['2023-01']);

    const hy = await open('/hy/timeline');
    expect(await text(hy, 'h1')).toBe('Ժամանակագրություն');
    const hyDecember = hy.locator('section[data-period="2022-12"]');
    expect(await hyDecember.locator('h2 .count').textContent()).toBe('4 գրանցում');
    const item = hyDecember.locator('li', { hasText: ROAD });
    expect(await item.locator('a span[lang]').getAttribute('lang')).toBe('en');
    expect((await item.locator('[data-original]').textContent())?.trim()).toBe('Բնագիրը՝ անգլերեն');
    await en.close();
    await hy.close();
  });

  it('every page visited is axe-clean', async () => {
    const report: string[] = [];
    const page = await withJs.newPage();
    for (const path of [...visited, '/fr', '/ru/timeline', `/fr/records/${ids[ROAD]}`]) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      report.push(
        ...violations.map(
          (v) => `${path}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      );
    }
    await page.close();
    expect(visited.size).toBeGreaterThan(12);
    expect(report, report.join('\n')).toEqual([]);
    // About twenty pages through axe: slow on a shared machine.
  }, 240_000);
});
