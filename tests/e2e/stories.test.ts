import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The people registry and the story pages, driven as staff use them, on the demo data (`serve --demo`): the demo
 * documenter registers a person and writes a story about them with JavaScript off, the PII guard flags the real name
 * typed into the narrative (and, with JavaScript, live as one types), consent is recorded, the story goes to review;
 * the demo reviewer publishes it, and is shown the guard's findings with an override form for a story that still
 * names the person. No page a colleague without access opens shows the real name; all of them are axe-clean.
 */

/** The canary identity: fictional, and unique enough that any appearance on a page is a leak. */
const REAL_NAME = 'Zabelcanary Vortanyan';
const OTHER_SPELLING = 'Զաբելկանարի Վորտանյան';
const PSEUDONYM = 'Nare V.';

describeWithBrowser('people registry and story pages', () => {
  let server: TestServer;
  let browser: BrowserHandle;
  let documenter: ApiClient;
  let reviewer: ApiClient;
  let communicator: ApiClient;
  let noJs: BrowserContext;
  let withJs: BrowserContext;
  let reviewerContext: BrowserContext;
  let communicatorContext: BrowserContext;
  let personPath = '';
  let personId = '';
  let storyPath = '';

  const signedIn = (role: string) => demoSignIn(server.origin, role);

  beforeAll(async () => {
    server = await startServer({ demo: true });
    documenter = await signedIn('documenter');
    reviewer = await signedIn('reviewer');
    communicator = await signedIn('communicator');
    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    await noJs.addCookies([documenter.sessionCookie()]);
    withJs = await browser.newContext();
    await withJs.addCookies([documenter.sessionCookie()]);
    reviewerContext = await browser.newContext();
    await reviewerContext.addCookies([reviewer.sessionCookie()]);
    communicatorContext = await browser.newContext({ javaScriptEnabled: false });
    await communicatorContext.addCookies([communicator.sessionCookie()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const axe = async (page: Page, label: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations.map(
      (v) => `${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  };

  it('lists the demo persons, and registers a person without JavaScript, an error next to its field first', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/people');
    // The three demo persons, by pseudonym; the demo documenter wrote them, so may read them.
    for (const p of ['Anahit M.', 'Armen K.', 'Siranush T.'])
      expect(await page.getByRole('link', { name: p, exact: true }).count()).toBe(1);
    expect(await page.getByTestId('may-reveal').count()).toBeGreaterThanOrEqual(3);
    expect(await page.content()).not.toContain('Fictitia');

    await page.getByRole('link', { name: 'Register a person' }).click();
    await page.waitForURL('**/en/workspace/people/new');
    await page.getByLabel('Pseudonym', { exact: true }).fill(PSEUDONYM);
    await page.getByLabel('Interviewee').check();
    await page.getByRole('button', { name: 'Register the person' }).click();
    // No name: refused before the API, next to the field, what was typed kept.
    const fullName = page.getByLabel('Full name');
    expect(await fullName.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-identity-fullName-error').textContent()).toContain('Required');
    expect(await page.getByLabel('Pseudonym', { exact: true }).inputValue()).toBe(PSEUDONYM);

    await fullName.fill(REAL_NAME);
    await page.getByLabel('Other spellings').fill(OTHER_SPELLING);
    await page.getByLabel('Address', { exact: true }).fill('7 Canary lane, Testville');
    await page.getByLabel('Document 1: number').fill('AB1234567');
    await page.getByRole('button', { name: 'Register the person' }).click();
    await page.waitForURL(/\/en\/workspace\/people\/[^/?]+\?created=1$/);
    personPath = new URL(page.url()).pathname;
    personId = personPath.split('/').pop()!;
    expect(await page.locator('h1').textContent()).toBe(PSEUDONYM);
    expect(await page.content()).not.toContain('Zabelcanary');

    // Show identity: a POST whose answer alone carries the identity, marked no-store, the audit noted.
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(personPath)),
      page.getByRole('button', { name: 'Show identity' }).click(),
    ]);
    expect(answer.headers()['cache-control']).toContain('no-store');
    const identity = page.getByTestId('identity');
    expect(await identity.textContent()).toContain(REAL_NAME);
    expect(await identity.textContent()).toContain(OTHER_SPELLING);
    expect(await identity.textContent()).toContain('recorded in the audit chain');
    // Reloading the page (a GET) shows it no more.
    await page.goto(personPath);
    expect(await page.content()).not.toContain('Zabelcanary');
    await page.close();
  });

  it('writes a story without JavaScript; the PII check flags the real name next to the narrative', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/stories');
    expect(await page.getByRole('link', { name: 'A classroom too cold to teach in' }).count()).toBe(1);
    await page.getByRole('link', { name: 'New story' }).click();
    await page.waitForURL('**/en/workspace/stories/new');
    await page.getByLabel('Person', { exact: true }).selectOption({ label: PSEUDONYM });
    await page.getByLabel('Title', { exact: true }).first().fill('Bread by candlelight');
    await page
      .getByLabel('Narrative', { exact: true })
      .first()
      .fill(`Illustrative test story. ${REAL_NAME} baked bread at night, when the power came back.`);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(/\/en\/workspace\/stories\/[^/]+\/edit\?created=1$/);
    storyPath = new URL(page.url()).pathname.replace(/\/edit$/, '');

    await page.getByRole('button', { name: 'Check for personal data' }).click();
    const narrative = page.getByLabel('Narrative', { exact: true }).first();
    const described = (await narrative.getAttribute('aria-describedby')) ?? '';
    expect(described).toContain('-pii');
    const beside = await page.locator(`#${described.split(' ').find((id) => id.endsWith('-pii'))}`).textContent();
    expect(beside).toContain(`characters 26–46: the real name of the protected person ${PSEUDONYM}`);
    expect(await page.getByTestId('pii-panel').textContent()).toContain('English – Narrative');
    // The finding names where, never what: the name stays in the field the user typed it into.
    expect(beside).not.toContain('Zabelcanary');
    expect(await page.getByTestId('pii-panel').textContent()).not.toContain('Zabelcanary');
    expect(await narrative.inputValue()).toContain(REAL_NAME);

    await narrative.fill(`Illustrative test story. ${PSEUDONYM} baked bread at night, when the power came back.`);
    await page.getByRole('button', { name: 'Check for personal data' }).click();
    expect(await page.getByTestId('pii-panel').textContent()).toContain('Nothing found.');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(`**${storyPath}?saved=1`);
    expect(await page.locator('[lang=en]', { hasText: 'baked bread' }).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('with JavaScript, the guard panel updates as one types', async () => {
    const page = await withJs.newPage();
    await page.goto(`${storyPath}/edit`);
    // Hydrated: the live check is on.
    await page.locator('[data-testid=pii-panel][data-live=on]').waitFor();
    const narrative = page.getByLabel('Narrative', { exact: true }).first();
    await narrative.fill(`Mentioning ${OTHER_SPELLING} by mistake, and a phone +374 91 234567.`);
    const panel = page.getByTestId('pii-panel');
    expect(await panel.getAttribute('aria-live')).toBe('polite');
    await panel.getByText('the real name of the protected person').first().waitFor({ timeout: 10_000 });
    expect(await panel.textContent()).toContain('a phone number');
    // Nothing was saved by checking.
    await page.goto(storyPath);
    expect(await page.content()).not.toContain('Զաբելկանարի');
    await page.close();
  });

  it('records consent and submits the story for review', async () => {
    const page = await noJs.newPage();
    await page.goto(storyPath);
    expect(await page.getByTestId('public-now').textContent()).toBe('Not public');
    await page.getByRole('button', { name: 'Record the consent' }).click();
    // Verbal is the default, and it needs a witness and a date: both said next to their fields.
    expect(await page.locator('#f-givenOn-error').textContent()).toBeTruthy();
    expect(await page.locator('#f-witness-error').textContent()).toContain('witness');
    await page.getByLabel('Given on').fill('2023-03-01');
    await page.getByLabel('Note on the consent').fill('Read back and agreed, in the office.');
    await page.getByLabel('Witness', { exact: true }).fill('Demo documenter');
    await page.getByRole('button', { name: 'Record the consent' }).click();
    expect(await page.getByText('Consent recorded.').count()).toBe(1);
    expect(await page.getByTestId('consent-valid').textContent()).toBe('Valid today');

    await page.getByRole('button', { name: 'Submit for review' }).click();
    expect(await page.getByText('The story has moved on.').count()).toBe(1);
    expect(await page.locator('[data-kind=status]').first().textContent()).toBe('In review');
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    await page.close();
  });

  it('the demo reviewer approves and publishes it; the story is public now', async () => {
    const page = await reviewerContext.newPage();
    await page.goto(storyPath);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('button', { name: 'Publish' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByTestId('public-now').filter({ hasText: 'Public now' }).waitFor();
    const pub = await new ApiClient(server.origin).call<{ pseudonym: string }>(
      'GET',
      `/public/stories/${storyPath.split('/').pop()}`,
    );
    expect(pub.status).toBe(200);
    expect(pub.data.pseudonym).toBe(PSEUDONYM);
    await page.close();
  });

  it('a story that still names the person is blocked at publication; the reviewer may override with a reason', async () => {
    const story = await documenter.ok<{ id: string }>('POST', '/stories', {
      personId,
      texts: { en: { title: 'A second account', narrative: `Told by ${REAL_NAME} herself.` } },
    });
    await documenter.ok('POST', `/stories/${story.id}/consents`, {
      scopes: ['text'],
      givenOn: '2023-03-01',
      evidence: 'verbal',
      evidenceNote: 'Agreed.',
      witness: 'Demo documenter',
    });
    await documenter.ok('POST', `/stories/${story.id}/transitions`, { to: 'in-review' });
    await reviewer.ok('POST', `/stories/${story.id}/transitions`, { to: 'approved' });

    const page = await reviewerContext.newPage();
    await page.goto(`/en/workspace/stories/${story.id}`);
    await page.getByRole('button', { name: 'Publish' }).click();
    const findings = page.getByTestId('guard-findings');
    await findings.waitFor();
    expect(await findings.textContent()).toContain(`English – Narrative: characters 9–29: the real name of`);
    expect(await page.getByTestId('text-findings').textContent()).toContain('characters 9–29');
    // The reviewer has no access to this identity: the findings name the pseudonym, never the name.
    expect(await findings.textContent()).not.toContain('Zabelcanary');
    await page.getByLabel('Reason for publishing anyway').fill('Too short');
    await page.getByRole('button', { name: 'Publish despite the findings' }).click();
    await page.locator('#f-overrideReason-error').waitFor();
    await page.getByLabel('Reason for publishing anyway').fill('The person asked to be named in this account.');
    await page.getByRole('button', { name: 'Publish despite the findings' }).click();
    await page.getByText('Published, with your override recorded in the audit chain.').waitFor();
    expect(await page.getByTestId('public-now').textContent()).toBe('Public now');
    // Taken down again, so that the pages below only hold the story without the name.
    await page.getByLabel('Reason for unpublishing').fill('Test: the override was only for this check.');
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByTestId('public-now').filter({ hasText: 'Not public' }).waitFor();
    await reviewer.ok('POST', `/stories/${story.id}/transitions`, { to: 'draft' });
    await documenter.ok('PATCH', `/stories/${story.id}`, {
      version: (await documenter.ok<{ version: number }>('GET', `/stories/${story.id}`)).version,
      texts: { en: { title: 'A second account', narrative: `Told by ${PSEUDONYM} herself.` } },
    });
    await page.close();
  });

  it('no page shows the real name to a colleague without access; people pages are closed to other roles', async () => {
    const leaks: string[] = [];
    const check = async (context: BrowserContext, paths: string[]) => {
      const page = await context.newPage();
      for (const p of paths) {
        await page.goto(p);
        const html = await page.content();
        for (const canary of ['Zabelcanary', 'Vortanyan', 'Զաբելկանարի', 'Canary lane', 'AB1234567'])
          if (html.includes(canary)) leaks.push(`${p}: ${canary}`);
      }
      await page.close();
    };
    await check(reviewerContext, [
      storyPath,
      '/en/workspace/stories',
      `${storyPath}/edit`,
      '/en/workspace/people',
      personPath,
    ]);
    await check(communicatorContext, [storyPath, '/en/workspace/stories']);
    expect(leaks).toEqual([]);

    // The reviewer was not granted this identity: no button to show it.
    const page = await reviewerContext.newPage();
    await page.goto(personPath);
    expect(await page.getByRole('button', { name: 'Show identity' }).count()).toBe(0);
    expect(await page.getByText('You have not been granted access').count()).toBe(1);
    const closed = await communicatorContext.newPage();
    const response = await closed.goto('/en/workspace/people');
    expect(response?.status()).toBe(403);
    expect(await closed.getByRole('link', { name: 'People' }).count()).toBe(0);
    await page.close();
    await closed.close();
  });

  it('the people and story pages have no axe violations', async () => {
    const report: string[] = [];
    const page = await withJs.newPage();
    for (const p of [
      '/en/workspace/people',
      '/en/workspace/people/new',
      personPath,
      '/en/workspace/stories',
      '/en/workspace/stories/new',
      storyPath,
      `${storyPath}/edit`,
      '/hy/workspace/stories',
      `/ru${storyPath.replace(/^\/en/, '')}`,
    ]) {
      await page.goto(p);
      report.push(...(await axe(page, p)));
    }
    // With errors and findings showing.
    await page.goto(personPath);
    await page.getByRole('button', { name: 'Show identity' }).click();
    await page.getByTestId('identity').waitFor();
    report.push(...(await axe(page, 'person (identity shown)')));
    await page.goto(`${storyPath}/edit`);
    await page.locator('[data-testid=pii-panel][data-live=on]').waitFor();
    await page.getByLabel('Narrative', { exact: true }).first().fill(`${REAL_NAME} again.`);
    await page.getByTestId('pii-findings').first().waitFor({ timeout: 10_000 });
    report.push(...(await axe(page, 'story editor (findings)')));
    await page.close();
    expect(report, report.join('\n')).toEqual([]);
  });
});
