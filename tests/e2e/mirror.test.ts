import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The static mirror (`corridor publish-static`), built beside a running demo server from the same data directory, as
 * an operator would. Canaries are planted first through the API (a protected person's name, a restricted, an internal
 * and a draft record, a draft and a withdrawn story): none of their strings or ids may be in any file of the mirror,
 * read as text and as bytes. Then the mirror is served by a plain static server (sirv) and read in Chromium in
 * all four languages, with JavaScript off and on: styles load, links between pages resolve, and the pictures, the
 * report's PDF and whatever GeoJSON the pages link to are there.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CANARY = {
  name: 'Mirrorva Qanaryants',
  other: 'Միրորվա Քանարյանց',
  restricted: 'CANARY-mirror-restricted-5a1e',
  internal: 'CANARY-mirror-internal-c07b',
  draft: 'CANARY-mirror-draft-record-93d4',
  draftStory: 'CANARY-mirror-draft-story-1f6a',
  withdrawnStory: 'CANARY-mirror-withdrawn-story-e2b8',
};
const WORDS = ['Mirrorva', 'Qanaryants', 'Միրորվա', ...Object.values(CANARY).filter((v) => v.startsWith('CANARY'))];
const VISIBLE_TITLE = 'Water cut at the pumping station, mirrored';
const LIVE_URL = 'https://live.corridor.example';
const LOCALES = ['en', 'fr', 'hy', 'ru'];

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/corridor.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

