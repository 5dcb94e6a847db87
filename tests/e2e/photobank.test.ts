import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Evidence, IngestResult } from '../../src/lib/server/evidence/index.js';
import type { Photo } from '../../src/lib/server/photos/index.js';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The photo bank's consent manager and the vault's redaction tool, driven through their forms with JavaScript off,
 * on the demo server: a documenter records consents (a verbal one needs its witness), a reviewer publishes, the
 * item page says what the picture is cleared for; a withdrawal takes the public item, its image file and the
 * journalist's download down at once (410); a reviewer covers two rectangles (solid, then mosaic) by typing their
 * coordinates, each making new copies while the original's bytes and SHA-256 stay as they were. Axe finds nothing
 * on any of these pages, error states included.
 */

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const WIDTH = 640;
const HEIGHT = 480;

/** Vertical stripes, 8 px black and 8 px white: sharp detail that a mosaic or a solid fill must remove. */
async function stripes(): Promise<Buffer> {
  const raw = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++)
      raw.fill(Math.floor(x / 8) % 2 ? 235 : 20, (y * WIDTH + x) * 3, (y * WIDTH + x) * 3 + 3);
  return sharp(raw, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** Mean brightness and mean step between neighbouring pixels inside a rectangle given in pixels of the original. */
async function region(jpeg: Buffer, r: { x: number; y: number; width: number; height: number }) {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const s = info.width / WIDTH;
  // Keep clear of the edges, where JPEG blocks mix the inside with the outside.
  const [x0, y0] = [Math.ceil((r.x + 8) * s), Math.ceil((r.y + 8) * s)];
  const [x1, y1] = [Math.floor((r.x + r.width - 8) * s), Math.floor((r.y + r.height - 8) * s)];
  let sum = 0;
  let steps = 0;
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const v = data[y * info.width + x]!;
      sum += v;
      steps += Math.abs(v - data[y * info.width + x + 1]!);
      n++;
    }
  return { mean: sum / n, step: steps / n };
}

