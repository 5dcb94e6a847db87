import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../core/logger.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import { createTestApi, type TestApi } from '../testing/api.js';
import { testDialects } from '../testing/db.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Person } from '../people/index.js';
import type { Story } from '../stories/index.js';

/**
 * Leak canaries. A protected person whose real name, other spelling and address are canaries, a restricted record
 * and an internal one with canary titles, a draft and a withdrawn story: none of it may reach a public answer, a
 * search result or count, an export, a log line at info level, or an error message.
 *
 * It grows by itself: every GET route the OpenAPI document marks `public` is called, with each planted id in its
 * path parameters and each canary as a search query, so a public endpoint added later is covered the day it lands.
 * Browser pages and the static mirror get the same canaries in the end-to-end suite.
 */
const CANARY = {
  name: 'Leakarine Qanaryanova',
  other: 'Լիքարինե Քանարյանովա',
  address: '14 Canarystraat, Goris',
  restricted: 'CANARY-restricted-4b1d',
  internal: 'CANARY-internal-77c2',
  draftRecord: 'CANARY-draft-record-a0f3',
  draftStory: 'CANARY-draft-story-5e90',
  withdrawnStory: 'CANARY-withdrawn-story-c3d1',
};
const WORDS = [
  'Leakarine',
  'Qanaryanova',
  'Լիքարինե',
  'Canarystraat',
  ...Object.values(CANARY).filter((v) => v.startsWith('CANARY')),
];