describe('static mirror', { timeout: 600_000 }, () => {
  let server: TestServer;
  let out: string;
  let built: { code: number; stdout: string; stderr: string };
  let buildMs = 0;
  const ids: string[] = [];
  let visibleId = '';

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const signIn = (role: string) => demoSignIn(server.origin, role);
    const documenter = await signIn('documenter');
    const reviewer = await signIn('reviewer');

    const person = await documenter.ok<{ id: string }>('POST', '/people', {
      pseudonym: 'Gayane M.',
      pseudonymLang: 'en',
      roles: ['witness'],
      identity: { fullName: CANARY.name, otherNames: [CANARY.other] },
    });
    const record = (title: string, confidentiality: string) =>
      documenter.ok<{ id: string }>('POST', '/records', {
        texts: { en: { title, summary: `${title}: according to the residents' account.` } },
        confidentiality,
      });
    for (const [title, level] of [
      [CANARY.restricted, 'restricted'],
      [CANARY.internal, 'internal'],
      [CANARY.draft, 'public'],
    ] as const)
      ids.push((await record(title, level)).id);
    // A published record: the positive control, which the mirror must hold in every language.
    visibleId = (await record(VISIBLE_TITLE, 'public')).id;
    await documenter.ok('POST', `/records/${visibleId}/transitions`, { to: 'in-review' });
    await reviewer.ok('POST', `/records/${visibleId}/transitions`, { to: 'approved' });
    await reviewer.ok('POST', `/records/${visibleId}/transitions`, { to: 'published' });

    const story = (title: string) =>
      documenter.ok<{ id: string }>('POST', '/stories', {
        personId: person.id,
        texts: { en: { title, narrative: 'Gayane M. saw the water stop.' } },
        recordIds: [visibleId, ids[0]],
      });
    const draftStory = await story(CANARY.draftStory);
    const withdrawn = await story(CANARY.withdrawnStory);
    const consent = await documenter.ok<{ consents: { id: string }[] }>('POST', `/stories/${withdrawn.id}/consents`, {
      scopes: ['text'],
      givenOn: '2023-02-01',
      evidence: 'verbal',
      evidenceNote: 'By phone',
      witness: 'A colleague',
    });
    await documenter.ok('POST', `/stories/${withdrawn.id}/transitions`, { to: 'in-review' });
    await reviewer.ok('POST', `/stories/${withdrawn.id}/transitions`, { to: 'approved' });
    await reviewer.ok('POST', `/stories/${withdrawn.id}/transitions`, { to: 'published' });
    await documenter.ok('POST', `/stories/${withdrawn.id}/consents/${consent.consents[0]!.id}/withdrawal`, {
      withdrawnOn: '2023-03-01',
      note: 'Asked to.',
    });
    ids.push(person.id, draftStory.id, withdrawn.id);

    // The operator's run: same data directory as the running server, a live address for what is left out.
    out = path.join(mkdtempSync(path.join(tmpdir(), 'corridor-mirror-e2e-')), 'site');
    const started = performance.now();
    built = await run(['publish-static', out], {
      CORRIDOR_DATA_DIR: server.dataDir,
      DATABASE_URL: '',
      CORRIDOR_PUBLIC_URL: LIVE_URL,
      LOG_LEVEL: 'warn',
    });
    buildMs = performance.now() - started;
  });
  afterAll(async () => {
    await server?.stop();
    if (out) rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('builds, and says what it wrote', () => {
    expect(built.code, `${built.stdout}\n${built.stderr}`).toBe(0);
    expect(built.stdout).toMatch(
      /Mirror written to .+: \d+ pages \(en \d+, fr \d+, hy \d+, ru \d+\), \d+ files, [\d.]+ [KM]?B/,
    );
    const files = walk(out);
    const bytes = files.reduce((n, f) => n + statSync(path.join(out, f)).size, 0);
    console.log(
      `  mirror: ${files.filter((f) => f.endsWith('.html')).length} HTML files, ${files.length} files, ` +
        `${(bytes / 1024 / 1024).toFixed(2)} MB, built in ${(buildMs / 1000).toFixed(1)} s`,
    );
    for (const l of LOCALES) {
      expect(files).toContain(`${l}/index.html`);
      expect(files).toContain(`${l}/records/${visibleId}/index.html`);
    }
    for (const f of ['index.html', '404.html', 'robots.txt']) expect(files).toContain(f);
    // The demo's published edition (its PDF) and published pictures.
    expect(files.some((f) => /^api\/public\/editions\/[^/]+\/pdf\.pdf$/.test(f))).toBe(true);
    expect(files.some((f) => /^api\/public\/photos\/.+\.(?:webp|jpg|avif)$/.test(f))).toBe(true);
    // Nothing of the workspace, sign-in or the non-public API.
    expect(files.filter((f) => /(?:^|\/)(?:workspace|sign-in|sign-out|setup|invite)(?:\/|$)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('api/') && !f.startsWith('api/public/'))).toEqual([]);
  });

  it('holds no canary string or id in any file, as text or as bytes', () => {
    expect(built.code).toBe(0);
    const files = walk(out);
    expect(files.length).toBeGreaterThan(20);
    const needles = [...WORDS, ...ids];
    let holdsVisible = false;
    for (const f of files) {
      const bytes = readFileSync(path.join(out, f));
      const utf8 = bytes.toString('utf8');
      const latin1 = bytes.toString('latin1');
      for (const n of needles) {
        expect(utf8.includes(n), `${f} holds ${n}`).toBe(false);
        expect(latin1.includes(Buffer.from(n).toString('latin1')), `${f} holds ${n} (bytes)`).toBe(false);
      }
      // No address of the machine that built it.
      expect(/http:\/\/127\.0\.0\.1:\d+/.test(utf8), `${f} names a loopback address`).toBe(false);
      holdsVisible ||= utf8.includes(VISIBLE_TITLE);
      // No script: only JSON-LD data blocks.
      if (f.endsWith('.html'))
        expect(utf8.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, ''), f).not.toContain(
          '<script',
        );
    }
    // The test can fail: the published record's title is found the same way.
    expect(holdsVisible).toBe(true);
  });

  it('under --base-url, links are absolute and the mirror has its own sitemap.xml', async () => {
    const dir = path.join(path.dirname(out), 'based');
    const based = await run(['publish-static', dir, '--base-url', 'https://mirror.example.org/corridor'], {
      CORRIDOR_DATA_DIR: server.dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    });
    expect(based.code, based.stderr).toBe(0);
    const home = readFileSync(path.join(dir, 'fr/index.html'), 'utf8');
    expect(home).toContain('href="https://mirror.example.org/corridor/fr/reports/"');
    expect(home).toMatch(/href="https:\/\/mirror\.example\.org\/corridor\/_app\/immutable\/assets\/[^"]+\.css"/);
    expect(home).not.toMatch(/(?:href|src)="(?:\.\.\/|\/(?!\/))/);
    const sitemap = readFileSync(path.join(dir, 'sitemap.xml'), 'utf8');
    for (const l of LOCALES) expect(sitemap).toContain(`<loc>https://mirror.example.org/corridor/${l}/</loc>`);
    expect(sitemap).toContain(`<loc>https://mirror.example.org/corridor/ru/records/${visibleId}/</loc>`);
    expect(readFileSync(path.join(dir, 'robots.txt'), 'utf8')).toContain(
      'Sitemap: https://mirror.example.org/corridor/sitemap.xml',
    );
  });

  it('with --from, reads a running site over HTTP and writes the same files', async () => {
    const dir = path.join(path.dirname(out), 'remote');
    // Nothing but the address: no data directory or database of the site is needed.
    const remote = await run(['publish-static', dir, '--from', server.origin], {
      CORRIDOR_DATA_DIR: path.join(path.dirname(out), 'unused-data'),
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    });
    expect(remote.code, remote.stderr).toBe(0);
    const names = (d: string) => walk(d).filter((f) => f !== '.corridor-mirror.json');
    expect(names(dir).sort()).toEqual(names(out).sort());
    expect(readdirSync(path.dirname(out))).not.toContain('unused-data');
  });

  describe('server sitemap.xml and robots.txt', () => {
    it('robots.txt allows the portal, keeps crawlers out of the workspace and the private API, names the sitemap', async () => {
      const res = await fetch(`${server.origin}/robots.txt`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      for (const line of [
        'User-agent: *',
        'Allow: /',
        'Allow: /api/public/',
        'Disallow: /api/',
        'Disallow: /en/workspace',
      ])
        expect(text.split('\n')).toContain(line);
      expect(text).toContain(`Sitemap: ${server.origin}/sitemap.xml`);
    });

    it('sitemap.xml lists the public pages in four languages with alternates, and nothing unpublished', async () => {
      const res = await fetch(`${server.origin}/sitemap.xml`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const xml = await res.text();
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
      for (const l of LOCALES) {
        expect(xml).toContain(`<loc>${server.origin}/${l}</loc>`);
        expect(xml).toContain(`<loc>${server.origin}/${l}/records/${visibleId}</loc>`);
        expect(xml).toContain(`hreflang="${l}" href="${server.origin}/${l}/stories`);
      }
      expect(xml).toMatch(new RegExp(`<loc>${server.origin}/fr/reports/[^<]+</loc>`));
      expect(xml).toMatch(new RegExp(`<loc>${server.origin}/hy/photos/[^<]+</loc>`));
      for (const n of [...WORDS, ...ids]) expect(xml, `sitemap names ${n}`).not.toContain(n);
      // Every <url> carries its four languages and x-default.
      const urls = xml.split('<url>').slice(1);
      for (const u of urls) expect(u.match(/<xhtml:link rel="alternate"/g)).toHaveLength(5);
    });
  });

  describeWithBrowser('served by a plain static server', () => {
    let staticServer: http.Server;
    let origin: string;
    let browser: BrowserHandle;

    beforeAll(async () => {
      expect(built.code).toBe(0);
      const serve = sirv(out, { dev: false, etag: true, extensions: ['html'] });
      staticServer = http.createServer((req, res) =>
        serve(req, res, () => {
          res.statusCode = 404;
          res.end('Not found');
        }),
      );
      await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
      browser = await launchBrowser(origin);
    });
    afterAll(async () => {
      await browser?.close();
      staticServer?.close();
    });

    it('the sitemap and robots.txt of the live site also parse as XML and are served without a redirect', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.origin}/robots.txt`);
      const xml = await (await fetch(`${server.origin}/sitemap.xml`)).text();
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        return {
          error: doc.getElementsByTagName('parsererror').length > 0,
          root: doc.documentElement.localName,
          urls: doc.getElementsByTagNameNS('http://www.sitemaps.org/schemas/sitemap/0.9', 'url').length,
        };
      }, xml);
      expect(parsed).toMatchObject({ error: false, root: 'urlset' });
      expect(parsed.urls).toBeGreaterThanOrEqual(9 * 4);
      await context.close();
    });

    for (const javaScriptEnabled of [false, true]) {
      it(`reads in all four languages with their styles, and every link of the main pages resolves (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        const failed: string[] = [];
        page.on('response', (r) => {
          if (r.status() >= 400 && r.url().startsWith(origin)) failed.push(`${r.status()} ${r.url()}`);
        });
        page.on('pageerror', (err) => failed.push(`script error on ${page.url()}: ${err.message}`));

        for (const l of LOCALES) {
          const res = await page.goto(`${origin}/${l}/index.html`);
          expect(res?.status()).toBe(200);
          expect(await page.getAttribute('html', 'lang')).toBe(l);
          // Every stylesheet the page names loaded, with its rules.
          const sheets = await page.evaluate(() =>
            [...document.querySelectorAll('link[rel="stylesheet"]')].map(
              (l) => (l as HTMLLinkElement).sheet?.cssRules.length ?? 0,
            ),
          );
          expect(sheets.length, `${l}: no stylesheet`).toBeGreaterThan(0);
          expect(
            sheets.every((n) => n > 0),
            `${l}: a stylesheet did not load`,
          ).toBe(true);
        }

        // Every same-origin link and resource of the main pages answers 200 from the static server.
        const start = [
          '/en/index.html',
          '/ru/records/index.html',
          `/fr/records/${visibleId}/index.html`,
          '/en/reports/index.html',
          '/hy/photos/index.html',
          '/en/stories/index.html',
          '/en/map/index.html',
        ];
        const checked = new Set<string>();
        let pdfs = 0;
        let images = 0;
        let geojson = 0;
        for (const p of start) {
          const res = await page.goto(`${origin}${p}`);
          expect(res?.status(), p).toBe(200);
          const targets = await page.evaluate(() => [
            ...[...document.querySelectorAll('a[href], link[href]')].map((e) => (e as HTMLAnchorElement).href),
            ...[...document.querySelectorAll('img')].flatMap((i) => [
              i.src,
              ...i.srcset.split(',').map((s) => new URL(s.trim().split(/\s+/)[0] ?? '', location.href).href),
            ]),
            ...[...document.querySelectorAll('source[srcset]')].flatMap((s) =>
              (s as HTMLSourceElement).srcset
                .split(',')
                .map((x) => new URL(x.trim().split(/\s+/)[0] ?? '', location.href).href),
            ),
          ]);
          for (const target of targets) {
            const url = new URL(target);
            if (url.origin !== origin) continue;
            url.hash = '';
            if (checked.has(url.href)) continue;
            checked.add(url.href);
            const r = await context.request.get(url.href);
            expect(r.status(), `${url.pathname} linked from ${p}`).toBe(200);
            const body = await r.body();
            const type = r.headers()['content-type'] ?? '';
            if (url.pathname.endsWith('.pdf')) {
              pdfs++;
              expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
            } else if (type.startsWith('image/')) {
              images++;
              expect(body.length).toBeGreaterThan(50);
            } else if (/geo\+json|\.geojson$/.test(type + url.pathname)) {
              geojson++;
              expect((JSON.parse(body.toString('utf8')) as { type: string }).type).toBe('FeatureCollection');
            }
          }
        }
        expect(checked.size).toBeGreaterThan(30);
        expect(pdfs, 'the report edition links its PDF').toBeGreaterThan(0);
        expect(images, 'pictures of the photo bank').toBeGreaterThan(0);
        console.log(
          `  JS ${javaScriptEnabled ? 'on' : 'off'}: ${checked.size} addresses, ${pdfs} PDF, ${images} images, ${geojson} GeoJSON`,
        );
        // Styles, pictures and scripts the pages loaded all came from the mirror.
        expect(failed).toEqual([]);
        await context.close();
      });
    }

    it('also reads from a disk (file://), styled, from one language to another', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(pathToFileURL(path.join(out, 'ru/index.html')).href);
      // file:// hides a sheet's rules from scripts, so look at what it did: the body's font is not the default.
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/system-ui/);
      await page.locator('a[hreflang="hy"]').first().click();
      expect(page.url()).toBe(pathToFileURL(path.join(out, 'hy/index.html')).href);
      expect(failed).toEqual([]);
      await context.close();
    });

    it('answers an unknown address with the 404 page, styled', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const res = await page.goto(`${origin}/404.html`);
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
      await context.close();
    });
  });
});
