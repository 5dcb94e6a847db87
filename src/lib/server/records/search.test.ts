import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { RecordList } from './schema.js';

/**
 * Full-text search through the API, on both databases: matching in three scripts, place names, the query language,
 * hostile input, order and paging, facets, the index kept in sync by every write, and the canary: a restricted
 * record never shows, nor counts, to anyone it does not name.
 */

type SignedIn = Awaited<ReturnType<Factory['signedIn']>>;
type PublicList = Omit<RecordList, 'items'> & { items: { id: string; snippet: string | null }[] };

const CANARY = 'Quillwort';

describeEachApi('record search', (api) => {
  let factory: Factory;
  let dora: SignedIn; // documenter, author of the canary
  let nina: SignedIn; // named on the canary
  let gus: SignedIn; // member of a group named on the canary
  let sam: SignedIn; // staff, not named
  let rita: SignedIn; // reviewer: publishes
  let ada: SignedIn; // admin, not named
  const ids: Record<string, string> = {};
  let stk: { id: string };
  let canaryRight: string;
  let canaryPlace: string;

  const call = (path: string, session?: string) => api().request(path, { session });
  const list = async (query: string, session: string = sam.session): Promise<RecordList> => {
    const res = await call(`/api/records?${query}`, session);
    expect(res.status, query).toBe(200);
    return (await res.json()) as RecordList;
  };
  const found = async (q: string, session?: string) =>
    (await list(`q=${encodeURIComponent(q)}&limit=200`, session)).items.map((i) => i.id).sort();
  const publicList = async (query: string): Promise<PublicList> => {
    const res = await call(`/api/public/records?${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()) as PublicList;
  };
  const publish = (id: string) => factory.publish({ id }, dora, rita);

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    nina = await factory.signedIn('nina', { role: 'communicator' });
    gus = await factory.signedIn('gus', { role: 'coordinator' });
    sam = await factory.signedIn('sam', { role: 'communicator' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    ada = await factory.signedIn('ada', { role: 'admin' });
    const admin: Actor = { userId: ada.id, role: 'admin', via: 'session', pendingSecondFactor: false };
    const team = await api().platform.groups.create({ name: 'Field team', memberIds: [gus.id] }, admin);

    stk = await factory.place('Stepanakert', {
      altNames: [
        { name: 'Ստեփանակերտ', lang: 'hy' },
        { name: 'Xankəndi', lang: 'az' },
      ],
    });
    const secretPlace = await factory.place('Hidden valley');
    canaryPlace = secretPlace.id;
    const life = (await api().platform.rights.findByCode('IND-LIFE'))!.id;
    canaryRight = (await api().platform.rights.findByCode('IND-HEALTH'))!.id;

    const rec = async (name: string, input: Parameters<Factory['record']>[2]) => {
      ids[name] = (await factory.record(name, dora, input)).id;
    };
    await rec('elec', {
      texts: {
        fr: { title: 'Coupure d’électricité', summary: 'Le réseau est coupé depuis le blocus, selon la mairie.' },
        hy: { title: 'Հոսանքազրկում', summary: 'Ըստ քաղաքապետարանի' },
      },
      placeIds: [stk.id],
      rightIds: [life],
      tags: ['power'],
      startDate: '2023-09-19',
      startPrecision: 'day',
      confidentiality: 'public',
      affected: { children: 120, women: null } as never,
    });
    await rec('yerevan', {
      texts: { hy: { title: 'Երևան', summary: 'Ըստ լրատվամիջոցների, Երևանում' } },
      startDate: '2023-05',
      startPrecision: 'month',
    });
    await rec('phrase', {
      texts: { en: { title: 'Power line down', summary: 'According to the operator, the power line is down.' } },
      startDate: '2023-01-15',
      startPrecision: 'day',
      confidentiality: 'public',
    });
    await rec('other', {
      texts: { en: { title: 'A line of power', summary: 'Reported by residents.' } },
      startDate: '2022',
      startPrecision: 'year',
    });
    await rec('canary', {
      texts: { en: { title: `${CANARY} testimony`, summary: `The ${CANARY} account, restricted.` } },
      placeIds: [canaryPlace],
      rightIds: [canaryRight],
      tags: ['canary-tag'],
      startDate: '2023-07-01',
      startPrecision: 'day',
      confidentiality: 'restricted',
    });
    const access = await api().request(`/api/records/${ids.canary}/access`, {
      method: 'PUT',
      session: dora.session,
      json: { userIds: [nina.id], groupIds: [team.id] },
    });
    expect(access.status).toBe(200);
    await publish(ids.elec!);
    await publish(ids.phrase!);
  });

  describe('matching', () => {
    it('ignores accents and case: electricite finds électricité', async () => {
      expect(await found('electricite')).toEqual([ids.elec]);
      expect(await found('ÉLECTRICITÉ')).toEqual([ids.elec]);
    });

    it('matches prefixes in Armenian: Ստեփան finds Ստեփանակերտ, the record at that place', async () => {
      expect(await found('Ստեփան')).toEqual([ids.elec]);
      expect(await found('Ստեփան*')).toEqual([ids.elec]);
    });

    it('makes Երևան, Երեւան and ԵՐԵՎԱՆ one word', async () => {
      for (const q of ['"Երևան"', '"Երեւան"', '"ԵՐԵՎԱՆ"']) expect(await found(q), q).toEqual([ids.yerevan]);
    });

    it('finds records by any name of their place, and follows a rename', async () => {
      expect(await found('Xankendi')).toEqual([ids.elec]);
      const res = await api().request(`/api/places/${stk.id}`, {
        method: 'PATCH',
        session: dora.session,
        json: { altNames: [{ name: 'Khankendi', lang: 'ru-Latn' }] },
      });
      expect(res.status).toBe(200);
      expect(await found('Khankendi')).toEqual([ids.elec]);
      expect(await found('Xankendi')).toEqual([]);
    });

    it('supports phrases, AND, NOT and OR', async () => {
      expect(await found('"power line"')).toEqual([ids.phrase]);
      expect(await found('power line')).toEqual([ids.other, ids.phrase].sort());
      expect(await found('power -down')).toEqual([ids.other]);
      expect(await found('power NOT operator')).toEqual([ids.other]);
      expect(await found('operator OR mairie')).toEqual([ids.elec, ids.phrase].sort());
    });

    it('answers hostile queries with results or a 422, never a 500', async () => {
      for (const q of [
        '"',
        '*',
        ':',
        'title:x',
        '{meta}:res',
        'NEAR(a b)',
        '(((',
        ')) OR ((',
        '\u0000',
        'a\u0000b',
        '- NOT OR AND',
        "'; drop table records; --",
        '\\',
        'x'.repeat(501),
      ]) {
        const res = await call(`/api/records?q=${encodeURIComponent(q)}`, sam.session);
        expect([200, 422], JSON.stringify(q)).toContain(res.status);
        const pub = await call(`/api/public/records?q=${encodeURIComponent(q)}`);
        expect([200, 422], JSON.stringify(q)).toContain(pub.status);
      }
      expect((await call(`/api/records?cursor=nonsense`, sam.session)).status).toBe(422);
      expect((await call(`/api/records?sort=sideways`, sam.session)).status).toBe(422);
    });

    it('gives plain-text snippets with highlight offsets, never markup', async () => {
      const page = await list('q=mairie');
      const hit = page.items.find((i) => i.id === ids.elec)!;
      expect(hit.snippet).toContain('mairie');
      expect(hit.highlights.map(([a, b]) => hit.snippet!.slice(a!, b!))).toEqual(['mairie']);
      expect((await list('')).items.every((i) => i.snippet === null)).toBe(true);
    });
  });

  describe('the canary: a restricted record', () => {
    const everything = async (session: string | undefined) => {
      const paths = [
        `/api/records?q=${CANARY}`,
        `/api/records?q=${CANARY}&sort=date`,
        `/api/records?q=${CANARY.slice(0, 5)}`,
        '/api/records',
        '/api/records?limit=200',
        '/api/records?tag=canary-tag',
        `/api/records?right=${canaryRight}`,
        `/api/records?place=${canaryPlace}`,
        '/api/records?confidentiality=restricted',
        '/api/records?from=2023-07-01&to=2023-07-01',
        `/api/public/records?q=${CANARY}`,
        '/api/public/records',
      ];
      const out: { path: string; status: number; body: string }[] = [];
      for (const p of paths) {
        const res = await call(p, session);
        out.push({ path: p, status: res.status, body: await res.text() });
      }
      return out;
    };

    it('is invisible to other staff, admins included: hits, totals, every facet and snippets', async () => {
      for (const session of [sam.session, ada.session, rita.session]) {
        for (const r of await everything(session)) {
          expect(r.body, r.path).not.toContain(CANARY);
          expect(r.body, r.path).not.toContain(ids.canary);
          expect(r.body, r.path).not.toContain('canary-tag');
          expect(r.body, r.path).not.toContain(canaryPlace);
        }
        expect((await list(`q=${CANARY}`, session)).total).toEqual({ value: 0, approx: false });
        expect((await list('tag=canary-tag', session)).total.value).toBe(0);
        const all = await list('limit=200', session);
        expect(all.total.value).toBe(4);
        // The right it cites is cited by no visible record: not in the facet at all.
        expect(all.facets.right.map((f) => f.value)).not.toContain(canaryRight);
        expect(all.facets.confidentiality.map((f) => f.value)).not.toContain('restricted');
        expect(all.facets.year.find((f) => f.value === '2023')?.count).toBe(3);
      }
    });

    it('is visible to its author, a named user and a member of a named group', async () => {
      for (const session of [dora.session, nina.session, gus.session]) {
        const page = await list(`q=${CANARY}`, session);
        expect(page.items.map((i) => i.id)).toEqual([ids.canary]);
        expect(page.total).toEqual({ value: 1, approx: false });
        expect(page.items[0]!.snippet).toContain(CANARY);
        const all = await list('limit=200', session);
        expect(all.total.value).toBe(5);
        expect(all.facets.right.find((f) => f.value === canaryRight)?.count).toBe(1);
        expect(all.facets.tag.find((f) => f.value === 'canary-tag')?.count).toBe(1);
        expect(all.facets.year.find((f) => f.value === '2023')?.count).toBe(4);
      }
    });

    it('leaves the index when the restriction or the group changes', async () => {
      const view = (await (await call(`/api/records/${ids.canary}`, dora.session)).json()) as { version: number };
      // Naming no one but the author: the group member loses it at once.
      await api().request(`/api/records/${ids.canary}/access`, {
        method: 'PUT',
        session: dora.session,
        json: { userIds: [nina.id], groupIds: [] },
      });
      expect(await found(CANARY, gus.session)).toEqual([]);
      expect(await found(CANARY, nina.session)).toEqual([ids.canary]);
      expect(view.version).toBeGreaterThan(0);
    });

    it('never reaches the public, nor do drafts or internal records', async () => {
      for (const r of await everything(undefined))
        if (r.path.startsWith('/api/public')) expect(r.body).not.toContain(CANARY);
      const all = await publicList('limit=200');
      expect(all.items.map((i) => i.id).sort()).toEqual([ids.elec, ids.phrase].sort());
      expect(all.total).toEqual({ value: 2, approx: false });
      expect(Object.keys(all.facets).sort()).toEqual(
        ['category', 'group', 'place', 'right', 'tag', 'verification', 'year'].sort(),
      );
      expect((await publicList('q=Երևան')).items).toEqual([]);
      expect((await publicList('q=electricite')).items.map((i) => i.id)).toEqual([ids.elec]);
      expect((await publicList(`q=${CANARY}`)).total.value).toBe(0);
    });
  });

  describe('order, paging and facets', () => {
    it('sorts by date, newest first, by default without words', async () => {
      const page = await list('limit=200');
      expect(page.sort).toBe('date');
      expect(page.items.map((i) => i.id)).toEqual([ids.elec, ids.yerevan, ids.phrase, ids.other]);
    });

    it('sorts by relevance with words, and by date when asked', async () => {
      const rel = await list('q=power');
      expect(rel.sort).toBe('relevance');
      // "Power" in the title and twice in the summary outranks it once in the title.
      expect(rel.items.map((i) => i.id)).toEqual([ids.phrase, ids.other]);
      const byDate = await list('q=power&sort=date');
      expect(byDate.items.map((i) => i.id)).toEqual([ids.phrase, ids.other]);
    });

    it('pages with a stable keyset cursor in both orders', async () => {
      for (const sort of ['date', 'relevance']) {
        const full = (await list(`q=power OR blocus OR Երևան&sort=${sort}&limit=200`)).items.map((i) => i.id);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: RecordList = await list(
            `q=power OR blocus OR Երևան&sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor && seen.length < 10);
        expect(seen, sort).toEqual(full);
        expect(full).toHaveLength(4);
      }
    });

    it('filters by right category, affected group, place, and counts facets with labels', async () => {
      const life = (await api().platform.rights.findByCode('IND-LIFE'))!;
      expect((await list(`category=${life.parentId}`)).items.map((i) => i.id)).toEqual([ids.elec]);
      expect((await list('group=children')).items.map((i) => i.id)).toEqual([ids.elec]);
      expect((await list('group=women')).items).toEqual([]);
      expect((await call('/api/records?group=aliens', sam.session)).status).toBe(422);
      const page = await list(`place=${stk.id}`);
      expect(page.facets.place).toEqual([{ value: stk.id, label: 'Stepanakert', count: 1 }]);
      expect(page.facets.right).toEqual([{ value: life.id, label: 'Right to life', count: 1 }]);
      expect(page.facets.group).toEqual([{ value: 'children', label: 'children', count: 1 }]);
      expect(page.facets.status).toEqual([{ value: 'published', label: 'published', count: 1 }]);
      expect(page.facetsApprox).toBe(false);
    });
  });

  describe('sources', () => {
    it('finds sources by title words, ignoring accents, and keeps up with edits', async () => {
      const s = await factory.source('Rapport sur l’électricité', { publisher: 'Médiateur' });
      await factory.source('Gas supply report');
      const q = async (text: string) => {
        const res = await call(`/api/sources?q=${encodeURIComponent(text)}`, sam.session);
        expect(res.status).toBe(200);
        return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
      };
      expect(await q('electricite')).toEqual([s.id]);
      expect(await q('mediateur')).toEqual([s.id]);
      expect(await q('rapp')).toEqual([s.id]);
      await api().platform.sources.update(
        s.id,
        { title: 'Rapport sur le gaz' },
        {
          userId: ada.id,
          role: 'admin',
          via: 'session',
          pendingSecondFactor: false,
        },
      );
      expect(await q('electricite')).toEqual([]);
      expect(await q('gaz')).toEqual([s.id]);
    });
  });

  describe('the index and the tables', () => {
    it('rebuilds to the same documents and the same answers', async () => {
      const before = await found('power OR Երևան OR blocus');
      const counts = await api().platform.rebuildSearch();
      const rows = await api().platform.database.db.selectFrom('records').select('id').orderBy('id').execute();
      expect(counts.records).toBe(rows.length);
      const indexed = await api().platform.search.indexedRecordIds();
      expect(indexed).toEqual(rows.map((r) => r.id));
      expect(await found('power OR Երևան OR blocus')).toEqual(before);
      expect(await found(CANARY)).toEqual([]);
      expect(await found(CANARY, nina.session)).toEqual([ids.canary]);
    });

    it('tells an emptied index (as migration 0010 leaves it) from a full one, and rebuilding fills it', async () => {
      const { platform } = api();
      expect(await platform.search.needsRebuild()).toBe(false);
      await platform.database.db.transaction().execute((tx) => platform.search.clear(tx));
      expect(await found('power OR Երևան OR blocus')).toEqual([]);
      expect(await platform.search.needsRebuild()).toBe(true);
      await platform.rebuildSearch();
      expect(await platform.search.needsRebuild()).toBe(false);
      expect((await found('power OR Երևան OR blocus')).length).toBeGreaterThan(0);
    });

    it('drops a deleted record from the index', async () => {
      const r = await factory.record('Ephemeral marmot', dora);
      expect(await found('marmot')).toEqual([r.id]);
      const res = await api().request(`/api/records/${r.id}`, { method: 'DELETE', session: dora.session });
      expect(res.status).toBe(204);
      expect(await found('marmot')).toEqual([]);
      expect(await api().platform.search.indexedRecordIds()).not.toContain(r.id);
    });

    it('follows a revision restore', async () => {
      const r = await factory.record('Walrus sighting', dora);
      const v1 = (await (await call(`/api/records/${r.id}`, dora.session)).json()) as { version: number };
      await api().request(`/api/records/${r.id}`, {
        method: 'PATCH',
        session: dora.session,
        json: { version: v1.version, texts: { en: { title: 'Narwhal sighting', summary: 'About it.' } } },
      });
      expect(await found('walrus')).toEqual([]);
      expect(await found('narwhal')).toEqual([r.id]);
      const res = await api().request(`/api/records/${r.id}/revisions/1/restore`, {
        method: 'POST',
        session: dora.session,
      });
      expect(res.status).toBe(200);
      expect(await found('walrus')).toEqual([r.id]);
      expect(await found('narwhal')).toEqual([]);
    });
  });
});