describe.each(testDialects())('leak canaries [%s]', (dialect) => {
  let api: TestApi;
  let factory: Factory;
  const logLines: string[] = [];
  let logger: Logger;
  let restrictedId: string;
  let internalId: string;
  const planted: Record<string, string> = {};
  let sessions: { cole: string; jane: string; dan: string };
  const json = async <T>(res: Response) => (await res.json()) as T;
  const expectClean = (where: string, body: string) => {
    for (const w of [...WORDS, restrictedId, internalId]) expect(body, `${where} shows ${w}`).not.toContain(w);
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    logger = pino<never>({ level: 'info' }, sink);
    api = await createTestApi(dialect, { logger });
    factory = createFactory(api);
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    sessions = {
      cole: (await factory.signedIn('cole', { role: 'communicator' })).session,
      jane: (await factory.signedIn('jane', { role: 'journalist' })).session,
      dan: (await factory.signedIn('dan', { role: 'documenter' })).session,
    };
    const actor: Actor = { userId: dora.id, role: 'documenter', via: 'session', pendingSecondFactor: false };
    const post = async <T>(path: string, body: unknown, session = dora.session) => {
      const res = await api.request(path, { method: 'POST', session, json: body });
      expect(res.status, path).toBeLessThan(300);
      return json<T>(res);
    };

    const person = await post<Person>('/api/people', {
      pseudonym: 'Narine V.',
      pseudonymLang: 'en',
      roles: ['interviewee'],
      identity: {
        fullName: CANARY.name,
        otherNames: [CANARY.other],
        address: CANARY.address,
        contact: '+374 91 424242',
      },
    });
    planted.person = person.id;
    const restricted = await api.platform.records.create(
      {
        texts: { en: { title: CANARY.restricted, summary: `${CANARY.restricted} summary` } },
        confidentiality: 'restricted',
        tags: ['canary'],
      },
      actor,
    );
    restrictedId = restricted.id;
    internalId = (
      await api.platform.records.create(
        {
          texts: { en: { title: CANARY.internal, summary: 'Internal.' } },
          confidentiality: 'internal',
          tags: ['canary'],
        },
        actor,
      )
    ).id;
    planted.draftRecord = (
      await api.platform.records.create(
        { texts: { en: { title: CANARY.draftRecord, summary: 'Draft.' } }, tags: ['canary'] },
        actor,
      )
    ).id;
    const published = await api.platform.records.create(
      {
        texts: { en: { title: 'Convoy turned back', summary: 'According to the report, the convoy was turned back.' } },
        tags: ['canary'],
      },
      actor,
    );
    planted.published = published.id;
    for (const [to, session] of [
      ['in-review', dora.session],
      ['approved', rita.session],
      ['published', rita.session],
    ] as const)
      await post(`/api/records/${published.id}/transitions`, { to }, session);

    const story = (title: string, narrative: string) =>
      post<Story>('/api/stories', {
        personId: person.id,
        texts: { en: { title, narrative } },
        recordIds: [published.id, restrictedId],
      });
    const consent = {
      scopes: ['text'],
      givenOn: '2023-02-01',
      evidence: 'verbal',
      evidenceNote: 'By phone',
      witness: 'A colleague',
    };
    const publish = async (s: Story) => {
      const withConsent = await post<Story>(`/api/stories/${s.id}/consents`, consent);
      await post(`/api/stories/${s.id}/transitions`, { to: 'in-review' });
      await post(`/api/stories/${s.id}/transitions`, { to: 'approved' }, rita.session);
      await post(`/api/stories/${s.id}/transitions`, { to: 'published' }, rita.session);
      return withConsent.consents[0]!.id;
    };
    const open = await story('The convoy', 'Narine V. watched the convoy turn back.');
    await publish(open);
    planted.story = open.id;
    planted.draftStory = (await story(CANARY.draftStory, 'Narine V. again.')).id;
    const withdrawn = await story(CANARY.withdrawnStory, 'Narine V. once more.');
    const consentId = await publish(withdrawn);
    await post(`/api/stories/${withdrawn.id}/consents/${consentId}/withdrawal`, {
      withdrawnOn: '2023-03-01',
      note: 'Asked to.',
    });
    planted.withdrawnStory = withdrawn.id;
    // The author reads the identity once: that is allowed, and must leave no trace in the logs either.
    expect((await api.request(`/api/people/${person.id}/identity`, { session: dora.session })).status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('never appears on any public API answer, for any planted id or canary query', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { 'x-permission'?: string }>> }>(
      await api.request('/api/openapi.json'),
    );
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method, op]) => method === 'get' && op['x-permission'] === 'public')
        .map(() => path),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        '/api/public/records',
        '/api/public/exports/records',
        '/api/public/stories',
        '/api/public/stories/{id}',
      ]),
    );
    const ids = [...Object.values(planted), restrictedId, internalId];
    let calls = 0;
    for (const path of routes) {
      const concrete = path.includes('{')
        ? ids.map((id) => path.replace(/\{[^}]+\}/g, encodeURIComponent(id)))
        : [path];
      for (const url of concrete)
        for (const query of ['', ...WORDS.map((w) => `?q=${encodeURIComponent(w)}`)]) {
          const res = await api.request(url + query);
          calls++;
          expectClean(`${url}${query} (${res.status})`, await res.text());
        }
    }
    expect(calls).toBeGreaterThan(50);
  });

  it('never appears in staff search, facets or exports for a staff member who may not see it', async () => {
    for (const w of WORDS) {
      const res = await api.request(`/api/records?q=${encodeURIComponent(w)}&facets=true`, { session: sessions.cole });
      expect(res.status).toBe(200);
      const body = await res.text();
      // The internal record may be found by staff; the restricted one never, and names never.
      expect(body).not.toContain(CANARY.restricted);
      expect(body).not.toContain(restrictedId);
      for (const n of ['Leakarine', 'Լիքարինե', 'Canarystraat']) expect(body).not.toContain(n);
    }
    for (const format of ['csv', 'json', 'geojson']) {
      const res = await api.request(`/api/exports/records?format=${format}&tag=canary`, { session: sessions.cole });
      expect(res.status, format).toBe(200);
      const body = await res.text();
      if (format !== 'geojson') expect(body, format).toContain('Convoy turned back');
      expect(body, format).not.toContain(CANARY.restricted);
      expect(body, format).not.toContain(restrictedId);
    }
  });

  it('never shows the identity to staff without a grant: lists, stories, errors', async () => {
    for (const [path, session] of [
      ['/api/people', sessions.dan],
      [`/api/people/${planted.person}`, sessions.dan],
      [`/api/people/${planted.person}/identity`, sessions.dan],
      [`/api/people/${planted.person}/identity`, sessions.cole],
      [`/api/people/${planted.person}/identity`, sessions.jane],
      ['/api/stories', sessions.cole],
      [`/api/stories/${planted.story}`, sessions.cole],
      [`/api/stories/${planted.story}/pii-check`, sessions.dan],
    ] as const) {
      const res = await api.request(
        path,
        path.endsWith('pii-check') ? { method: 'POST', session, json: {} } : { session },
      );
      const body = await res.text();
      for (const n of ['Leakarine', 'Qanaryanova', 'Լիքարինե', 'Canarystraat', '424242'])
        expect(body, `${path} (${res.status})`).not.toContain(n);
    }
  });

  it('never reaches a log line at info level', () => {
    // The capture works: a line logged the way the platform logs arrives here.
    logger.info({ probe: true }, 'probe');
    expect(logLines.some((l) => l.includes('"probe":true'))).toBe(true);
    const all = logLines.join('');
    for (const n of [
      'Leakarine',
      'Qanaryanova',
      'Լիքարինե',
      'Canarystraat',
      '424242',
      CANARY.restricted,
      CANARY.draftStory,
    ])
      expect(all).not.toContain(n);
  });
});
