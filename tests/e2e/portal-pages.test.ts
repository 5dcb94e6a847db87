import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The public portal's photo bank, stories, methodology, about and reports pages, read with JavaScript off as a 2G
 * reader would, in English and Russian (Armenian and French where the wording differs), on the demo data: only public
 * items, credits, responsive lazy pictures, a story in a language it was never written in shown in its original and
 * marked so, with the right `lang`; a withdrawn photo and a withdrawn story answer 410 with a page that says so; the
 * press desk comes from the configuration; every edition has its PDF and its page a schema.org Report. All axe-clean.
 */

const PRESS_EMAIL = 'press-desk@corridor.example';
/**
 * The page's own code, if it had any: an inline script (the JSON-LD block is data, never run) or SvelteKit's client.
 * The shell's small service-worker registration (an external file, deferred) is not the page's and is allowed.
 */
const EXECUTABLE =
  'script:not([src]):not([type="application/ld+json"]), script[src^="/_app/"], link[rel="modulepreload"]';

describeWithBrowser('public portal pages: photos, stories, methodology, about, reports', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  let withdrawnPhotoId = '';
  let withdrawnStoryId = '';
  let publishedStoryId = '';
  const visited = new Set<string>();

  beforeAll(async () => {
    // startServer hands this process's environment to the server: the press desk is configured there.
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', PRESS_EMAIL);
    server = await startServer({ demo: true });
    const reviewer = await demoSignIn(server.origin, 'reviewer');
    const photos = await reviewer.ok<{ items: { id: string; tags: string[]; status: string }[] }>(
      'GET',
      '/photos?tag=portrait',
    );
    withdrawnPhotoId = photos.items[0]!.id;
    const stories = await reviewer.ok<{ items: { id: string; pseudonym: string }[] }>('GET', '/stories');
    withdrawnStoryId = stories.items.find((s) => s.pseudonym === 'Armen K.')!.id;
    publishedStoryId = stories.items.find((s) => s.pseudonym === 'Anahit M.')!.id;
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    withJs = await browser.newContext();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await browser?.close();
    await server?.stop();
  });

  const open = async (path: string, status = 200): Promise<Page> => {
    const page = await noJs.newPage();
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(status);
    expect(await page.locator(EXECUTABLE).count(), `${path}: no script`).toBe(0);
    visited.add(path);
    return page;
  };
  const h1 = async (page: Page) => (await page.locator('h1').textContent())?.trim();

  it('photo bank: the published pictures only, credited, responsive WebP/JPEG, lazy, sized, alt = caption', async () => {
    for (const lang of ['en', 'ru']) {
      const page = await open(`/${lang}/photos`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await h1(page)).toBe(lang === 'en' ? 'Photo bank' : 'Фотобанк');
      const figures = page.locator('main figure');
      // Four demo pictures, one of them withdrawn: three shown.
      expect(await figures.count()).toBe(3);
      expect(await page.locator(`a[href$="/photos/${withdrawnPhotoId}"]`).count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Illustration: Corridor demo');

      const first = figures.first();
      const webp = first.locator('source[type="image/webp"]');
      const srcset = (await webp.getAttribute('srcset')) ?? '';
      // All three sizes, each with its real width (the demo drawings are 1600 × 1067).
      expect(srcset).toMatch(/\/api\/public\/photos\/[^/]+\/image\/thumb\.webp 320w/);
      expect(srcset).toMatch(/\/image\/web\.webp 1280w/);
      expect(srcset).toMatch(/\/image\/large\.webp 1600w/);
      expect(await webp.getAttribute('sizes')).toBeTruthy();
      const img = first.locator('img');
      expect(await img.getAttribute('srcset')).toMatch(/thumb\.jpeg 320w, .*web\.jpeg 1280w, .*large\.jpeg 1600w/);
      expect(await img.getAttribute('loading')).toBe('lazy');
      expect(await img.getAttribute('width')).toBe('1280');
      expect(await img.getAttribute('height')).toBe('854');
      const caption = first.locator('figcaption p[lang]').first();
      expect(await caption.getAttribute('lang')).toBe(lang);
      expect(await img.getAttribute('alt')).toBe((await caption.textContent())?.trim());
      expect(await img.getAttribute('alt')).toContain(lang === 'en' ? 'According to' : 'Согласно');

      // The copies are really served: WebP and JPEG.
      const thumb = /(\S+thumb\.webp) 320w/.exec(srcset)![1]!;
      const got = await page.request.get(thumb);
      expect(got.status()).toBe(200);
      expect(got.headers()['content-type']).toBe('image/webp');
      await page.close();
    }
  });

  it('a photo page: caption, credit, place, date, use; its largest copy opens', async () => {
    const list = await open('/en/photos');
    const href = await list.locator('main figure a').first().getAttribute('href');
    await list.close();
    const page = await open(href!);
    expect(await h1(page)).toMatch(/^Photo P-\d+/);
    const facts = (await page.locator('dl').textContent()) ?? '';
    expect(facts).toContain('Credit');
    expect(facts).toContain('Illustration: Corridor demo (drawn, not a photograph)');
    expect(facts).toMatch(/Stepanakert|Berdzor|Goris/);
    expect(await page.getByTestId('usage').textContent()).toContain('own work');
    const img = page.locator('main figure img');
    expect(await img.getAttribute('loading')).toBe('eager');
    const largest = page.getByRole('link', { name: /Open the largest version \(1600 × 1067 pixels\)/ });
    const copy = await page.request.get((await largest.getAttribute('href'))!);
    expect(copy.headers()['content-type']).toBe('image/jpeg');
    // The share card of a photo page is its own picture.
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toContain('/image/web.jpeg');

    const ru = await open(href!.replace(/^\/en\//, '/ru/'));
    expect(await h1(ru)).toMatch(/^Фотография P-\d+/);
    expect(await ru.locator('figcaption p').first().getAttribute('lang')).toBe('ru');
    await page.close();
    await ru.close();
  });

  it('a withdrawn photo answers 410 with a page that says so, in the reader’s language', async () => {
    const en = await open(`/en/photos/${withdrawnPhotoId}`, 410);
    expect(await h1(en)).toBe('This photo has been withdrawn');
    expect(await en.locator('main img').count()).toBe(0);
    expect(await en.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    const ru = await open(`/ru/photos/${withdrawnPhotoId}`, 410);
    expect(await h1(ru)).toBe('Эта фотография снята с публикации');
    await open('/en/photos/no-such-photo', 404).then((p) => p.close());
    await en.close();
    await ru.close();
  });

  it('stories: public ones only, by pseudonym; untranslated text shown in its original, marked, with its lang', async () => {
    const en = await open('/en/stories');
    expect(await h1(en)).toBe('Human stories');
    const enText = (await en.locator('main').textContent()) ?? '';
    expect(enText).toContain('A classroom too cold to teach in');
    expect(enText).toContain('Told by Anahit M.');
    // Withdrawn (consent) and draft stories are not listed, and no real name is anywhere.
    expect(enText).not.toContain('On the other side of the corridor');
    expect(enText).not.toContain('Evenings without light');
    expect(enText).not.toContain('Fictitia');
    expect(await en.getByTestId('lang-fallback').count()).toBe(0);

    // French: the story was translated; no marker.
    const fr = await open('/fr/stories');
    const frTitle = fr.getByRole('link', { name: 'Une classe trop froide pour y enseigner' });
    expect(await frTitle.getAttribute('lang')).toBe('fr');
    expect(await fr.getByTestId('lang-fallback').count()).toBe(0);

    // Russian: never translated: the English original, marked, with lang="en" on the text.
    const ru = await open('/ru/stories');
    const ruTitle = ru.getByRole('link', { name: 'A classroom too cold to teach in' });
    expect(await ruTitle.getAttribute('lang')).toBe('en');
    expect((await ru.getByTestId('lang-fallback').first().textContent())?.trim()).toBe('Оригинал на английском');
    for (const p of [en, fr, ru]) await p.close();
  });

  it('a story: narrative, names-changed note, other languages; in Russian the English original marked', async () => {
    const en = await open(`/en/stories/${publishedStoryId}`);
    expect(await h1(en)).toBe('A classroom too cold to teach in');
    expect(await en.getByTestId('names-changed').textContent()).toContain('“Anahit M.” is a pseudonym');
    const narrative = en.getByTestId('narrative');
    expect(await narrative.getAttribute('lang')).toBe('en');
    expect(await narrative.textContent()).toContain('According to the ARMARAS press release of 30 January 2023');
    expect(await en.locator('#main a[hreflang="fr"]', { hasText: 'Français' }).getAttribute('href')).toBe(
      `/fr/stories/${publishedStoryId}`,
    );
    expect(await en.content()).not.toContain('Fictitia');

    const ru = await open(`/ru/stories/${publishedStoryId}`);
    expect(await ru.locator('html').getAttribute('lang')).toBe('ru');
    expect(await ru.locator('h1 span').getAttribute('lang')).toBe('en');
    expect(await ru.getByTestId('narrative').getAttribute('lang')).toBe('en');
    // The story's own marking, in its header; its linked records further down carry their own.
    expect((await ru.locator('#main header').getByTestId('lang-fallback').textContent())?.trim()).toBe(
      'Оригинал на английском',
    );
    expect(await ru.getByTestId('names-changed').textContent()).toContain('Имена изменены');

    const hy = await open(`/hy/stories/${publishedStoryId}`);
    expect((await hy.locator('#main header').getByTestId('lang-fallback').textContent())?.trim()).toBe(
      'Բնագիրը՝ անգլերեն',
    );
    for (const p of [en, ru, hy]) await p.close();
  });

  it('a story whose consent was withdrawn answers 410, and shows nothing of it', async () => {
    for (const [lang, title] of [
      ['en', 'This story has been withdrawn'],
      ['ru', 'Эта история снята с публикации'],
    ] as const) {
      const page = await open(`/${lang}/stories/${withdrawnStoryId}`, 410);
      expect(await h1(page)).toBe(title);
      const html = await page.content();
      expect(html).not.toContain('On the other side of the corridor');
      expect(html).not.toContain('Armen K.');
      await page.close();
    }
    await open('/en/stories/no-such-story', 404).then((p) => p.close());
  });

  it('methodology: workflow, the five statuses, the Admiralty grades, consent, standards', async () => {
    const en = await open('/en/methodology');
    expect(await h1(en)).toBe('Methodology');
    const statuses = en.getByTestId('verification-statuses').locator('dt');
    expect(await statuses.evaluateAll((dts) => dts.map((d) => d.getAttribute('data-status')))).toEqual([
      'reported',
      'corroborated',
      'verified',
      'disputed',
      'retracted',
    ]);
    expect(await en.getByTestId('reliability').locator('dt').count()).toBe(6);
    expect(await en.getByTestId('credibility').locator('dt').count()).toBe(6);
    const text = (await en.locator('main').textContent()) ?? '';
    for (const phrase of ['four-eyes', 'Berkeley Protocol', 'HURIDOCS', 'pseudonym', 'Usually reliable', 'B2'])
      expect(text).toContain(phrase);

    const ru = await open('/ru/methodology');
    expect(await h1(ru)).toBe('Методология');
    expect(await ru.getByTestId('reliability').textContent()).toContain('Обычно надёжный');
    expect(await ru.locator('main').textContent()).toContain('«четырёх глаз»');
    await en.close();
    await ru.close();
  });

  it('about: both organisations attributed to their documents, and the configured press desk', async () => {
    const en = await open('/en/about');
    const text = (await en.locator('main').textContent()) ?? '';
    expect(text).toContain('According to its press release of 16 January 2023 (Paris), ARMARAS');
    expect(text).toContain('According to its report on the first 100 days');
    expect(await en.getByTestId('offers').locator('li').count()).toBe(6);
    const mail = en.getByTestId('press-email');
    expect(await mail.getAttribute('href')).toBe(`mailto:${PRESS_EMAIL}`);
    expect(await en.getByTestId('press-unset').count()).toBe(0);

    const ru = await open('/ru/about');
    expect(await ru.getByTestId('press-email').textContent()).toBe(PRESS_EMAIL);
    expect(await ru.locator('main').textContent()).toContain('Согласно его пресс-релизу от 16 января 2023 года');
    await en.close();
    await ru.close();
  });

  it('reports: each edition with its page and PDF; the edition page is a schema.org Report with its card', async () => {
    for (const lang of ['en', 'ru']) {
      const page = await open(`/${lang}/reports`);
      const editions = page.locator('[data-edition]');
      expect(await editions.count()).toBeGreaterThan(0);
      const pdf = editions.first().getByTestId('pdf');
      const pdfResponse = await page.request.get((await pdf.getAttribute('href'))!);
      expect((await pdfResponse.body()).subarray(0, 5).toString()).toBe('%PDF-');
      const editionHref = await editions.first().locator('a').first().getAttribute('href');
      expect(editionHref).toMatch(new RegExp(`^/${lang}/reports/`));
      const edition = await open(editionHref!);
      const ld = JSON.parse((await edition.locator('script[type="application/ld+json"]').textContent()) ?? '{}') as {
        '@context': string;
        '@type': string;
        name: string;
        image?: string;
        encoding?: { contentUrl: string; encodingFormat: string };
      };
      expect(ld['@context']).toBe('https://schema.org');
      expect(ld['@type']).toBe('Report');
      expect(ld.name).toBe(await h1(edition));
      expect(ld.image).toMatch(/\/api\/public\/editions\/[^/]+\/card\?kind=day&format=png$/);
      expect(ld.encoding?.encodingFormat).toBe('application/pdf');
      expect(ld.encoding?.contentUrl).toMatch(/\/api\/public\/editions\/[^/]+\/pdf$/);
      expect(await edition.locator('meta[property="og:image"]').getAttribute('content')).toBe(ld.image);
      await edition.close();
      await page.close();
    }
  });

  it('every page visited is axe-clean', async () => {
    const report: string[] = [];
    const page = await withJs.newPage();
    for (const path of [...visited, '/hy/photos', '/hy/about', '/hy/methodology', '/fr/about']) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      report.push(
        ...violations.map(
          (v) => `${path}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      );
    }
    await page.close();
    expect(visited.size).toBeGreaterThan(15);
    expect(report, report.join('\n')).toEqual([]);
    // About thirty pages, two seconds each for axe on a shared machine.
  }, 240_000);
});

describeWithBrowser('public portal pages on a fresh install: honest empty states', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let noJs: BrowserContext;

  beforeAll(async () => {
    // No press desk here: the About page must say so rather than show anything else.
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', '');
    server = await startServer();
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await browser?.close();
    await server?.stop();
  });

  it('says that nothing is published yet, and that no press desk address is configured', async () => {
    const page = await noJs.newPage();
    const expectations: [string, string][] = [
      ['/en/photos', 'No photo has been published yet.'],
      ['/ru/photos', 'Пока не опубликовано ни одной фотографии.'],
      ['/en/stories', 'No story has been published yet.'],
      ['/ru/stories', 'Пока не опубликовано ни одной истории.'],
      ['/en/reports', 'No edition has been published yet.'],
    ];
    for (const [path, text] of expectations) {
      expect((await page.goto(path))?.status(), path).toBe(200);
      expect((await page.getByTestId('empty').textContent())?.trim(), path).toBe(text);
    }
    await page.goto('/en/about');
    expect((await page.getByTestId('press-unset').textContent())?.trim()).toBe(
      'No press desk address has been configured on this server yet.',
    );
    expect(await page.locator('a[href^="mailto:"]').count()).toBe(0);
    await page.goto('/ru/about');
    expect((await page.getByTestId('press-unset').textContent())?.trim()).toBe(
      'Адрес пресс-службы на этом сервере пока не настроен.',
    );
    await page.close();
    // axe runs in the page: a context with scripting on, on the same server-rendered HTML.
    const withJs = await browser.newContext();
    const checked = await withJs.newPage();
    const report: string[] = [];
    for (const path of ['/ru/about', '/en/photos', '/ru/stories']) {
      await checked.goto(path);
      const { violations } = await new AxeBuilder({ page: checked }).analyze();
      report.push(...violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    }
    await withJs.close();
    expect(report, report.join('\n')).toEqual([]);
  }, 120_000);
});
