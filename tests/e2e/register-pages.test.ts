import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, launchBrowser, type BrowserHandle } from './browser';
import { ApiClient, createWorld, PASSWORD, signIn, type World } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The register's workspace pages, driven as staff use them: a documenter writes a record with JavaScript off, a
 * reviewer publishes it, four eyes hold, and the list, the detail (history, diff), the timeline and the places map
 * show it. One server for the whole file.
 */
describeWithBrowser('register pages', () => {
  let server: TestServer;
  let world: World;
  let browser: BrowserHandle;
  let documenter: ApiClient;
  let reviewer: ApiClient;
  let noJs: BrowserContext;
  let reviewerContext: BrowserContext;
  let recordPath = '';
  let code = '';
  const WORD = 'Zangezurcanary';
  const year = String(new Date().getUTCFullYear() - 1);

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    const invitation = await world.admin.client.ok<{ token: string }>('POST', '/users/invitations', {
      email: 'rita@e2e.test',
      role: 'reviewer',
    });
    await new ApiClient(server.origin).ok('POST', `/invitations/${invitation.token}/accept`, {
      displayName: 'Rita Reviewer',
      password: PASSWORD,
    });
    documenter = await signIn(server.origin, world.documenter);
    reviewer = await signIn(server.origin, { email: 'rita@e2e.test', password: PASSWORD });
    const region = await world.admin.client.ok<{ id: string }>('POST', '/places', {
      name: 'Syunik',
      type: 'region',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [45.9, 39.2],
            [46.6, 39.2],
            [46.6, 39.9],
            [45.9, 39.9],
            [45.9, 39.2],
          ],
        ],
      },
    });
    await world.admin.client.ok('POST', '/places', {
      name: 'Goris',
      type: 'town',
      parentId: region.id,
      altNames: [
        { name: 'Գորիս', lang: 'hy' },
        { name: 'Горис', lang: 'ru' },
      ],
      geometry: { type: 'Point', coordinates: [46.339, 39.511] },
    });

    browser = await launchBrowser(server.origin);
    noJs = await browser.newContext({ javaScriptEnabled: false });
    await noJs.addCookies([documenter.sessionCookie()]);
    reviewerContext = await browser.newContext();
    await reviewerContext.addCookies([reviewer.sessionCookie()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The value of the option whose text starts with a record's code. */
  const optionFor = async (page: Page, recordCode: string) =>
    (await page.locator('select option', { hasText: recordCode }).first().getAttribute('value')) ?? '';

  const errorOf = async (page: Page, label: string | Locator) => {
    const input = typeof label === 'string' ? page.getByLabel(label, { exact: true }) : label;
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
    expect(ids).toHaveLength(1);
    return (await page.locator(`#${ids[0]}`).textContent())?.trim();
  };

  it('creates a record through the form without JavaScript, with an error shown next to its field, then fixed', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/records');
    await page.getByRole('link', { name: 'New record' }).click();
    await page.waitForURL('**/en/workspace/records/new');
    await page.getByLabel('Title', { exact: true }).first().fill(`Convoy stopped at the ${WORD} checkpoint`);
    await page.getByLabel('Summary', { exact: true }).first().fill('A humanitarian convoy was held for nine hours.');
    await page.getByLabel('Start date').fill(`${year}-09-19`);
    await page.getByLabel('Precision of the start').selectOption('month');
    await page.getByLabel('Type of violation').selectOption('restriction-of-movement');
    await page.getByLabel('Places').selectOption({ label: 'Goris' });
    await page.getByLabel('Freedom of movement').check();
    await page.getByLabel('Children').fill('12');
    await page.getByLabel('Name of responsible 1').fill('Checkpoint personnel');
    await page.getByLabel('Tags').fill('convoy, checkpoint');
    await page.getByRole('button', { name: 'Create the record' }).click();

    // The API refused the date for its precision: the message sits next to the field, the summary lists it.
    expect(await errorOf(page, 'Start date')).toBe('For this precision, write the date as YYYY-MM.');
    const attribution = page.getByRole('group', { name: 'Responsible 1' }).getByLabel('According to');
    expect(await errorOf(page, attribution)).toBe('Say according to whom.');
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('link', { name: /Start date/ }).getAttribute('href')).toBe('#f-startDate');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    // What was typed is still there.
    expect(await page.getByLabel('Title', { exact: true }).first().inputValue()).toContain(WORD);
    expect(await page.getByLabel('Children').inputValue()).toBe('12');
    expect(await page.getByLabel('Freedom of movement').isChecked()).toBe(true);

    await page.getByLabel('Precision of the start').selectOption('day');
    await attribution.fill('the ombudsman’s interim report');
    await page.getByRole('button', { name: 'Create the record' }).click();
    await page.waitForURL(/\/en\/workspace\/records\/[^/?]+\?saved=1$/);
    recordPath = new URL(page.url()).pathname;
    code = (await page.locator('.code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^V-\d{4}-\d{4}$/);
    expect(await page.getByRole('status').textContent()).toContain('Saved.');
    expect(await page.locator('h1').textContent()).toContain(WORD);
    expect(await page.getByText('Checkpoint personnel').count()).toBe(1);

    // A second revision through the edit form, so that the history has a content change to show.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Title', { exact: true }).first().fill(`Convoy held at the ${WORD} checkpoint`);
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.waitForURL(`**${recordPath}?saved=1`);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    expect(await page.getByRole('status').first().textContent()).toContain('The record has moved on.');
    expect(await page.locator('.record-head [data-kind=status]').textContent()).toBe('In review');
    // A documenter cannot approve or publish: the page does not offer it.
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    await page.close();
  });

  it('a reviewer approves and publishes it', async () => {
    const page = await reviewerContext.newPage();
    await page.goto(recordPath);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.record-head [data-kind=status]').textContent()).toBe('Approved');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.locator('.record-head [data-kind=status]').textContent()).toBe('Published');
    expect(await page.getByLabel('Reason for unpublishing').count()).toBe(1);
    await page.close();
  });

  it('the author cannot publish their own record: four eyes', async () => {
    const own = await reviewer.ok<{ id: string }>('POST', '/records', {
      texts: { en: { title: 'Reviewer’s own record', summary: 'Written by Rita.' } },
      startDate: year,
      startPrecision: 'year',
    });
    await reviewer.ok('POST', `/records/${own.id}/transitions`, { to: 'in-review' });
    await reviewer.ok('POST', `/records/${own.id}/transitions`, { to: 'approved' });
    const page = await reviewerContext.newPage();
    await page.goto(`/en/workspace/records/${own.id}`);
    expect(await page.getByText('You wrote this record: another reviewer has to publish it.').count()).toBe(1);
    await page.getByRole('button', { name: 'Publish' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Four eyes');
    expect(await page.locator('.record-head [data-kind=status]').textContent()).toBe('Approved');
    await page.close();
  });

  it('the list finds it by its words, narrows it with facets, and saves the search', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/records');
    await page.getByRole('searchbox', { name: 'Search the records' }).fill(WORD.toLowerCase());
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.getByRole('heading', { name: 'Records found: 1' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: code }).count()).toBe(1);
    // The snippet marks the word found; the facets count what matched.
    expect(await page.locator('.snippet mark').first().textContent()).toBe(WORD);
    const facets = page.getByRole('complementary', { name: 'Narrow down' });
    expect(await facets.locator('li', { hasText: 'Published' }).textContent()).toMatch(/Published\s*1/);
    await facets.getByRole('link', { name: 'Children' }).click();
    expect(new URL(page.url()).searchParams.get('group')).toBe('children');
    expect(new URL(page.url()).searchParams.get('q')).toBe(WORD.toLowerCase());
    expect(await page.getByRole('link', { name: code }).count()).toBe(1);
    // The chosen facet value takes the filter off again.
    expect(await facets.getByRole('link', { name: 'Remove the filter Children' }).count()).toBe(1);

    await page.getByLabel('Name of this search').fill('Convoy with children');
    await page.getByRole('button', { name: 'Save this search' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Search saved as “Convoy with children”.');
    const saved = page.getByRole('link', { name: 'Convoy with children' });
    expect(await saved.getAttribute('href')).toContain('group=children');
    await page.goto(`/en/workspace/records?q=${WORD}&status=draft`);
    expect(await page.getByRole('heading', { name: 'Records found: 0' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Convoy with children' }).click();
    expect(await page.getByRole('link', { name: code }).count()).toBe(1);
    await page.close();
  });

  it('the detail shows the history and a diff between two revisions', async () => {
    const page = await noJs.newPage();
    await page.goto(recordPath);
    const history = page.getByRole('table', { name: 'Revisions' });
    expect(await history.getByRole('row').count()).toBe(6); // header, create, edit, review, approve, publish
    expect(await history.getByText('Moved to Published').count()).toBe(1);
    // Who did what, by name from the staff directory: the reviewer approved and published, the reader is "you".
    expect(await history.getByRole('cell', { name: 'Rita Reviewer', exact: true }).count()).toBe(2);
    expect(await history.getByRole('cell', { name: 'you', exact: true }).count()).toBe(3);
    await page.getByLabel('From revision').selectOption('1');
    await page.getByLabel('To revision').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const diff = page.getByRole('table', { name: 'Changes from revision 1 to revision 2' });
    const row = diff.getByRole('row', { name: /texts\.en\.title/ });
    expect(await row.textContent()).toContain(`Convoy stopped at the ${WORD} checkpoint`);
    expect(await row.textContent()).toContain(`Convoy held at the ${WORD} checkpoint`);
    expect(await page.getByText('Verification history').count()).toBe(1);
    await page.close();
  });

  it('a documenter names who may see a restricted record by name (staff directory, no emails)', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/records/new');
    const people = page.getByRole('group', { name: 'People who may see it when restricted' });
    const labels = (await people.locator('label').allTextContents()).map((t) => t.trim());
    expect(labels).toEqual(expect.arrayContaining(['Ada Admin (Administrator)', 'Rita Reviewer (Reviewer)']));
    // Nobody else's email reaches the page (the reader's own is in the page data).
    for (const email of ['ada@e2e.test', 'rita@e2e.test']) expect(await page.content()).not.toContain(email);
    await page.getByLabel('Title', { exact: true }).first().fill('Witness account, named readers only');
    await page.getByLabel('Summary', { exact: true }).first().fill('Shown to the people named.');
    await page.getByLabel('Start date').fill(year);
    await page.getByLabel('Precision of the start').selectOption('year');
    await page.getByRole('radio', { name: /^Restricted/ }).check();
    await people.getByLabel('Rita Reviewer (Reviewer)').check();
    await page.getByRole('button', { name: 'Create the record' }).click();
    await page.waitForURL(/\/en\/workspace\/records\/[^/?]+\?saved=1$/);
    const named = page.locator('dt', { hasText: 'People who may see it when restricted' }).locator('+ dd');
    expect((await named.textContent())?.trim()).toBe('Rita Reviewer');
    for (const email of ['ada@e2e.test', 'rita@e2e.test']) expect(await page.content()).not.toContain(email);
    await page.close();
  });

  it('the timeline shows it under its year, and the year month by month', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/timeline');
    expect(await page.locator(`[data-period="${year}"]`).getByRole('link', { name: code }).count()).toBe(1);
    await page.getByRole('link', { name: `${year}, month by month` }).click();
    expect(await page.locator(`[data-period="${year}-09"]`).getByRole('link', { name: code }).count()).toBe(1);
    expect(await page.locator(`[data-period="${year}-08"]`).getByRole('link').count()).toBe(0);
    await page.close();
  });

  it('the places page shows a map and alternative names', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/places');
    const map = page.getByTestId('svg-map');
    expect(await map.getAttribute('role')).toBe('img');
    expect(await map.locator('circle').count()).toBe(2);
    expect(await page.getByText('Горис').count()).toBe(1);
    await page.getByRole('link', { name: 'Syunik' }).first().click();
    expect(await page.getByTestId('svg-map').locator('path').count()).toBe(1);
    await page.close();
  });

  it('sources and inquiries: registered, graded and linked through their forms', async () => {
    const page = await noJs.newPage();
    await page.goto('/en/workspace/inquiries/new');
    await page.getByLabel('State body').fill('Ministry of Territorial Administration');
    await page.getByLabel('Subject').fill('Access of the convoy to Goris');
    await page.getByLabel('Sent on').fill(`${year}-09-20`);
    await page.getByLabel('Answer due by').fill(`${year}-09-10`);
    await page.getByRole('button', { name: 'Record the inquiry' }).click();
    expect(await errorOf(page, 'Answer due by')).toBe('The due date is before the date sent.');
    await page.getByLabel('Answer due by').fill(`${year}-10-05`);
    await page.getByRole('button', { name: 'Record the inquiry' }).click();
    await page.waitForURL(/\/en\/workspace\/inquiries\/[^/]+$/);
    expect(await page.locator('[data-kind=inquiry]').textContent()).toBe('Overdue');
    await page.getByLabel('Link a record').selectOption(await optionFor(page, code));
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    expect(await page.getByRole('link', { name: code }).count()).toBe(1);

    await page.goto('/en/workspace/sources/new');
    await page.getByLabel('Type').selectOption('official-document');
    await page.getByLabel('Title').fill('Statement of the ministry on the convoy');
    await page.getByLabel('Publisher or author').fill('Ministry of Territorial Administration');
    await page.getByRole('button', { name: 'Register the source' }).click();
    await page.waitForURL(/\/en\/workspace\/sources\/[^/]+$/);
    await page.getByLabel('Record', { exact: true }).selectOption(await optionFor(page, code));
    await page.getByLabel('Supports').check();
    await page.getByLabel('Quoted claim').fill('The convoy waited nine hours at the checkpoint.');
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    expect(await page.getByText('The convoy waited nine hours at the checkpoint.').count()).toBe(1);
    const sourcePath = new URL(page.url()).pathname;
    expect(await page.getByRole('button', { name: 'Save the grade' }).count()).toBe(0);
    await page.close();

    // Grading is a reviewer's judgement: the documenter is not offered the form, the reviewer is.
    const reviewing = await reviewerContext.newPage();
    await reviewing.goto(sourcePath);
    await reviewing.getByLabel('Reliability of the source').selectOption('B');
    await reviewing.getByLabel('Credibility of the information').selectOption('2');
    await reviewing.getByRole('button', { name: 'Save the grade' }).click();
    await expect.poll(() => reviewing.getByTestId('grade').textContent()).toContain('B2');

    // The record's page lists the source with its type, grade, relation and the claim quoted.
    await reviewing.goto(recordPath);
    const sources = reviewing.getByRole('table', { name: 'Sources' });
    const linked = sources.getByTestId('record-source');
    expect(await linked.count()).toBe(1);
    const cells = (await linked.locator('td').allTextContents()).map((t) => t.trim());
    expect(cells).toEqual([
      'Supports',
      'Statement of the ministry on the convoy',
      'Official document',
      'B2',
      'The convoy waited nine hours at the checkpoint.',
    ]);
    expect(
      await sources.getByRole('link', { name: 'Statement of the ministry on the convoy' }).getAttribute('href'),
    ).toBe(sourcePath);
    await reviewing.close();
  });

  // Every page in English; in Armenian (longer words, another script) the list and the form, where layouts break
  // first. axe takes 2–5 s a page here, so the second language does not repeat them all.
  for (const locale of ['en', 'hy']) {
    it(`/${locale}: the register pages have no axe violations`, async () => {
      const page = await reviewerContext.newPage();
      const paths =
        locale === 'en'
          ? [
              `/workspace/records?q=${WORD}&status=published`,
              recordPath.replace(/^\/en/, ''),
              '/workspace/records/new',
              '/workspace/timeline',
              '/workspace/places',
              '/workspace/sources',
              '/workspace/inquiries',
            ]
          : ['/workspace/records'];
      const report: string[] = [];
      for (const path of paths) {
        const response = await page.goto(`/${locale}${path}`);
        expect(response?.status(), path).toBe(200);
        const { violations } = await new AxeBuilder({ page }).analyze();
        report.push(
          ...violations.map(
            (v) => `${path}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          ),
        );
      }
      // The form with its errors showing.
      await page.goto(`/${locale}/workspace/records/new`);
      await page.locator('form.record-form button[type=submit]').click();
      await page.getByRole('alert').waitFor();
      const { violations } = await new AxeBuilder({ page }).analyze();
      report.push(
        ...violations.map((v) => `new (errors): ${v.id} ${v.help}: ${v.nodes.map((n) => n.target).join(', ')}`),
      );
      await page.close();
      expect(report, report.join('\n')).toEqual([]);
    });
  }
});
