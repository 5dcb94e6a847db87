import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Person } from '../people/index.js';
import type { PublicStory, Story } from './index.js';

type Problem = { status: number; type: string; detail?: string; errors?: { path: string; message: string }[] };
type PiiReport = { findings: { kind: string; field: string; message: string }[]; unchecked: string[] };

const CANARY = 'Qanarik Vardanyanqanar';

describeEachApi('stories API', (api) => {
  let factory: Factory;
  let dora: { session: string; userId: string; id: string; role: 'documenter' };
  let dan: { session: string };
  let rita: { session: string; userId: string };
  let rex: { session: string };
  let person: Person;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const req = (path: string, session: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    api().request(path, { method, session, ...(body === undefined ? {} : { json: body }) });
  const publicText = async () => JSON.stringify(await (await api().request('/api/public/stories')).json());
  const consent = {
    scopes: ['text'],
    givenOn: '2023-02-01',
    evidence: 'verbal',
    evidenceNote: 'Agreed on the phone to the text read back to her',
    witness: 'A colleague of the office',
  };
  const move = (id: string, session: string, to: string, extra: object = {}) =>
    req(`/api/stories/${id}/transitions`, session, { to, ...extra });
  const readyForPublishing = async (narrative: string) => {
    const s = await json<Story>(
      await req('/api/stories', dora.session, {
        personId: person.id,
        texts: {
          en: { title: 'The road to school', narrative },
          fr: { title: "Le chemin de l'école", narrative: 'Elle raconte la route fermée.', translation: 'translated' },
        },
      }),
    );
    expect((await move(s.id, dora.session, 'in-review')).status).toBe(200);
    expect((await move(s.id, rita.session, 'approved')).status).toBe(200);
    return s;
  };

  beforeAll(async () => {
    factory = createFactory(api());
    dora = { ...(await factory.signedIn('dora', { role: 'documenter' })), role: 'documenter' };
    dan = await factory.signedIn('dan', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    rex = await factory.signedIn('rex', { role: 'reviewer' });
    person = await json<Person>(
      await req('/api/people', dora.session, {
        pseudonym: 'Gohar S.',
        pseudonymLang: 'en',
        roles: ['interviewee'],
        identity: { fullName: CANARY, otherNames: ['Քանարիկ Վարդանյանքանար'], address: '3 Canarian street, Goris' },
      }),
    );
  });

  it('writes a draft under the pseudonym, with clear errors for bad links', async () => {
    const res = await req('/api/stories', dora.session, {
      personId: person.id,
      texts: { en: { title: 'Waiting for gas', narrative: 'Gohar S. describes the winter without gas.' } },
    });
    expect(res.status).toBe(201);
    const s = await json<Story>(res);
    expect(s).toMatchObject({
      status: 'draft',
      pseudonym: 'Gohar S.',
      code: expect.stringMatching(/^S-\d{4}-0001$/),
      publicNow: false,
      missingConsent: ['text'],
    });
    const bad = await req('/api/stories', dora.session, {
      personId: 'nobody',
      texts: {},
      rightIds: ['no-such-right'],
    });
    expect(bad.status).toBe(422);
    expect((await json<Problem>(bad)).errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['texts']));
    const unknown = await req('/api/stories', dora.session, {
      personId: 'nobody',
      texts: { en: { title: 't', narrative: 'n' } },
      rightIds: ['no-such-right'],
    });
    expect((await json<Problem>(unknown)).errors!.map((e) => e.path).sort()).toEqual(['personId', 'rightIds']);
    const stale = await api().request(`/api/stories/${s.id}`, {
      method: 'PATCH',
      session: dora.session,
      json: { version: 9, texts: { en: { title: 'x', narrative: 'y' } } },
    });
    expect(stale.status).toBe(409);
  });

  it('publishes only with another reviewer, valid consent and a clean PII check', async () => {
    const s = await readyForPublishing('Gohar S. walked four hours to reach the school after the road was closed.');
    expect((await move(s.id, dora.session, 'published')).status).toBe(403);
    const noConsent = await move(s.id, rita.session, 'published');
    expect(noConsent.status).toBe(409);
    expect((await json<Problem>(noConsent)).type).toBe('urn:corridor:problem:consent-required');
    const verbalWithoutWitness = await req(`/api/stories/${s.id}/consents`, dora.session, {
      ...consent,
      witness: null,
    });
    expect((await json<Problem>(verbalWithoutWitness)).errors!.map((e) => e.path)).toEqual(['witness']);
    expect((await req(`/api/stories/${s.id}/consents`, dora.session, consent)).status).toBe(201);
    const published = await move(s.id, rita.session, 'published');
    expect(published.status).toBe(200);
    expect(await json<Story>(published)).toMatchObject({ status: 'published', publicNow: true });
    const pub = await json<{ items: PublicStory[] }>(await api().request('/api/public/stories'));
    expect(pub.items.map((i) => i.id)).toContain(s.id);
    expect((await api().request(`/api/public/stories/${s.id}`)).status).toBe(200);
  });

  it('refuses a text naming the person in any script, without echoing it; a reviewer may override with a reason', async () => {
    const s = await readyForPublishing(
      'Մեզ հետ խոսեց Քանարիկ Վարդանյանքանարը, who lives at 3 Canarian street. Call +374 93 123456.',
    );
    await req(`/api/stories/${s.id}/consents`, dora.session, consent);
    const blocked = await move(s.id, rita.session, 'published');
    expect(blocked.status).toBe(422);
    const text = await blocked.text();
    const problem = JSON.parse(text) as Problem;
    expect(problem.type).toBe('urn:corridor:problem:pii-guard');
    expect(problem.errors!.map((e) => e.path)).toEqual([
      'texts.en.narrative',
      'texts.en.narrative',
      'texts.en.narrative',
    ]);
    expect(problem.errors!.map((e) => e.message).join(' ')).toMatch(/real name of the protected person Gohar S\./);
    for (const secret of ['Qanarik', 'Քանարիկ', 'Canarian', '123456']) expect(text).not.toContain(secret);
    // The live check: the author, who may read the identity, sees the name finding; another documenter does not,
    // and is told whose identity went unchecked.
    const mine = await json<PiiReport>(await req(`/api/stories/${s.id}/pii-check`, dora.session, {}));
    expect(mine.findings.map((f) => f.kind).sort()).toEqual(['address', 'phone', 'real-name']);
    const theirs = await json<PiiReport>(await req(`/api/stories/${s.id}/pii-check`, dan.session, {}));
    expect(theirs).toEqual({ findings: [expect.objectContaining({ kind: 'phone' })], unchecked: ['Gohar S.'] });
    const short = await move(s.id, rita.session, 'published', { piiOverride: { reason: 'too short' } });
    expect(short.status).toBe(422);
    const overridden = await move(s.id, rita.session, 'published', {
      piiOverride: { reason: 'The person asked to be named in this quote; consent form on file.' },
    });
    expect(overridden.status).toBe(200);
    const audit = await api().platform.audit.list({ entityType: 'story', entityId: s.id, limit: 20 });
    expect(audit.map((e) => e.action)).toContain('story.pii-override');
    const checked = await api().platform.audit.list({ entityType: 'person', entityId: person.id, limit: 50 });
    expect(checked.some((e) => e.action === 'person.identity.checked')).toBe(true);
    // Taken down again, so that the public surfaces below hold nothing identifying.
    expect((await move(s.id, rita.session, 'unpublished', { reason: 'Published by mistake' })).status).toBe(200);
  });

  it('takes a story off every public surface at once when consent is withdrawn or expires (410)', async () => {
    const withdrawn = await readyForPublishing('Gohar S. on the closed road.');
    const withConsent = await json<Story>(await req(`/api/stories/${withdrawn.id}/consents`, dora.session, consent));
    await move(withdrawn.id, rex.session, 'published');
    expect((await api().request(`/api/public/stories/${withdrawn.id}`)).status).toBe(200);
    const w = await req(
      `/api/stories/${withdrawn.id}/consents/${withConsent.consents[0]!.id}/withdrawal`,
      dora.session,
      {
        withdrawnOn: '2023-03-01',
        note: 'She asked by phone to withdraw.',
      },
    );
    expect(w.status).toBe(200);
    expect(await json<Story>(w)).toMatchObject({
      status: 'unpublished',
      statusReason: 'consent withdrawn',
      publicNow: false,
    });
    const gone = await api().request(`/api/public/stories/${withdrawn.id}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
    expect(await publicText()).not.toContain(withdrawn.id);

    const expiring = await readyForPublishing('Gohar S. at the checkpoint.');
    await req(`/api/stories/${expiring.id}/consents`, dora.session, consent);
    await move(expiring.id, rex.session, 'published');
    expect((await api().request(`/api/public/stories/${expiring.id}`)).status).toBe(200);
    // Time passes: the consent's end date is now behind us.
    await api()
      .platform.database.db.updateTable('story_consents')
      .set({ expires_on: '2024-01-01' })
      .where('story_id', '=', expiring.id)
      .execute();
    expect((await api().request(`/api/public/stories/${expiring.id}`)).status).toBe(410);
    expect(await publicText()).not.toContain(expiring.id);
    const staff = await json<Story>(await req(`/api/stories/${expiring.id}`, dora.session));
    expect(staff).toMatchObject({ status: 'published', publicNow: false, missingConsent: ['text'] });
    expect((await api().request('/api/public/stories/never-was')).status).toBe(404);
  });

  it("gives report editions the public stories of a right's section, by pseudonym, in the edition's language", async () => {
    const education = (await api().platform.rights.findByCode('IND-EDUCATION'))!.id;
    const health = (await api().platform.rights.findByCode('IND-HEALTH'))!.id;
    const s = await readyForPublishing('Gohar S. and the closed school.');
    const contributions = (rightId: string, lang: 'fr' | 'hy', asOf = '2999-12-31') =>
      api().platform.stories.contributionsFor({ rightId, lang, asOf, recordIds: [] });
    expect((await move(s.id, dora.session, 'draft')).status).toBe(200);
    const patched = await api().request(`/api/stories/${s.id}`, {
      method: 'PATCH',
      session: dora.session,
      json: {
        version: (await json<Story>(await req(`/api/stories/${s.id}`, dora.session))).version,
        rightIds: [education],
      },
    });
    expect(patched.status).toBe(200);
    // Not published yet.
    expect(await contributions(education, 'fr')).toEqual([]);
    await move(s.id, dora.session, 'in-review');
    await move(s.id, rita.session, 'approved');
    await req(`/api/stories/${s.id}/consents`, dora.session, consent);
    expect((await move(s.id, rita.session, 'published')).status).toBe(200);
    expect(await contributions(education, 'fr')).toEqual([
      {
        kind: 'story',
        title: { text: "Le chemin de l'école (Gohar S.)", lang: 'fr', fallback: false },
        text: { text: 'Elle raconte la route fermée.', lang: 'fr', fallback: false },
        image: null,
      },
    ]);
    const [hy] = await contributions(education, 'hy');
    expect(hy?.title).toEqual({ text: 'The road to school (Gohar S.)', lang: 'en', fallback: true });
    expect(await contributions(health, 'fr')).toEqual([]);
    expect(await contributions(education, 'fr', '2020-01-01')).toEqual([]);
  });

  it('never shows the real identity on a public answer', async () => {
    const text = await publicText();
    expect(text).toContain('Gohar S.');
    for (const secret of ['Qanarik', 'Vardanyanqanar', 'Քանարիկ', 'Canarian']) expect(text).not.toContain(secret);
  });
});
