import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, createWorld, signIn, totpCode, type World } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * On a slow link the page is there, and typed into, before its script has loaded. Hydration must keep what was
 * typed: the script's requests are held here until the fields are filled, then let through. After a refused save the
 * fields show the values the server sent back, with and without JavaScript.
 */
describeWithBrowser('form fields filled before hydration', () => {
  let server: TestServer;
  let world: World;
  let browser: BrowserHandle;
  let documenter: ApiClient;
  let sourceId: string;

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    browser = await launchBrowser(server.origin);
    documenter = await signIn(server.origin, world.documenter);
    ({ id: sourceId } = await documenter.ok<{ id: string }>('POST', '/sources', {
      type: 'study-report',
      title: 'Ombudsman report, 100 days',
    }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A signed-in context whose app scripts wait until `release()`; stylesheets and pages go through. */
  async function slowScripts(): Promise<{ context: BrowserContext; page: Page; release: () => void }> {
    // Service workers blocked, so that every script request reaches the route below.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.addCookies([documenter.sessionCookie()]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await context.route(
      (url) => url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js'),
      async (route) => {
        await gate;
        // The request of a page already left is gone by then.
        await route.continue().catch(() => undefined);
      },
    );
    return { context, page: await context.newPage(), release };
  }

  /**
   * Posts to `path` reach the server changed by `edit`. The story form sends its texts back as posted, and a box
   * comes back as ticked: changed on the way, the server's values differ from what stayed in the fields, so a page
   * that kept its own values instead of showing the server's fails.
   */
  async function serverHears(context: BrowserContext, path: string, edit: (body: URLSearchParams) => void) {
    await context.route(
      (url) => url.pathname === path,
      async (route) => {
        const request = route.request();
        if (request.method() !== 'POST') return route.continue();
        const body = new URLSearchParams(request.postData() ?? '');
        edit(body);
        await route.continue({ postData: body.toString() });
      },
    );
  }

  const trimmed =
    (...names: string[]) =>
    (body: URLSearchParams) => {
      for (const name of names) body.set(name, (body.get(name) ?? '').trim());
    };

  /**
   * Lets the held scripts through and waits for hydration: SvelteKit turns scroll restoration to manual once it has
   * hydrated the page and started its router. The page is checked to be unhydrated before the release, since after
   * it a loaded machine may hydrate the page before the check runs.
   */
  async function hydrate(page: Page, release: () => void) {
    expect(await page.evaluate(() => history.scrollRestoration)).toBe('auto');
    release();
    await page.waitForFunction(() => history.scrollRestoration === 'manual');
    await page.waitForLoadState('networkidle');
  }

  it('keeps an input, a date, a textarea and a checkbox filled before hydration, and after a refused save', async () => {
    const { context, page, release } = await slowScripts();
    await page.goto('/en/workspace/crisis/key-figures/new', { waitUntil: 'domcontentloaded' });
    // No label in any language: the server refuses the save.
    await page.locator('[name="value"]').fill('1200');
    await page.locator('[name="asOf"]').fill('2024-03-01');
    await page.locator('[name="note"]').fill('Typed before the script loaded');
    await page.locator('[name="illustrative"]').check();
    const read = async () => ({
      value: await page.locator('[name="value"]').inputValue(),
      asOf: await page.locator('[name="asOf"]').inputValue(),
      note: await page.locator('[name="note"]').inputValue(),
      illustrative: await page.locator('[name="illustrative"]').isChecked(),
    });
    const typed = { value: '1200', asOf: '2024-03-01', note: 'Typed before the script loaded', illustrative: true };

    await hydrate(page, release);
    expect(await read()).toEqual(typed);

    // The form is enhanced: the refusal updates the page in place, with the values the server sent back.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('Fill in at least one language.').count()).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/en/workspace/crisis/key-figures/new');
    expect(await read()).toEqual(typed);
    await context.close();
  });

  it('keeps a text and a choice made before hydration, then shows the values the server returned', async () => {
    const { context, page, release } = await slowScripts();
    await page.goto('/en/workspace/sources/new', { waitUntil: 'domcontentloaded' });
    // No type: the server refuses the save, and sends the title back trimmed.
    await page.getByLabel('Title', { exact: true }).fill('  Ministry of Health reply  ');
    await page.getByLabel('Precision of the date').selectOption('year');

    await hydrate(page, release);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('  Ministry of Health reply  ');
    expect(await page.getByLabel('Precision of the date').inputValue()).toBe('year');

    await page.getByRole('button', { name: 'Register the source' }).click();
    await expect.poll(() => page.getByLabel('Type', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Ministry of Health reply');
    expect(await page.getByLabel('Precision of the date').inputValue()).toBe('year');
    await context.close();
  });

  it('keeps a radio choice and a textarea filled before hydration, then shows the values the server returned', async () => {
    const { context, page, release } = await slowScripts();
    await page.goto(`/en/workspace/sources/${sourceId}`, { waitUntil: 'domcontentloaded' });
    // No record chosen: the server refuses the link, and sends the quote back trimmed.
    const contradicts = page.getByRole('radio', { name: 'Contradicts' });
    const quote = page.getByLabel('Quoted claim');
    await contradicts.check();
    await quote.fill('  The ministry denies it  ');

    await hydrate(page, release);
    expect(await contradicts.isChecked()).toBe(true);
    expect(await quote.inputValue()).toBe('  The ministry denies it  ');

    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expect.poll(() => page.getByLabel('Record', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await contradicts.isChecked()).toBe(true);
    expect(await quote.inputValue()).toBe('The ministry denies it');
    await context.close();
  });

  it('shows the values the server returned after a refused save without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([documenter.sessionCookie()]);
    const page = await context.newPage();
    await page.goto('/en/workspace/sources/new');
    await page.getByLabel('Title', { exact: true }).fill('  Ministry of Health reply  ');
    await page.getByLabel('Precision of the date').selectOption('year');
    await page.getByRole('button', { name: 'Register the source' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Type', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Ministry of Health reply');
    expect(await page.getByLabel('Precision of the date').inputValue()).toBe('year');

    await page.goto(`/en/workspace/sources/${sourceId}`);
    await page.getByRole('radio', { name: 'Contradicts' }).check();
    await page.getByLabel('Quoted claim').fill('  The ministry denies it  ');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Record', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('radio', { name: 'Contradicts' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Quoted claim').inputValue()).toBe('The ministry denies it');
    await context.close();
  });

  it('keeps the title and narrative of a story typed before hydration, then shows the values the server returned', async () => {
    const { context, page, release } = await slowScripts();
    await serverHears(context, '/en/workspace/stories/new', trimmed('texts.en.title', 'texts.en.narrative'));
    await page.goto('/en/workspace/stories/new', { waitUntil: 'domcontentloaded' });
    // No person chosen: the server refuses the save, and sends back the texts it heard (trimmed on the way).
    const title = page.getByLabel('Title', { exact: true }).first();
    const narrative = page.getByLabel('Narrative', { exact: true }).first();
    await title.fill('  Bread by candlelight  ');
    await narrative.fill('  Illustrative story, typed before the script loaded.  ');

    await hydrate(page, release);
    expect(await title.inputValue()).toBe('  Bread by candlelight  ');
    expect(await narrative.inputValue()).toBe('  Illustrative story, typed before the script loaded.  ');

    await page.getByRole('button', { name: 'Create the draft' }).click();
    await expect.poll(() => page.getByLabel('Person', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/en/workspace/stories/new');
    expect(await title.inputValue()).toBe('Bread by candlelight');
    expect(await narrative.inputValue()).toBe('Illustrative story, typed before the script loaded.');
    await context.close();
  });

  it('keeps the "still ongoing" box and start date of a record set before hydration, then shows the server values', async () => {
    const { context, page, release } = await slowScripts();
    await serverHears(context, '/en/workspace/records/new', (body) => body.delete('ongoing'));
    await page.goto('/en/workspace/records/new', { waitUntil: 'domcontentloaded' });
    // No text in any language: the API refuses the save. The page sends the start date back trimmed, and the box
    // unticked (the server hears it so).
    const start = page.getByLabel('Start date');
    const ongoing = page.getByLabel('Still ongoing');
    await start.fill('  2024-03  ');
    await ongoing.check();

    await hydrate(page, release);
    expect(await start.inputValue()).toBe('  2024-03  ');
    expect(await ongoing.isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Create the record' }).click();
    await expect
      .poll(() => page.getByText('Write a title and a summary in at least one language.').count())
      .toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/en/workspace/records/new');
    expect(await start.inputValue()).toBe('2024-03');
    expect(await ongoing.isChecked()).toBe(false);
    await context.close();
  });

  it('shows the values the server returned for a story and a record after a refused save without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies([documenter.sessionCookie()]);
    await serverHears(context, '/en/workspace/stories/new', trimmed('texts.en.title', 'texts.en.narrative'));
    await serverHears(context, '/en/workspace/records/new', (body) => body.delete('ongoing'));
    const page = await context.newPage();

    await page.goto('/en/workspace/stories/new');
    await page.getByLabel('Title', { exact: true }).first().fill('  Bread by candlelight  ');
    await page.getByLabel('Narrative', { exact: true }).first().fill('  Illustrative story, sent without a script.  ');
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Person', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Title', { exact: true }).first().inputValue()).toBe('Bread by candlelight');
    expect(await page.getByLabel('Narrative', { exact: true }).first().inputValue()).toBe(
      'Illustrative story, sent without a script.',
    );

    await page.goto('/en/workspace/records/new');
    await page.getByLabel('Start date').fill('  2024-03  ');
    await page.getByLabel('Still ongoing').check();
    await page.getByRole('button', { name: 'Create the record' }).click();
    await page.waitForLoadState();
    expect(await page.getByText('Write a title and a summary in at least one language.').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Start date').inputValue()).toBe('2024-03');
    expect(await page.getByLabel('Still ongoing').isChecked()).toBe(false);
    await context.close();
  });

  it('keeps a language section opened before hydration open, for a record and for a story, and opens it on an error', async () => {
    for (const [path, field, submit] of [
      ['/en/workspace/records/new', 'Title', 'Create the record'],
      ['/en/workspace/stories/new', 'Title', 'Create the draft'],
    ] as const) {
      const { context, page, release } = await slowScripts();
      await page.goto(path, { waitUntil: 'domcontentloaded' });
      const french = page.locator('details', { has: page.locator('summary', { hasText: 'French' }) });
      const isOpen = () => french.evaluate((d) => (d as HTMLDetailsElement).open);
      // Closed as served: the page is in English and nothing is written in French yet.
      expect(await isOpen()).toBe(false);
      await french.locator('summary').click();
      await french.getByLabel(field, { exact: true }).fill('Coupure de gaz');

      await hydrate(page, release);
      expect(await isOpen()).toBe(true);
      expect(await french.getByLabel(field, { exact: true }).inputValue()).toBe('Coupure de gaz');
      // Still the reader's to close.
      await french.locator('summary').click();
      expect(await isOpen()).toBe(false);
      // A title without the rest is refused: the section with the error opens again.
      await page.getByRole('button', { name: submit }).click();
      await expect.poll(isOpen).toBe(true);
      expect(await french.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
      await context.close();
    }
  });

  // Last: it turns two-factor authentication on for the account the other tests use.
  it('keeps a two-factor code typed before hydration', async () => {
    const { context, page, release } = await slowScripts();
    await page.goto('/en/workspace/account', { waitUntil: 'domcontentloaded' });
    // Not hydrated: the browser posts the form itself and loads the answer, whose scripts wait too.
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    const code = totpCode(secret);
    await page.getByLabel('Code from the app').fill(code);

    await hydrate(page, release);
    expect(await page.getByLabel('Code from the app').inputValue()).toBe(code);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => page.getByText('Two-factor authentication is now on.').count()).toBe(1);
    await context.close();
  });
});
