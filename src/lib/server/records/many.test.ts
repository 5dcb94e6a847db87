import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { actorOf, createFactory, type Factory } from '../testing/factories.js';
import { RecordsRepository } from './repository.js';
import type { PublicRecord, RecordView } from './schema.js';

/**
 * Many records read at once: the public's view (`publicGetMany`: the portal's list, the public export, report
 * editions) and the staff's (`getMany`: the export). Each record comes with its own places, rights, tags, links,
 * verification history and access, in the order asked, never a record the caller may not see; and a page of
 * records takes as many reads as one.
 */

type SignedIn = Awaited<ReturnType<Factory['signedIn']>>;

const HIDDEN_CANARY = 'canary-public-many-5d21e0';

describeEachApi('records read many at once', (api) => {
  let factory: Factory;
  let dora: SignedIn;
  let rita: SignedIn;
  let sam: SignedIn;
  const ids: Record<'alpha' | 'beta' | 'gamma' | 'hidden' | 'draft' | 'secret', string> = {
    alpha: '',
    beta: '',
    gamma: '',
    hidden: '',
    draft: '',
    secret: '',
  };

  afterEach(() => vi.restoreAllMocks());

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    sam = await factory.signedIn('sam', { role: 'communicator' });
    const goris = await factory.place('Goris');
    const shushi = await factory.place('Shushi');
    const rights = api().platform.rights;
    const life = (await rights.findByCode('IND-LIFE'))!.id;
    const movement = (await rights.findByCode('IND-MOVEMENT'))!.id;

    const hidden = await factory.record('hidden', dora, {
      texts: { en: { title: `Hidden ${HIDDEN_CANARY}`, summary: `About ${HIDDEN_CANARY}.` } },
      confidentiality: 'internal',
      tags: [HIDDEN_CANARY],
    });
    const beta = await factory.record('beta', dora, {
      texts: {
        en: { title: 'Beta', summary: 'The second.' },
        fr: { title: 'Bêta', summary: 'La deuxième.', translationStatus: 'translated' },
      },
      confidentiality: 'public',
      placeIds: [shushi.id, goris.id],
      rightIds: [movement],
      tags: ['power'],
      startDate: '2023-06',
      startPrecision: 'month',
    });
    const alpha = await factory.record('alpha', dora, {
      texts: { en: { title: 'Alpha', summary: 'The first.' } },
      confidentiality: 'public',
      placeIds: [goris.id],
      rightIds: [life, movement],
      tags: ['water', 'gas'],
      startDate: '2023-01-10',
      startPrecision: 'day',
      links: [
        { kind: 'caused-by', recordId: beta.id },
        { kind: 'part-of', recordId: hidden.id },
      ],
    });
    const gamma = await factory.record('gamma', dora, { confidentiality: 'public', ongoing: true });
    const draft = await factory.record('draft', dora, { confidentiality: 'public', placeIds: [goris.id] });
    // Restricted to its author and Rita: Sam is staff, but not named.
    const secret = await factory.record('secret', dora, {
      texts: { en: { title: `Secret ${HIDDEN_CANARY}`, summary: `About ${HIDDEN_CANARY}.` } },
      confidentiality: 'restricted',
      links: [{ kind: 'follow-up-of', recordId: alpha.id }],
    });
    await api().platform.records.setAccess(secret.id, { userIds: [rita.id] }, actorOf(dora));
    for (const r of [hidden, beta, alpha, gamma]) await factory.publish(r, dora, rita);
    await api().platform.records.update(
      alpha.id,
      {
        version: (await api().platform.records.get(actorOf(rita), alpha.id)).version,
        verification: 'corroborated',
        verificationNote: 'A second source.',
      },
      actorOf(rita),
    );
    Object.assign(ids, {
      alpha: alpha.id,
      beta: beta.id,
      gamma: gamma.id,
      hidden: hidden.id,
      draft: draft.id,
      secret: secret.id,
    });
  });

  /** What the public should see of a record, from its staff view. */
  const expected = async (id: string): Promise<PublicRecord> => {
    const v: RecordView = await api().platform.records.get(actorOf(rita), id);
    const places = await Promise.all(v.placeIds.map((p) => api().platform.places.get(p)));
    return {
      id: v.id,
      code: v.code,
      verification: v.verification,
      texts: v.texts,
      violationType: v.violationType,
      startDate: v.startDate,
      startPrecision: v.startPrecision,
      endDate: v.endDate,
      endPrecision: v.endPrecision,
      ongoing: v.ongoing,
      affected: v.affected,
      responsible: v.responsible,
      places: places.map((p) => ({ id: p.id, name: p.name })),
      rightIds: v.rightIds,
      tags: v.tags,
      links: v.links.filter((l) => l.recordId !== ids.hidden),
      publishedAt: v.publishedAt,
    };
  };

  it('gives each record its own fields, in the order asked, once each, and leaves out what is not public', async () => {
    const got = await api().platform.records.publicGetMany([
      ids.gamma,
      ids.hidden,
      ids.alpha,
      ids.draft,
      'no-such-record',
      ids.beta,
      ids.alpha,
    ]);
    expect(got.map((r) => r.id)).toEqual([ids.gamma, ids.alpha, ids.beta]);
    expect(got).toEqual([await expected(ids.gamma), await expected(ids.alpha), await expected(ids.beta)]);
    const alpha = got[1]!;
    expect(alpha.places.map((p) => p.name)).toEqual(['Goris']);
    expect(got[2]!.places.map((p) => p.name)).toEqual(['Shushi', 'Goris']);
    expect(alpha.tags).toEqual(['gas', 'water']);
    expect(alpha.links).toEqual([{ kind: 'caused-by', recordId: ids.beta, code: got[2]!.code }]);
    expect(JSON.stringify(got)).not.toContain(HIDDEN_CANARY);
    expect(await api().platform.records.publicGetMany([])).toEqual([]);
  });

  it('serves the portal list and the public export from the same views', async () => {
    const res = await api().request('/api/public/records?limit=50');
    expect(res.status).toBe(200);
    const list = (await res.json()) as { items: (PublicRecord & { snippet: unknown; highlights: unknown })[] };
    const byId = new Map(list.items.map(({ snippet: _s, highlights: _h, ...r }) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual([ids.alpha, ids.beta, ids.gamma].sort());
    for (const id of [ids.alpha, ids.beta, ids.gamma]) expect(byId.get(id)).toEqual(await expected(id));

    const file = await api().request('/api/public/exports/records?format=json');
    expect(file.status).toBe(200);
    const exported = (await file.json()) as PublicRecord[];
    expect(new Map(exported.map((r) => [r.id, r]))).toEqual(byId);
  });

  it('gives staff each record as `get` does, leaving out what the caller may not see', async () => {
    const records = api().platform.records;
    const all = [ids.secret, ids.alpha, ids.draft, ids.hidden, 'no-such-record', ids.beta, ids.secret];
    const asRita = await records.getMany(actorOf(rita), all);
    expect(asRita.map((r) => r.id)).toEqual([ids.secret, ids.alpha, ids.draft, ids.hidden, ids.beta]);
    for (const r of asRita) expect(r).toEqual(await records.get(actorOf(rita), r.id));
    const secret = asRita[0]!;
    expect(secret.accessUserIds).toEqual([rita.id]);
    expect(secret.links.map((l) => l.recordId)).toEqual([ids.alpha]);
    expect(asRita[1]!.verificationHistory.map((v) => v.status)).toEqual(['reported', 'corroborated']);

    // Sam may not see the restricted record: not in the list, nor as a link of another.
    const asSam = await records.getMany(actorOf(sam), all);
    expect(asSam.map((r) => r.id)).toEqual([ids.alpha, ids.draft, ids.hidden, ids.beta]);
    expect(JSON.stringify(asSam)).not.toContain('Secret');
    // The staff view carries verification notes and access lists: anyone without the register is refused, even for
    // a published public record (the public reads `publicGetMany`).
    const journalist = actorOf(await factory.signedIn('jude', { role: 'journalist' }));
    await expect(records.getMany(journalist, [ids.alpha])).rejects.toMatchObject({ status: 403 });
    await expect(records.get(journalist, ids.alpha)).rejects.toMatchObject({ status: 403 });
  });

  it('reads a page of records with as many queries as one record', async () => {
    const calls = countRepositoryCalls();
    await api().platform.records.publicGetMany([ids.alpha]);
    const one = calls.total();
    calls.reset();
    await api().platform.records.publicGetMany([ids.alpha, ids.beta, ids.gamma, ids.hidden, ids.draft]);
    expect(one).toBeGreaterThan(0);
    expect(calls.total()).toBe(one);

    calls.reset();
    await api().platform.records.getMany(actorOf(rita), [ids.alpha]);
    const staffOne = calls.total();
    calls.reset();
    await api().platform.records.getMany(actorOf(rita), Object.values(ids));
    expect(staffOne).toBeGreaterThan(0);
    expect(calls.total()).toBe(staffOne);
  });
});

/** Counts the calls of every `RecordsRepository` method from here on (restored after each test). */
function countRepositoryCalls() {
  let n = 0;
  const proto = RecordsRepository.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || typeof proto[name] !== 'function') continue;
    const original = proto[name]!;
    vi.spyOn(proto, name).mockImplementation(function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    });
  }
  return { total: () => n, reset: () => (n = 0) };
}
