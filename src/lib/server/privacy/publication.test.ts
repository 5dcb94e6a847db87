import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Person } from '../people/index.js';

type Problem = { type: string; errors?: { path: string; message: string }[] };

/** The PII guard before a record's publication: the persons of its stories and of its interview sources. */
describeEachApi('PII guard on record publication', (api) => {
  let factory: Factory;
  let dora: Awaited<ReturnType<Factory['signedIn']>>;
  let rita: Awaited<ReturnType<Factory['signedIn']>>;
  let person: Person;
  let witness: Person;
  const json = async <T>(res: Response) => (await res.json()) as T;
  const move = (id: string, session: string, body: object) =>
    api().request(`/api/records/${id}/transitions`, { method: 'POST', session, json: body });
  const approved = async (name: string, summary: string) => {
    const r = await factory.record(name, dora, { texts: { en: { title: name, summary } } });
    expect((await move(r.id, dora.session, { to: 'in-review' })).status).toBe(200);
    expect((await move(r.id, rita.session, { to: 'approved' })).status).toBe(200);
    return r;
  };
  const newPerson = async (pseudonym: string, fullName: string) =>
    json<Person>(
      await api().request('/api/people', {
        method: 'POST',
        session: dora.session,
        json: { pseudonym, pseudonymLang: 'en', roles: ['witness'], identity: { fullName } },
      }),
    );

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    person = await newPerson('Gayane P.', 'Canarina Hovsepyanqanar');
    witness = await newPerson('Tigran L.', 'Witnesso Qanaryan');
  });

  it('blocks a record naming the person of a story that cites it, until a reviewer overrides with a reason', async () => {
    const r = await approved('Shelter at the school', 'Canarina Hovsepyanqanar described the shelter.');
    const story = await api().request('/api/stories', {
      method: 'POST',
      session: dora.session,
      json: {
        personId: person.id,
        texts: { en: { title: 'Shelter', narrative: 'Gayane P. speaks.' } },
        recordIds: [r.id],
      },
    });
    expect(story.status).toBe(201);
    const blocked = await move(r.id, rita.session, { to: 'published' });
    expect(blocked.status).toBe(422);
    const text = await blocked.text();
    expect(text).not.toContain('Canarina');
    expect((JSON.parse(text) as Problem).errors).toEqual([
      { path: 'texts.en.summary', message: expect.stringContaining('real name of the protected person Gayane P.') },
    ]);
    const ok = await move(r.id, rita.session, {
      to: 'published',
      piiOverride: { reason: 'She is a public official speaking on the record.' },
    });
    expect(ok.status).toBe(200);
    const actions = (await api().platform.audit.list({ entityType: 'record', entityId: r.id, limit: 20 })).map(
      (e) => e.action,
    );
    expect(actions).toContain('record.pii-override');
  });

  it("checks the interviewee of the record's interview sources, and phone numbers in any record", async () => {
    const r = await approved('Checkpoint account', 'Witnesso Qanaryan saw the convoy turned back.');
    const interview = await factory.source('Interview at the checkpoint', { type: 'interview', personRef: witness.id });
    const link = await api().request(`/api/sources/${interview.id}/records`, {
      method: 'POST',
      session: dora.session,
      json: { recordId: r.id, relation: 'supports', quote: 'the convoy turned back' },
    });
    expect(link.status).toBe(201);
    expect((await move(r.id, rita.session, { to: 'published' })).status).toBe(422);

    const phone = await approved('Hotline', 'Families were asked to call +374 97 555 123 for news.');
    const res = await move(phone.id, rita.session, { to: 'published' });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).errors!.map((e) => e.message)).toEqual([
      expect.stringMatching(/a phone number$/),
    ]);

    const clean = await approved('Convoy stopped', 'According to the report, a convoy was turned back.');
    expect((await move(clean.id, rita.session, { to: 'published' })).status).toBe(200);
  });
});
