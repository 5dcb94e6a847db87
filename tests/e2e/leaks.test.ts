import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, signIn, type World } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * Leak canaries on the public site, as a reader without an account gets it: a protected person with a canary name,
 * a restricted, an internal and a draft record, and a draft story, all with canary titles. Every public page reached
 * by following links from the four home pages (and the known public entry points) is fetched as served, and none
 * may hold a canary. New public pages are covered as soon as something links to them.
 */
const CANARY = {
  name: 'Leakovna Qanarikyan',
  other: 'Լեկովնա Քանարիկյան',
  restricted: 'CANARY-e2e-restricted-61b0',
  internal: 'CANARY-e2e-internal-9d2e',
  draft: 'CANARY-e2e-draft-record-07aa',
  story: 'CANARY-e2e-draft-story-3c4f',
};
const WORDS = ['Leakovna', 'Qanarikyan', 'Լեկովնա', ...Object.values(CANARY).filter((v) => v.startsWith('CANARY'))];
const ENTRY_POINTS = ['/en', '/fr', '/hy', '/ru', '/en/reports', '/sitemap.xml', '/robots.txt'];
/** Where a reader without an account never goes, or which are not pages. */
const SKIP = /^\/(?:(?:en|fr|hy|ru)\/)?(?:workspace|sign-in|sign-out|setup|invite|enrol)(?:\/|$)|^\/_app\//;
const MAX_PAGES = 400;

describe('public site leak canaries', { timeout: 180_000 }, () => {
  let server: TestServer;
  let world: World;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    world = await createWorld(server);
    const documenter = await signIn(server.origin, world.documenter);
    const admin = world.admin.client;
    const person = await documenter.ok<{ id: string }>('POST', '/people', {
      pseudonym: 'Hripsime D.',
      pseudonymLang: 'en',
      roles: ['witness'],
      identity: { fullName: CANARY.name, otherNames: [CANARY.other] },
    });
    const record = (title: string, confidentiality: string) =>
      documenter.ok<{ id: string }>('POST', '/records', {
        texts: { en: { title, summary: `${title} summary.` } },
        confidentiality,
      });
    for (const [title, level] of [
      [CANARY.restricted, 'restricted'],
      [CANARY.internal, 'internal'],
      [CANARY.draft, 'public'],
    ] as const)
      ids.push((await record(title, level)).id);
    // A published record and a published story, so that the public pages have something to link to.
    const open = await record('Convoy turned back at the checkpoint', 'public');
    await documenter.ok('POST', `/records/${open.id}/transitions`, { to: 'in-review' });
    await admin.ok('POST', `/records/${open.id}/transitions`, { to: 'approved' });
    await admin.ok('POST', `/records/${open.id}/transitions`, { to: 'published' });
    const story = await documenter.ok<{ id: string }>('POST', '/stories', {
      personId: person.id,
      texts: { en: { title: CANARY.story, narrative: 'Hripsime D. tells of the convoy.' } },
      recordIds: [open.id, ids[0]],
    });
    ids.push(person.id, story.id);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('shows no canary on any public page reachable from the home pages, in any language', async () => {
    const queue = [...ENTRY_POINTS];
    const seen = new Set(queue);
    const fetched: string[] = [];
    while (queue.length && fetched.length < MAX_PAGES) {
      const path = queue.shift()!;
      const res = await fetch(`${server.origin}${path}`, { redirect: 'manual' });
      const body = await res.text();
      fetched.push(`${path} ${res.status}`);
      for (const w of [...WORDS, ...ids]) expect(body, `${path} (${res.status}) shows ${w}`).not.toContain(w);
      const location = res.headers.get('location');
      const links = [...body.matchAll(/(?:href|src|action)="([^"#]+)/g)].map((m) => m[1]!);
      if (location) links.push(location);
      for (const link of links) {
        const url = new URL(link.replace(/&amp;/g, '&'), `${server.origin}${path}`);
        if (url.origin !== server.origin) continue;
        const next = url.pathname + url.search;
        if (SKIP.test(url.pathname) || seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    // The crawl reached the home pages in every language and went beyond them.
    for (const home of ['/en 200', '/fr 200', '/hy 200', '/ru 200']) expect(fetched).toContain(home);
    expect(fetched.length).toBeGreaterThan(ENTRY_POINTS.length);
  });
});