describeWithBrowser('photo bank consents and redaction (no JavaScript)', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let documenter: ApiClient;
  let reviewer: ApiClient;
  let journalist: ApiClient;
  let docPage: BrowserContext;
  let revPage: BrowserContext;
  let docJs: BrowserContext;
  let revJs: BrowserContext;
  let original: Buffer;
  let evidence: Evidence;
  let photo: Photo;
  const problems: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'corridor-e2e-photobank-'));

  const signedIn = (role: string) => demoSignIn(server.origin, role);
  const context = async (client: ApiClient, javaScriptEnabled: boolean) => {
    const c = await browser.newContext({ javaScriptEnabled });
    await c.addCookies([client.sessionCookie()]);
    return c;
  };
  const axe = async (page: Page, label: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    problems.push(
      ...violations.map(
        (v) => `${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    );
  };
  /** axe runs a script: the same address opened with JavaScript. */
  const axeAt = async (ctx: BrowserContext, at: string) => {
    const page = await ctx.newPage();
    await page.goto(at);
    await axe(page, at);
    await page.close();
  };
  const get = (client: ApiClient | null, path: string) =>
    fetch(`${server.origin}${path}`, { headers: client ? { cookie: client.cookie } : {} });
  const evidenceNow = () => reviewer.ok<Evidence>('GET', `/evidence/${evidence.id}`);
  const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const itemPath = () => `/en/workspace/photos/${photo.id}`;

  beforeAll(async () => {
    server = await startServer({ demo: true });
    [documenter, reviewer, journalist] = await Promise.all([
      signedIn('documenter'),
      signedIn('reviewer'),
      signedIn('journalist'),
    ]);
    browser = await launchBrowser(server.origin);
    docPage = await context(documenter, false);
    revPage = await context(reviewer, false);
    docJs = await context(documenter, true);
    revJs = await context(reviewer, true);
    original = await stripes();
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(original)], { type: 'image/jpeg' }), 'bakery-queue.jpg');
    form.set('title', 'Bakery queue');
    const res = await fetch(`${server.origin}/api/evidence`, {
      method: 'POST',
      headers: { origin: server.origin, cookie: documenter.cookie, accept: 'application/json' },
      body: form,
    });
    expect(res.status).toBe(201);
    evidence = ((await res.json()) as IngestResult).item;
    await waitFor(
      async () => ((await evidenceNow()).status === 'ready' ? true : undefined),
      'the first copies of the upload',
    );
    photo = await documenter.ok<Photo>('POST', '/photos', {
      evidenceId: evidence.id,
      captions: { en: 'People queue outside the bakery at dawn.' },
      credit: 'Photo: Demo photographer (fictional)',
      takenOn: '2023-02-10',
      tags: ['bread', 'e2e'],
      usage: 'own-work',
      identifiablePersons: 1,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records consents through the form, refuses a verbal one without its witness, and publishes', async () => {
    const page = await docPage.newPage();
    await page.goto(itemPath());
    expect(await page.locator('#allowed-uses').textContent()).toContain('Nothing: the photo is not public');

    // A verbal consent without a witness: the form comes back with what was typed and says what is missing.
    await page.locator('#f-personLabel').fill('Demo photographer (fictional)');
    await page.getByLabel('Press kit').check();
    await page.locator('#f-givenOn').fill('2023-02-10');
    await page.locator('#f-verbalNote').fill('Agreed by phone to publication with the credit line.');
    await page.getByRole('button', { name: 'Record the consent' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Required');
    expect(await page.locator('#f-witness-error').count()).toBe(1);
    expect(await page.locator('#f-personLabel').inputValue()).toBe('Demo photographer (fictional)');
    expect(await page.getByLabel('Press kit').isChecked()).toBe(true);
    // The same state with JavaScript, for axe.
    const js = await docJs.newPage();
    await js.goto(itemPath());
    await js.locator('#f-personLabel').fill('Demo photographer (fictional)');
    await js.locator('#f-givenOn').fill('2023-02-10');
    await js.getByRole('button', { name: 'Record the consent' }).click();
    await js.getByRole('alert').waitFor();
    await axe(js, `${itemPath()} (consent form with errors)`);
    await js.close();

    await page.locator('#f-witness').fill('Demo coordinator (fictional)');
    await page.getByRole('button', { name: 'Record the consent' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').filter({ hasText: 'Done.' }).count()).toBe(1);
    const authorRow = page.getByRole('row', { name: /Demo photographer \(fictional\)/ });
    expect(await authorRow.textContent()).toMatch(/The author.*Publish the image, Press kit.*2023-02-10.*Valid/s);
    expect(await authorRow.textContent()).toContain('Demo coordinator (fictional)');

    await page.locator('#f-subject').selectOption('person');
    await page.locator('#f-personLabel').fill('Woman in the blue scarf (fictional)');
    // She is in the people registry: the consent names her there by pseudonym (the identity stays in the registry).
    const registry = page.locator('#f-personId option');
    expect(await registry.count()).toBeGreaterThan(1);
    const pseudonym = (await registry.nth(1).textContent())!.trim();
    await page.locator('#f-personId').selectOption({ index: 1 });
    await page.locator('#f-givenOn').fill('2023-02-11');
    await page.locator('#f-verbalNote').fill('Agreed on the spot to publication of the image.');
    await page.locator('#f-witness').fill('Demo coordinator (fictional)');
    await page.getByRole('button', { name: 'Record the consent' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('row', { name: /Woman in the blue scarf/ }).textContent()).toMatch(
      /A person shown.*Publish the image.*Valid/s,
    );
    expect(await page.getByRole('row', { name: /Woman in the blue scarf/ }).textContent()).toContain(
      `Registry: ${pseudonym}`,
    );
    const stored = await documenter.ok<Photo>('GET', `/photos/${photo.id}`);
    expect(stored.consents.map((c) => [c.subject, c.evidencedBy, c.witness, c.scopes, c.person?.pseudonym])).toEqual([
      ['author', 'verbal', 'Demo coordinator (fictional)', ['publish-image', 'press-kit'], undefined],
      ['person', 'verbal', 'Demo coordinator (fictional)', ['publish-image'], pseudonym],
    ]);
    // The documenter may not publish: no button.
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);

    const rev = await revPage.newPage();
    await rev.goto(itemPath());
    await rev.getByRole('button', { name: 'Publish', exact: true }).click();
    await rev.waitForLoadState();
    expect(await rev.locator('dd').first().textContent()).toContain('Published');
    // The person consented to the image only: press kits stay closed.
    expect((await rev.locator('#allowed-uses').textContent())?.replace(/\s+/g, ' ')).toContain(
      'Cleared for, today: Publish the image',
    );
    expect(await rev.locator('#allowed-uses').textContent()).not.toContain('Press kit');
    expect((await get(null, `/api/public/photos/${photo.id}`)).status).toBe(200);
    expect((await get(journalist, `/api/photos/${photo.id}/download?size=web`)).status).toBe(200);
    await axeAt(revJs, itemPath());
    await axeAt(docJs, '/en/workspace/photos?tag=e2e');
  });

  it('takes the item off the public API, its image file and downloads at once when a consent is withdrawn', async () => {
    const image = `/api/public/photos/${photo.id}/image/web.jpeg`;
    expect((await get(null, image)).status).toBe(200);
    const page = await docPage.newPage();
    await page.goto(itemPath());
    await page
      .getByRole('row', { name: /Woman in the blue scarf/ })
      .getByRole('button', { name: 'Withdraw' })
      .click();
    await page.waitForLoadState();
    // Straight after the form's answer, with nobody else acting.
    const [item, file, download] = await Promise.all([
      get(null, `/api/public/photos/${photo.id}`),
      get(null, image),
      get(journalist, `/api/photos/${photo.id}/download?size=web`),
    ]);
    expect([item.status, file.status, download.status]).toEqual([410, 410, 410]);
    const list = (await (await get(null, '/api/public/photos?tag=e2e')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(await page.getByRole('row', { name: /Woman in the blue scarf/ }).textContent()).toContain('Withdrawn');
    expect(
      await page
        .getByRole('row', { name: /Woman in the blue scarf/ })
        .getByRole('button')
        .count(),
    ).toBe(0);
    expect(await page.locator('dd').first().textContent()).toMatch(/Unpublished.*Woman in the blue scarf/s);
    expect(await page.locator('#allowed-uses').textContent()).toContain('Nothing: the photo is not public');
    await axeAt(docJs, itemPath());
  });

  it('covers rectangles typed into the redaction form (solid, then mosaic): new copies, the original untouched', async () => {
    const solid = { x: 40, y: 40, width: 160, height: 160 };
    const mosaic = { x: 320, y: 96, width: 256, height: 288 };
    const before = await evidenceNow();
    expect(before.redactions).toEqual([]);
    const page = await revPage.newPage();
    const at = `/en/workspace/evidence/${evidence.id}`;
    await page.goto(at);
    await axeAt(revJs, at);

    // A rectangle outside the picture is refused, and the form keeps what was typed.
    await page.locator('#f-x').fill('600');
    await page.locator('#f-y').fill('10');
    await page.locator('#f-width').fill('200');
    await page.locator('#f-height').fill('50');
    await page.getByRole('button', { name: 'Redact', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.locator('#f-x').inputValue()).toBe('600');
    expect((await evidenceNow()).redactions).toEqual([]);

    const redact = async (r: typeof solid, fill: 'solid' | 'mosaic') => {
      for (const k of ['x', 'y', 'width', 'height'] as const) await page.locator(`#f-${k}`).fill(String(r[k]));
      await page.locator('#f-fill').selectOption(fill);
      await page.getByRole('button', { name: 'Redact', exact: true }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('status').filter({ hasText: 'Done.' }).count()).toBe(1);
      const item = await waitFor(async () => {
        const e = await evidenceNow();
        const last = e.redactions.at(-1);
        return last?.fill === fill && e.derivatives.some((d) => d.variant === last.id && d.kind === 'web')
          ? e
          : undefined;
      }, `the copies of the ${fill} redaction`);
      const red = item.redactions.at(-1)!;
      expect(red.regions).toEqual([r]);
      const web = item.derivatives.find((d) => d.variant === red.id && d.kind === 'web' && d.format === 'jpeg')!;
      const res = await get(reviewer, web.url);
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };

    const afterSolid = await redact(solid, 'solid');
    const plain = await region(original, solid);
    const covered = await region(afterSolid, solid);
    expect(plain.step).toBeGreaterThan(20);
    expect(covered.mean).toBeLessThan(12);
    expect(covered.step).toBeLessThan(2);

    const afterMosaic = await redact(mosaic, 'mosaic');
    const stripesThere = await region(original, mosaic);
    const blocks = await region(afterMosaic, mosaic);
    expect(stripesThere.step).toBeGreaterThan(20);
    // Coarse blocks: the stripes are gone, and the picture is not painted over either.
    expect(blocks.step).toBeLessThan(stripesThere.step / 4);
    expect(blocks.mean).toBeGreaterThan(60);
    // The second redaction is made from the first: the solid rectangle is still covered.
    expect((await region(afterMosaic, solid)).mean).toBeLessThan(12);

    // The original: the same bytes, the same SHA-256, and the item still names it.
    const after = await evidenceNow();
    expect(after.redactions.map((r) => r.fill)).toEqual(['solid', 'mosaic']);
    expect(after.sha256).toBe(before.sha256);
    expect(after.sha256).toBe(sha(original));
    const stored = await get(reviewer, `/api/evidence/${evidence.id}/original`);
    expect(stored.status).toBe(200);
    expect(sha(new Uint8Array(await stored.arrayBuffer()))).toBe(sha(original));
    expect(await page.locator('code').first().textContent()).toBe(sha(original));
    await axeAt(revJs, at);
    expect(problems).toEqual([]);
  });

  it('sends resumable uploads in the part size the server asks for, and resumes after a reload', async () => {
    const { partSize } = await documenter.ok<{ partSize: number }>('GET', '/evidence/uploads');
    expect(partSize).toBe(1024 * 1024); // on disk; the S3 size is checked by the server tests
    const file = path.join(dir, 'long-report.pdf');
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.round(partSize * 2.5))]);
    writeFileSync(file, bytes);
    const patches: { offset: number; size: number }[] = [];
    const watch = (page: Page) =>
      page.on('request', (r) => {
        if (r.method() === 'PATCH')
          patches.push({ offset: Number(r.headers()['upload-offset']), size: r.postDataBuffer()?.length ?? 0 });
      });
    const start = async (page: Page) => {
      await page.goto('/en/workspace/evidence');
      expect(await page.locator('form[data-part-size]').getAttribute('data-part-size')).toBe(String(partSize));
      await page.locator('#tus-file').setInputFiles(file);
      await page.locator('#tus-title').locator('..').getByRole('button', { name: 'Upload' }).click();
    };

    // Without the shell's service worker, whose fetches the page's routes would not see. The connection drops after
    // the first part; the page is then closed.
    const uploads = await browser.newContext({ serviceWorkers: 'block' });
    await uploads.addCookies([documenter.sessionCookie()]);
    const first = await uploads.newPage();
    watch(first);
    let sent = 0;
    let dropped!: () => void;
    const lost = new Promise<void>((resolve) => (dropped = resolve));
    await first.route('**/api/evidence/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH' || ++sent === 1) return route.fallback();
      await route.abort('connectionreset');
      dropped();
    });
    await start(first);
    // Closed only once the second part has been refused: a request still waiting for its route when the page
    // closes would go on to the server.
    await lost;
    await first.close();
    expect(patches[0]).toEqual({ offset: 0, size: partSize });

    // A new page, the same file: the upload goes on from where the server says it stands.
    patches.length = 0;
    const again = await uploads.newPage();
    watch(again);
    // Chromium shows a request's body (a slice of the file) only to an intercepted request.
    await again.route('**/api/evidence/uploads/*', (route) => route.fallback());
    await start(again);
    await again.getByText(/Kept as E-\d{4}/).waitFor({ timeout: 30_000 });
    expect(patches.map((p) => p.offset)).toEqual([partSize, partSize * 2]);
    expect(patches.map((p) => p.size)).toEqual([partSize, bytes.length - partSize * 2]);
    const found = await documenter.ok<{ items: { sha256: string }[] }>('GET', `/evidence?q=${sha(bytes)}`);
    expect(found.items.map((i) => i.sha256)).toEqual([sha(bytes)]);
    await uploads.close();
  });
});
