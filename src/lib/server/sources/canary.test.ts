import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import type { Inquiry } from '../inquiries/index.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type UserFixture } from '../testing/factories.js';
import type { Source } from './index.js';

/**
 * A restricted record, with a canary string in its title, linked to a source and an inquiry by its author: no one
 * else may learn of it through them. Not its id, not its quote, not a count.
 */
const CANARY = 'CANARY-7f3a9c-restricted-witness';

describeEachApi('record links never leak a restricted record', (api) => {
  let alice: { session: string } & UserFixture;
  let bob: { session: string } & UserFixture;
  let jane: { session: string } & UserFixture;
  let restrictedId: string;
  let internalId: string;
  let source: Source;
  let inquiry: Inquiry;
  const actorOf = (u: UserFixture): Actor => ({
    userId: u.id,
    role: u.role,
    via: 'session',
    pendingSecondFactor: false,
  });
  const text = async (res: Response) => res.text();
  const expectNoCanary = (body: string) => {
    expect(body).not.toContain(CANARY);
    expect(body).not.toContain(restrictedId);
  };

  beforeAll(async () => {
    const factory = createFactory(api());
    alice = await factory.signedIn('alice', { role: 'documenter' });
    bob = await factory.signedIn('bob', { role: 'documenter' });
    jane = await factory.signedIn('jane', { role: 'journalist' });
    const restricted = await api().platform.records.create(
      { texts: { en: { title: CANARY, summary: `Told by a witness. ${CANARY}` } }, confidentiality: 'restricted' },
      actorOf(alice),
    );
    const internal = await api().platform.records.create(
      { texts: { en: { title: 'Road closed', summary: 'The road was closed.' } }, confidentiality: 'internal' },
      actorOf(alice),
    );
    restrictedId = restricted.id;
    internalId = internal.id;
    source = await factory.source('Report with a protected witness');
    inquiry = await factory.inquiry('Inquiry about the witness');
    const link = (path: string, json: unknown) => api().request(path, { method: 'POST', session: alice.session, json });
    for (const [path, json] of [
      [`/api/sources/${source.id}/records`, { recordId: restrictedId, relation: 'supports', quote: CANARY }],
      [`/api/sources/${source.id}/records`, { recordId: internalId, relation: 'supports', quote: 'Closed.' }],
      [`/api/inquiries/${inquiry.id}/records`, { recordId: restrictedId }],
      [`/api/inquiries/${inquiry.id}/records`, { recordId: internalId }],
    ] as const)
      expect((await link(path, json)).status, path).toBe(201);
  });

  it('shows the author every link', async () => {
    const s = (await (await api().request(`/api/sources/${source.id}`, { session: alice.session })).json()) as Source;
    expect(s.records.map((l) => l.recordId).sort()).toEqual([internalId, restrictedId].sort());
    const i = (await (
      await api().request(`/api/inquiries/${inquiry.id}`, { session: alice.session })
    ).json()) as Inquiry;
    expect(i.records.map((l) => l.recordId).sort()).toEqual([internalId, restrictedId].sort());
  });

  it('hides the restricted record from other staff, in reads and lists, id and count alike', async () => {
    const sourceRes = await api().request(`/api/sources/${source.id}`, { session: bob.session });
    expect(sourceRes.status).toBe(200);
    const sourceBody = await text(sourceRes);
    expectNoCanary(sourceBody);
    expect((JSON.parse(sourceBody) as Source).records.map((l) => l.recordId)).toEqual([internalId]);

    const inquiryRes = await api().request(`/api/inquiries/${inquiry.id}`, { session: bob.session });
    expect(inquiryRes.status).toBe(200);
    const inquiryBody = await text(inquiryRes);
    expectNoCanary(inquiryBody);
    expect((JSON.parse(inquiryBody) as Inquiry).records.map((l) => l.recordId)).toEqual([internalId]);

    for (const path of ['/api/sources', '/api/inquiries', `/api/sources?q=${CANARY}`])
      expectNoCanary(await text(await api().request(path, { session: bob.session })));
  });

  it('answers 404 to another staff member linking or unlinking it, as for a record that does not exist', async () => {
    const post = (path: string, json: unknown) => api().request(path, { method: 'POST', session: bob.session, json });
    const del = (path: string) => api().request(path, { method: 'DELETE', session: bob.session });
    const cases = [
      await post(`/api/sources/${source.id}/records`, { recordId: restrictedId, relation: 'contradicts', quote: 'x' }),
      await post(`/api/sources/${source.id}/records`, { recordId: 'no-such-record', relation: 'supports', quote: 'x' }),
      await del(`/api/sources/${source.id}/records/${restrictedId}`),
      await del(`/api/sources/${source.id}/records/no-such-record`),
      await post(`/api/inquiries/${inquiry.id}/records`, { recordId: restrictedId }),
      await post(`/api/inquiries/${inquiry.id}/records`, { recordId: 'no-such-record' }),
      await del(`/api/inquiries/${inquiry.id}/records/${restrictedId}`),
      await del(`/api/inquiries/${inquiry.id}/records/no-such-record`),
    ];
    const bodies = await Promise.all(cases.map(async (r) => ({ status: r.status, body: await r.text() })));
    for (const b of bodies) {
      expect(b.status).toBe(404);
      expectNoCanary(b.body);
    }
    // The two kinds of 404 cannot be told apart.
    expect(bodies[0]!.body).toBe(bodies[1]!.body);
    expect(bodies[4]!.body).toBe(bodies[5]!.body);
    // And the links are still there for the author.
    const s = (await (await api().request(`/api/sources/${source.id}`, { session: alice.session })).json()) as Source;
    expect(s.records.filter((l) => l.recordId === restrictedId)).toHaveLength(1);
  });

  it('lists a record’s sources with the quoted claims, and answers 404 for a record the caller may not see', async () => {
    const own = await api().request(`/api/records/${restrictedId}/sources`, { session: alice.session });
    expect(own.status).toBe(200);
    const items = ((await own.json()) as { items: { id: string; relation: string; quote: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ id: source.id, relation: 'supports', quote: CANARY })]);

    const other = await api().request(`/api/records/${internalId}/sources`, { session: bob.session });
    expect(((await other.json()) as { items: { quote: string }[] }).items.map((i) => i.quote)).toEqual(['Closed.']);

    const hidden = await api().request(`/api/records/${restrictedId}/sources`, { session: bob.session });
    const missing = await api().request(`/api/records/no-such-record/sources`, { session: bob.session });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    const hiddenBody = await hidden.text();
    expectNoCanary(hiddenBody);
    expect(hiddenBody).toBe(await missing.text());
  });

  it('shows a journalist nothing: the routes are closed, and the service filters every record out', async () => {
    for (const path of [`/api/sources/${source.id}`, `/api/inquiries/${inquiry.id}`, '/api/sources']) {
      const res = await api().request(path, { session: jane.session });
      expect(res.status, path).toBe(403);
      expectNoCanary(await res.text());
    }
    // Even called directly, the services filter by the caller's visibility: a journalist sees no record at all.
    expect((await api().platform.sources.get(source.id, actorOf(jane))).records).toEqual([]);
    expect((await api().platform.inquiries.get(inquiry.id, actorOf(jane))).records).toEqual([]);
    expect((await api().platform.sources.get(source.id, null)).records).toEqual([]);
  });
});
