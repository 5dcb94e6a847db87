import { beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { Person, PersonIdentity } from './index.js';

type Problem = { status: number; type: string; detail?: string; errors?: { path: string; message: string }[] };

const CANARY = 'Zabelqanary Voskanyanqanary';
const identity = {
  fullName: CANARY,
  otherNames: ['Զաբելքանարի Ոսկանյանքանարի'],
  contact: '+374 91 000111',
  identifiers: [{ kind: 'passport', value: 'AQ0001112' }],
  address: '7 Canary lane, Stepanakert',
};

describeEachApi('people registry API', (api) => {
  let factory: Factory;
  let dora: { session: string; userId: string };
  let dan: { session: string; userId: string };
  let rita: { session: string; userId: string };
  let ada: { session: string; userId: string };
  let cole: { session: string };
  const json = async <T>(res: Response) => (await res.json()) as T;
  const create = (body: unknown, session = dora.session) =>
    api().request('/api/people', { method: 'POST', session, json: body });

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    dan = await factory.signedIn('dan', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    ada = await factory.signedIn('ada', { role: 'admin' });
    cole = await factory.signedIn('cole', { role: 'communicator' });
  });

  it('registers a person by pseudonym; the identity is in no answer, row or audit entry in clear', async () => {
    const res = await create({ pseudonym: 'Lilit M.', pseudonymLang: 'en', roles: ['interviewee'], identity });
    expect(res.status).toBe(201);
    const p = await json<Person>(res);
    expect(p).toMatchObject({ pseudonym: 'Lilit M.', roles: ['interviewee'], canReveal: true });
    const list = await api().request('/api/people', { session: dan.session });
    expect(list.status).toBe(200);
    const text = JSON.stringify(await list.json());
    expect(text).toContain('Lilit M.');
    expect(text).not.toContain('Zabel');
    // The database holds only ciphertext: no part of the identity, in any script.
    const rows = await api().platform.database.db.selectFrom('persons').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const secret of ['Zabel', 'Voskanyan', 'Զաբել', '000111', 'AQ0001112', 'Canary lane'])
      expect(stored).not.toContain(secret);
    expect((await create({ pseudonymLang: 'en', roles: ['witness'], identity }, cole.session)).status).toBe(403);
  });

  it('reveals the identity only to users granted access, not to an admin by role, and audits each read', async () => {
    const p = await json<Person>(
      await create({ pseudonymLang: 'hy', roles: ['victim'], identity: { ...identity, fullName: 'Anush Qanaryan' } }),
    );
    // A generated pseudonym in the story's language.
    expect(p.pseudonym).toMatch(/^[\u0531-\u0587]+ [\u0531-\u0556]\.$/u);
    const read = (session: string) => api().request(`/api/people/${p.id}/identity`, { session });
    const mine = await read(dora.session);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('no-store');
    expect(await json<PersonIdentity>(mine)).toMatchObject({ fullName: 'Anush Qanaryan', address: identity.address });
    for (const other of [dan, rita, ada]) expect((await read(other.session)).status).toBe(403);
    expect((await read(cole.session)).status).toBe(403);
    // Granting: only someone with access, and they keep it.
    const grant = (session: string, userIds: string[]) =>
      api().request(`/api/people/${p.id}/access`, { method: 'PUT', session, json: { userIds } });
    expect((await grant(dan.session, [dan.userId])).status).toBe(403);
    expect((await grant(dora.session, [rita.userId])).status).toBe(422);
    expect((await grant(dora.session, [dora.userId, rita.userId])).status).toBe(200);
    expect((await read(rita.session)).status).toBe(200);
    const audit = await api().platform.audit.list({ entityType: 'person', entityId: p.id, limit: 20 });
    expect(audit.map((e) => e.action).filter((a) => a === 'person.identity.read')).toHaveLength(2);
    expect(audit.map((e) => e.action)).toContain('person.access.changed');
  });

  it('refuses a pseudonym that gives the name away or is taken, and bad identities, with field errors', async () => {
    const bad = async (body: unknown) => {
      const res = await create(body);
      expect(res.status).toBe(422);
      return (await json<Problem>(res)).errors!.map((e) => e.path);
    };
    expect(await bad({ pseudonym: 'Zabelqanary K.', pseudonymLang: 'en', roles: ['witness'], identity })).toEqual([
      'pseudonym',
    ]);
    expect(await bad({ pseudonym: 'LILIT M', pseudonymLang: 'en', roles: ['witness'], identity })).toEqual([
      'pseudonym',
    ]);
    expect(
      await bad({ pseudonymLang: 'en', roles: [], identity: { ...identity, fullName: '', address: 'x'.repeat(501) } }),
    ).toEqual(expect.arrayContaining(['roles', 'identity.fullName', 'identity.address']));
  });

  it('reports a damaged ciphertext for that person only', async () => {
    const a = await json<Person>(
      await create({ pseudonymLang: 'fr', roles: ['witness'], identity: { fullName: 'Ani Qanar' } }),
    );
    const b = await json<Person>(
      await create({ pseudonymLang: 'fr', roles: ['witness'], identity: { fullName: 'Aram Qanar' } }),
    );
    const db = api().platform.database.db;
    const row = await db.selectFrom('persons').select('identity').where('id', '=', a.id).executeTakeFirstOrThrow();
    const parts = row.identity.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    await db
      .updateTable('persons')
      .set({ identity: parts.join('.') })
      .where('id', '=', a.id)
      .execute();
    const broken = await api().request(`/api/people/${a.id}/identity`, { session: dora.session });
    expect(broken.status).toBe(409);
    const problem = await json<Problem>(broken);
    expect(problem.type).toBe('urn:corridor:problem:identity-unreadable');
    expect(problem.detail).toContain(a.pseudonym);
    expect(problem.detail).not.toContain('Qanar');
    const fine = await api().request(`/api/people/${b.id}/identity`, { session: dora.session });
    expect(fine.status).toBe(200);
    expect((await json<PersonIdentity>(fine)).fullName).toBe('Aram Qanar');
    expect((await api().request('/api/people', { session: dora.session })).status).toBe(200);
  });
});