describeEachApi('saved searches', (api) => {
  let factory: Factory;
  let sam: SignedIn;
  let nina: SignedIn;
  let jo: SignedIn;

  beforeAll(async () => {
    factory = createFactory(api());
    sam = await factory.signedIn('sam', { role: 'communicator' });
    nina = await factory.signedIn('nina', { role: 'documenter' });
    jo = await factory.signedIn('jo', { role: 'journalist' });
  });

  const save = (session: string, json: unknown) =>
    api().request('/api/saved-searches', { method: 'POST', session, json });
  const mine = async (session: string) =>
    (
      (await (await api().request('/api/saved-searches', { session })).json()) as {
        items: { id: string; name: string; params: string }[];
      }
    ).items;

  it('saves a search by its query string, without paging, and lists it to its owner only', async () => {
    const res = await save(sam.session, {
      name: 'Power cuts',
      params: '?q=électricité&from=2023-01&cursor=d12&limit=5',
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { id: string; params: string };
    expect(new URLSearchParams(saved.params).get('q')).toBe('électricité');
    expect(saved.params).not.toContain('cursor');
    expect(saved.params).not.toContain('limit');
    expect((await mine(sam.session)).map((s) => s.name)).toEqual(['Power cuts']);
    expect(await mine(nina.session)).toEqual([]);
    // The saved parameters run as they are.
    expect((await api().request(`/api/records?${saved.params}`, { session: sam.session })).status).toBe(200);
  });

  it('checks the parameters with the records list rules', async () => {
    const res = await save(sam.session, { name: 'Bad', params: 'status=nope&from=yesterday' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['params.from', 'params.status']);
    expect((await save(sam.session, { name: '', params: '' })).status).toBe(422);
  });

  it('lets only the owner delete, and is closed to journalists', async () => {
    const s = (await (await save(nina.session, { name: 'Mine', params: 'q=gaz' })).json()) as { id: string };
    expect(
      (await api().request(`/api/saved-searches/${s.id}`, { method: 'DELETE', session: sam.session })).status,
    ).toBe(404);
    expect(
      (await api().request(`/api/saved-searches/${s.id}`, { method: 'DELETE', session: nina.session })).status,
    ).toBe(204);
    expect(await mine(nina.session)).toEqual([]);
    expect((await save(jo.session, { name: 'x', params: 'q=a' })).status).toBe(403);
  });
});
