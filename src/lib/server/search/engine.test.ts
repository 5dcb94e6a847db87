import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../testing/db.js';
import {
  createSearchIndex,
  decodeValue,
  encodeValue,
  facetToken,
  groupToken,
  mayBeMetaToken,
  parseQuery,
  TOKEN,
  userToken,
  type RecordDoc,
  type SearchFilters,
  type SearchIndex,
  type SearchRequest,
  type Viewer,
} from './index.js';

/**
 * The engine alone, on synthetic documents, on both databases: what matches, who sees it, how it is counted, sorted
 * and paged. The records module's own tests cover the documents it builds.
 */

const AUTHOR = '0190a0b0-0000-7000-8000-000000000001';
const NAMED = '0190a0b0-0000-7000-8000-000000000002';
const MEMBER = '0190a0b0-0000-7000-8000-000000000003';
const OTHER = '0190a0b0-0000-7000-8000-000000000004';
const TEAM = 'team-a';

const staff = (userId: string, groupIds: string[] = []): Viewer => ({ kind: 'staff', userId, groupIds });
const PUBLIC: Viewer = { kind: 'public' };
const other = staff(OTHER, ['unrelated']);
/** Limits small enough for a few dozen documents to reach every plan: exact, estimated, ranked, windowed. */
const SMALL = { exactFacets: 10, sample: 15, exactRank: 12 };

function doc(id: string, d: Partial<RecordDoc> = {}): RecordDoc {
  return {
    id,
    startDate: '2023-06-01',
    endDate: null,
    ongoing: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    title: [`Record ${id}`],
    summary: [],
    body: [],
    places: [],
    access: { web: false, restricted: false, users: [], groups: [] },
    facets: {},
    ...d,
  };
}

const DOCS: RecordDoc[] = [
  doc('elec', {
    title: ['Coupure d’électricité'],
    summary: ['Le réseau est coupé depuis le blocus.'],
    places: ['Stepanakert', 'Ստեփանակերտ', 'Xankəndi'],
    startDate: '2023-09-19',
    access: { web: true, restricted: false, users: [], groups: [] },
    facets: { right: ['r-health'], place: ['p-stk'], year: ['2023'], status: ['published'], tag: ['power'] },
  }),
  doc('yer1', { title: ['Ջրի անջատում Երևանում'], startDate: '2023-05', facets: { place: ['p-evn'], year: ['2023'] } }),
  doc('yer2', { summary: ['ԵՐԵՎԱՆ, անջատում'], startDate: null }),
  doc('yer3', { body: ['Երեւան'], startDate: '2022-12-12', ongoing: true, facets: { year: ['2022'] } }),
  doc('phrase1', { title: ['Power line down'], startDate: '2023-01-15', facets: { tag: ['power'] } }),
  doc('phrase2', { title: ['A line of power'], startDate: '2023-01-20' }),
  doc('canary', {
    title: ['Zebrafinch testimony'],
    startDate: '2023-07-01',
    access: { web: false, restricted: true, users: [AUTHOR, NAMED], groups: [TEAM] },
    facets: { right: ['r-secret'], tag: ['zebrafinch-tag'], year: ['2023'] },
  }),
  doc('internal', { title: ['Gaz coupé, réparations'], startDate: '2023-02', facets: { right: ['r-health'] } }),
  doc('draftpub', {
    title: ['Gaz draft'],
    startDate: '2023-02-02',
    // Public but not published: not for the public.
    access: { web: false, restricted: false, users: [], groups: [] },
  }),
];

describeEachDb('search engine', (ctx) => {
  let index: SearchIndex;
  const ids = async (
    q: string,
    viewer: Viewer = other,
    filters: SearchFilters = {},
    sort: 'date' | 'relevance' = 'date',
  ) => (await index.search({ query: parseQuery(q), viewer, filters }, { sort, limit: 100 })).hits.map((h) => h.id);
  const sorted = async (...args: Parameters<typeof ids>) => (await ids(...args)).sort();

  beforeAll(async () => {
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect);
    await ctx()
      .handle.db.transaction()
      .execute(async (tx) => {
        for (const d of DOCS) await index.upsertRecord(tx, d);
        await index.upsertSource(tx, { id: 's1', title: 'Rapport sur l’électricité', publisher: 'Ombudsman' });
        await index.upsertSource(tx, { id: 's2', title: 'Gas supply report', publisher: 'Ministère' });
      });
  });

  describe('matching', () => {
    it('folds diacritics: electricite finds électricité', async () => {
      expect(await ids('electricite')).toEqual(['elec']);
      expect(await ids('ÉLECTRICITÉ')).toEqual(['elec']);
    });

    it('matches Armenian prefixes, with or without a star', async () => {
      expect(await ids('Ստեփան')).toEqual(['elec']);
      expect(await ids('Ստեփան*')).toEqual(['elec']);
      expect(await ids('ստեփանակերտ')).toEqual(['elec']);
    });

    it('makes the spellings of Yerevan one word', async () => {
      for (const q of ['"Երևան"', '"Երեւան"', '"ԵՐԵՎԱՆ"']) expect(await sorted(q), q).toEqual(['yer2', 'yer3']);
      // As the last word typed, a prefix: the locative Երևանում too.
      for (const q of ['Երևան', 'Երեւան', 'ԵՐԵՎԱՆ', 'Երևան*'])
        expect(await sorted(q), q).toEqual(['yer1', 'yer2', 'yer3']);
    });

    it('finds records by any name of their places', async () => {
      expect(await ids('Xankendi')).toEqual(['elec']);
      expect(await ids('Stepanakert')).toEqual(['elec']);
    });

    it('supports phrases, AND, NOT and OR', async () => {
      expect(await sorted('"power line"')).toEqual(['phrase1']);
      expect(await sorted('power line')).toEqual(['phrase1', 'phrase2']);
      expect(await sorted('power -down')).toEqual(['phrase2']);
      expect(await sorted('power NOT "line down"')).toEqual(['phrase2']);
      expect(await sorted('"line down" OR réparations')).toEqual(['internal', 'phrase1']);
      expect(await sorted('gaz coupé')).toEqual(['internal']);
    });

    it("never matches the index's own tokens as words, typed whole or as a prefix", async () => {
      const author = staff(AUTHOR);
      const tokens = [
        TOKEN.all,
        TOKEN.web,
        TOKEN.restricted,
        TOKEN.span[0],
        userToken(NAMED),
        groupToken(TEAM),
        facetToken('tag', 'zebrafinch-tag'),
      ];
      for (const t of tokens) {
        expect(mayBeMetaToken(t, false), t).toBe(true);
        expect(mayBeMetaToken(t.slice(0, 3), true), t).toBe(true);
        expect(await ids(`"${t}"`, author), t).toEqual([]);
        // The canary's text starts no word so (other records' may: `res*` finds réseau).
        expect(await ids(`${t.slice(0, 3)}*`, author), t).not.toContain('canary');
        expect(await ids(`zebrafinch -${t}`, author), t).toEqual(['canary']);
      }
      for (const w of ['blockade', 'gaz', 'zebrafinch', 'coupure']) expect(mayBeMetaToken(w, false), w).toBe(false);
      expect(await ids('zebrafinch', author)).toEqual(['canary']);
    });

    it('lists everything visible when there is no text, and excludes with a query of exclusions only', async () => {
      expect(await sorted('')).toEqual(
        DOCS.map((d) => d.id)
          .filter((i) => i !== 'canary')
          .sort(),
      );
      expect(await sorted('-gaz -power')).toEqual(['elec', 'yer1', 'yer2', 'yer3']);
    });

    it('never fails on hostile input', async () => {
      const nasty = [
        '"',
        '""',
        '"a',
        '*',
        'a*b*',
        ':',
        'title:gaz',
        '{meta}:pub',
        'meta:res',
        'NEAR(a b, 2)',
        'a NEAR b',
        '(((',
        ')',
        'gaz) OR (',
        '\u0000gaz\u0000',
        'AND',
        'OR OR OR',
        'NOT',
        '- - -',
        '^gaz',
        'gaz^2',
        "'; drop table records; --",
        '\\',
        '🙂 ́',
        'a'.repeat(600),
        Array.from({ length: 60 }, (_, i) => `w${i}*`).join(' '),
      ];
      for (const q of nasty) {
        const r = await index.search(
          { query: parseQuery(q), viewer: other, filters: {} },
          { sort: 'relevance', limit: 5 },
        );
        expect(Array.isArray(r.hits), q).toBe(true);
        await index.facets({ query: parseQuery(q), viewer: other, filters: {} });
      }
      // Tokens of the meta column are not text: a user cannot match on them.
      for (const token of ['"res"', '"web"', '"all"', '"nd"']) expect(await ids(token), token).toEqual([]);
    });
  });

  describe('visibility', () => {
    const everywhere = async (viewer: Viewer) => {
      const req: SearchRequest = { query: parseQuery('zebrafinch'), viewer, filters: {} };
      const page = await index.search(req, { sort: 'relevance', limit: 10 });
      const facets = await index.facets({ query: null, viewer, filters: {} });
      const byTag = await index.search(
        { query: null, viewer, filters: { facets: { tag: ['zebrafinch-tag'] } } },
        {
          sort: 'date',
          limit: 10,
        },
      );
      const ids: string[] = [];
      for await (const batch of index.ids({ query: null, viewer, filters: {} }, 3)) ids.push(...batch);
      return {
        hits: page.hits.map((h) => h.id),
        total: page.total.value,
        tagTotal: byTag.total.value,
        secretRight: facets.counts.right.find((c) => c.value === 'r-secret')?.count ?? 0,
        canaryTag: facets.counts.tag.find((c) => c.value === 'zebrafinch-tag')?.count ?? 0,
        exported: ids.includes('canary'),
      };
    };

    it('hides a restricted record from other staff and the public: hits, totals, facets, exports', async () => {
      for (const v of [other, PUBLIC, staff(OTHER, []), staff(OTHER, ['team-b'])])
        expect(await everywhere(v)).toEqual({
          hits: [],
          total: 0,
          tagTotal: 0,
          secretRight: 0,
          canaryTag: 0,
          exported: false,
        });
    });

    it('shows it to its author, a named user and a member of a named group', async () => {
      for (const v of [staff(AUTHOR), staff(NAMED), staff(MEMBER, ['other', TEAM])])
        expect(await everywhere(v)).toEqual({
          hits: ['canary'],
          total: 1,
          tagTotal: 1,
          secretRight: 1,
          canaryTag: 1,
          exported: true,
        });
    });

    it('shows the public published public records only', async () => {
      expect(await sorted('', PUBLIC)).toEqual(['elec']);
      expect(await sorted('gaz', PUBLIC)).toEqual([]);
    });

    it('follows a re-index: lifting the restriction, then deleting', async () => {
      const db = ctx().handle.db;
      const secret = doc('later', {
        title: ['Quokka'],
        access: { web: false, restricted: true, users: [AUTHOR], groups: [] },
      });
      await db.transaction().execute((tx) => index.upsertRecord(tx, secret));
      expect(await ids('quokka')).toEqual([]);
      await db
        .transaction()
        .execute((tx) =>
          index.upsertRecord(tx, { ...secret, access: { web: false, restricted: false, users: [], groups: [] } }),
        );
      expect(await ids('quokka')).toEqual(['later']);
      await db.transaction().execute((tx) => index.removeRecord(tx, 'later'));
      expect(await ids('quokka')).toEqual([]);
      expect(await index.indexedRecordIds()).not.toContain('later');
    });
  });

  describe('filters and facets', () => {
    it('filters by facet tokens', async () => {
      expect(await sorted('', other, { facets: { right: ['r-health'] } })).toEqual(['elec', 'internal']);
      expect(await sorted('gaz', other, { facets: { right: ['r-health'] } })).toEqual(['internal']);
      expect(await sorted('', other, { facets: { right: ['r-health'], tag: ['power'] } })).toEqual(['elec']);
    });

    it('filters by period: a record counts when its period reaches the range', async () => {
      // yer3 runs from 2022-12-12 and is ongoing; yer1 is May 2023; yer2 has no date.
      expect(await sorted('Երևան*', other, { from: '2024-01-01' })).toEqual(['yer3']);
      expect(await sorted('Երևան*', other, { from: '2023-05-31', to: '2023-05-31' })).toEqual(['yer1', 'yer3']);
      expect(await sorted('Երևան*', other, { from: '2023-06' })).toEqual(['yer3']);
      expect(await sorted('Երևան*', other, { to: '2022' })).toEqual(['yer3']);
      expect(await sorted('Երևան*', other, { to: '2023-05' })).toEqual(['yer1', 'yer3']);
      expect(await sorted('Երևան*', other, { to: '2023-04-30' })).toEqual(['yer3']);
      expect(await sorted('Երևան*', other, {})).toEqual(['yer1', 'yer2', 'yer3']);
    });

    it('counts facets exactly over the visible matches', async () => {
      const f = await index.facets({ query: null, viewer: other, filters: {} });
      expect(f.approx).toBe(false);
      expect(f.counts.right).toEqual([{ value: 'r-health', count: 2 }]);
      expect(f.counts.tag).toEqual([{ value: 'power', count: 2 }]);
      expect(f.counts.year).toEqual([
        { value: '2023', count: 2 },
        { value: '2022', count: 1 },
      ]);
    });

    it('searches sources by title and publisher', async () => {
      expect(await index.searchSources(parseQuery('electricite'), 10)).toEqual(['s1']);
      expect(await index.searchSources(parseQuery('ministere'), 10)).toEqual(['s2']);
      expect(await index.searchSources(parseQuery('report -gas'), 10)).toEqual([]);
      expect(await index.searchSources(parseQuery('"'), 10)).toEqual([]);
    });
  });
});

describeEachDb('search engine: sorting, paging and estimates', (ctx) => {
  let index: SearchIndex;
  const N = 40;
  const viewer = staff(OTHER);

  beforeAll(async () => {
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect, SMALL);
    await ctx()
      .handle.db.transaction()
      .execute(async (tx) => {
        for (let i = 0; i < N; i += 1) {
          const day = String((i % 28) + 1).padStart(2, '0');
          const month = String((i % 12) + 1).padStart(2, '0');
          // Many share a date, so keys must break ties; "blockade" repeats to vary relevance.
          await index.upsertRecord(
            tx,
            doc(`b${String(i).padStart(2, '0')}`, {
              startDate: `2023-${month}-${day}`,
              title: [i % 5 === 0 ? 'Blockade blockade' : 'Blockade'],
              body: [`note ${'filler '.repeat(i % 7)}`],
              facets: { tag: [i % 2 === 0 ? 'even' : 'odd'] },
            }),
          );
        }
      });
  });

  async function all(sort: 'date' | 'relevance', limit: number, filters: SearchFilters = {}) {
    const seen: string[] = [];
    let cursor: string | undefined;
    const plans = new Set<string>();
    for (let guard = 0; guard < 100; guard += 1) {
      const page = await index.search({ query: parseQuery('blockade'), viewer, filters }, { sort, limit, cursor });
      plans.add(page.plan);
      seen.push(...page.hits.map((h) => h.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { seen, plans: [...plans] };
  }

  it('pages by date with a stable keyset, newest first', async () => {
    const full = (
      await index.search({ query: parseQuery('blockade'), viewer, filters: {} }, { sort: 'date', limit: 100 })
    ).hits;
    expect(full).toHaveLength(N);
    const { seen } = await all('date', 7);
    expect(seen).toEqual(full.map((h) => h.id));
  });

  it('ranks by relevance: the exact plan when few match, the window of the newest when many do', async () => {
    // A relevance cursor counts the hits seen and carries no score (a score would reflect records one may not see).
    const first = await index.search(
      { query: parseQuery('blockade'), viewer, filters: {} },
      { sort: 'relevance', limit: 4 },
    );
    expect(first.nextCursor).toBe('r4');
    // 40 matches > exactRank 12: plan R over the newest 15.
    const wide = await all('relevance', 4);
    expect(wide.plans).toEqual(['window']);
    expect(wide.seen).toHaveLength(15);
    expect(new Set(wide.seen).size).toBe(15);
    // Even records only (20 > 12): still windowed; a narrow month: exact.
    const narrow = await all('relevance', 2, { from: '2023-01-01', to: '2023-02-28' });
    expect(narrow.plans).toEqual(['rank']);
    const page = await index.search(
      { query: parseQuery('blockade'), viewer, filters: { from: '2023-01-01', to: '2023-02-28' } },
      { sort: 'relevance', limit: 100 },
    );
    expect(narrow.seen).toEqual(page.hits.map((h) => h.id));
    // Titles that say it twice come first.
    const scores = page.hits.map((h) => h.score!);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(page.hits[0]!.id).toMatch(/^b(00|05|10|15|20|25|30|35)$/);
  });

  it('scores a filtered match as the text alone scores it, in both plans', async () => {
    const search = (filters: SearchFilters, limit = 100) =>
      index.search({ query: parseQuery('blockade'), viewer, filters }, { sort: 'relevance', limit });
    const scoreOf = (hits: { id: string; score: number | null }[]) => new Map(hits.map((h) => [h.id, h.score]));
    // The exact plan: January and February (8 matches), then the even ones of them.
    const months = { from: '2023-01-01', to: '2023-02-28' };
    const all = scoreOf((await search(months)).hits);
    const even = await search({ ...months, facets: { tag: ['even'] } });
    expect(even.plan).toBe('rank');
    expect(even.hits.length).toBeGreaterThan(1);
    for (const h of even.hits) {
      expect(Number(h.id.slice(1)) % 2).toBe(0);
      expect(h.score).toBeTypeOf('number');
      expect(h.score).toBeCloseTo(all.get(h.id)!, 9);
    }
    // The window (20 even matches > 12): each of the newest 15 even records keeps the score it has in the window of all.
    const wide = await search({ facets: { tag: ['even'] } });
    expect(wide.plan).toBe('window');
    expect(wide.hits).toHaveLength(15);
    const alone = scoreOf((await search({})).hits);
    const overlap = wide.hits.filter((h) => alone.has(h.id));
    expect(overlap.length).toBeGreaterThan(0);
    for (const h of wide.hits) expect(h.score).toBeTypeOf('number');
    for (const h of overlap) expect(h.score).toBeCloseTo(alone.get(h.id)!, 9);
  });

  it('windows a date range split in segments: the newest of them all, each with its own score', async () => {
    // From March on: 30 or so matches > exactRank 12, so plan R over the newest 15, across the segments.
    const filters = { from: '2023-03-01' };
    const byDate = (
      await index.search({ query: parseQuery('blockade'), viewer, filters }, { sort: 'date', limit: 15 })
    ).hits.map((h) => h.id);
    const page = await index.search(
      { query: parseQuery('blockade'), viewer, filters },
      { sort: 'relevance', limit: 15 },
    );
    expect(page.plan).toBe('window');
    expect(page.hits.map((h) => h.id).sort()).toEqual([...byDate].sort());
    const scores = page.hits.map((h) => h.score!);
    expect(scores.every((x) => typeof x === 'number')).toBe(true);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('pages a date range split in segments newest first, as a brute-force filter would', async () => {
    const filters = { from: '2023-03-01' };
    const date = (i: number) =>
      `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const expected = Array.from({ length: N }, (_, i) => i)
      .filter((i) => date(i) >= filters.from)
      .map((i) => ({ id: `b${String(i).padStart(2, '0')}`, date: date(i) }));
    const { seen } = await all('date', 3, filters);
    expect([...seen].sort()).toEqual(expected.map((e) => e.id).sort());
    const dates = seen.map((id) => expected.find((e) => e.id === id)!.date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('estimates facet counts above the exact limit, and says so', async () => {
    const f = await index.facets({ query: parseQuery('blockade'), viewer, filters: {} });
    expect(f.approx).toBe(true);
    const even = f.counts.tag.find((c) => c.value === 'even')!.count;
    expect(even).toBeGreaterThan(5);
    expect(even).toBeLessThan(40);
    const few = await index.facets({ query: parseQuery('blockade'), viewer, filters: { to: '2023-01-31' } });
    expect(few.approx).toBe(false);
  });

  it('samples facets from the date range only, when it holds fewer matches than a sample', async () => {
    // From September: 12 matches (above exactFacets 10, below the sample of 15), six even and six odd; August's
    // three odd ones are the next newest and must stay out of the sample.
    const filters = { from: '2023-09-01' };
    const page = await index.search({ query: parseQuery('blockade'), viewer, filters }, { sort: 'date', limit: 100 });
    expect(page.hits).toHaveLength(12);
    const f = await index.facets({ query: parseQuery('blockade'), viewer, filters });
    const count = (v: string) => f.counts.tag.find((c) => c.value === v)?.count ?? 0;
    // Scaled alike (the total is an estimate above 10), so they stay equal; with August's three, odd would lead.
    expect(f.approx).toBe(true);
    expect(count('even')).toBeGreaterThan(0);
    expect(count('odd')).toBe(count('even'));
  });

  it('rejects a cursor that is not one', async () => {
    await expect(
      index.search({ query: null, viewer, filters: {} }, { sort: 'date', limit: 5, cursor: 'r1_2' }),
    ).rejects.toMatchObject({ status: 422 });
    // Nor one that carries a score, as cursors once did.
    await expect(
      index.search(
        { query: parseQuery('blockade'), viewer, filters: {} },
        { sort: 'relevance', limit: 5, cursor: 'r-1.5_4591444594470211_4' },
      ),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('token values', () => {
  it('round-trip UUIDs and anything else, without collisions', () => {
    for (const v of [AUTHOR, 'team-a', 'Ճ tag, with spaces', 'X', '']) expect(decodeValue(encodeValue(v))).toBe(v);
    expect(encodeValue(AUTHOR)).toMatch(/^[0-9a-f]{32}$/);
    expect(encodeValue(AUTHOR.toUpperCase())).toMatch(/^x/);
  });
});

describeEachDb('search engine: estimated totals', (ctx) => {
  let index: SearchIndex;
  const OPEN = 60;
  const blockade = (viewer: Viewer, filters: SearchFilters = {}) =>
    index.search({ query: parseQuery('blockade'), viewer, filters }, { sort: 'date', limit: 5 });
  const day = (i: number) => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10);
  const sqlite = () => ctx().handle.dialect.name === 'sqlite';

  beforeAll(async () => {
    // SQLite's estimate reads the newest 10 + 1 + 5 matches: with fewer, it has read them all.
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect, { ...SMALL, readOn: 5 });
    const docs: RecordDoc[] = [];
    // One open record a day from 2023-01-01; the last 20 of them published and public.
    for (let i = 0; i < OPEN; i++) {
      const web = i >= OPEN - 20;
      docs.push(
        doc(`open-${i}`, {
          title: ['Blockade'],
          startDate: day(i),
          access: { web, restricted: false, users: [], groups: [] },
          facets: { confidentiality: [web ? 'public' : 'internal'], status: [web ? 'published' : 'draft'] },
        }),
      );
    }
    // 200 restricted canaries, all before, named to AUTHOR only: they must not sway anyone else's estimate.
    for (let i = 0; i < 200; i++)
      docs.push(
        doc(`canary-${i}`, {
          title: ['Blockade canary'],
          startDate: `2022-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
          access: { web: false, restricted: true, users: [AUTHOR], groups: [] },
          facets: { confidentiality: ['restricted'], status: ['draft'] },
        }),
      );
    await ctx()
      .handle.db.transaction()
      .execute((tx) => index.upsertRecords(tx, docs));
  });

  it('counts exactly up to the limit, and estimates above it, saying so', async () => {
    const few = await blockade(other, { from: '2023-01-01', to: day(7) });
    expect(few.total).toEqual({ value: 8, approx: false });
    const many = await blockade(other);
    expect(many.total.approx).toBe(true);
    if (sqlite()) expect(many.total.value).toBe(OPEN);
    else expect(many.total.value).toBeGreaterThan(10);
  });

  it('counts exactly past the limit when the estimate has read every match (SQLite)', async () => {
    const fourteen = await blockade(other, { from: '2023-01-01', to: day(13) });
    if (sqlite()) expect(fourteen.total).toEqual({ value: 14, approx: false });
    else expect(fourteen.total.value).toBeGreaterThan(10);
    // One more than the estimate reads is estimated again.
    const sixteen = await blockade(other, { from: '2023-01-01', to: day(15) });
    if (sqlite()) expect(sixteen.total).toEqual({ value: 16, approx: true });
  });

  it('never lets restricted records sway the estimate of a viewer who may not see them', async () => {
    if (!sqlite()) return expect((await blockade(other)).total.value).toBeGreaterThan(10);
    // Counting the canaries' days too would make it about 260.
    expect((await blockade(other)).total).toEqual({ value: OPEN, approx: true });
    // Nor internal records sway the public's: counting them would make it about 60.
    expect((await blockade(PUBLIC)).total).toEqual({ value: 20, approx: true });
  });

  it('adds the restricted records a viewer may see, counted exactly', async () => {
    const author = await blockade(staff(AUTHOR));
    expect(author.total.approx).toBe(true);
    if (sqlite()) expect(author.total.value).toBe(OPEN + 200);
  });

  it('follows the index: restricting records takes them out of others\u2019 estimates', async () => {
    const restrict = Array.from({ length: 10 }, (_, i) =>
      doc(`open-${OPEN - 1 - i}`, {
        title: ['Blockade'],
        startDate: day(OPEN - 1 - i),
        access: { web: false, restricted: true, users: [AUTHOR], groups: [] },
        facets: { confidentiality: ['restricted'], status: ['draft'] },
      }),
    );
    await ctx()
      .handle.db.transaction()
      .execute((tx) => index.upsertRecords(tx, restrict));
    const after = await blockade(other);
    if (sqlite()) expect(after.total).toEqual({ value: OPEN - 10, approx: true });
    else expect(after.total.value).toBeGreaterThan(10);
    // And back, so that the next test starts from the same index.
    await ctx()
      .handle.db.transaction()
      .execute((tx) =>
        index.upsertRecords(
          tx,
          restrict.map((d, i) => {
            const web = OPEN - 1 - i >= OPEN - 20;
            return {
              ...d,
              access: { web, restricted: false, users: [], groups: [] },
              facets: { confidentiality: [web ? 'public' : 'internal'], status: [web ? 'published' : 'draft'] },
            };
          }),
        ),
      );
    if (sqlite()) expect((await blockade(other)).total.value).toBe(OPEN);
  });

  it('follows the index: deleting records changes the estimate', async () => {
    await ctx()
      .handle.db.transaction()
      .execute(async (tx) => {
        for (let i = 0; i < 30; i++) await index.removeRecord(tx, `open-${i}`);
      });
    const after = await blockade(other);
    if (sqlite()) expect(after.total).toEqual({ value: OPEN - 30, approx: true });
    else expect(after.total.value).toBeGreaterThan(10);
  });
});

describeEachDb('search engine: prefixes', (ctx) => {
  let index: SearchIndex;
  const found = async (q: string) =>
    (await index.search({ query: parseQuery(q), viewer: other, filters: {} }, { sort: 'date', limit: 100 })).hits
      .map((h) => h.id)
      .sort();

  beforeAll(async () => {
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect);
    const docs = [
      doc('w1', { title: ['Blockade of the road'] }),
      doc('w2', { title: ['The road was blockaded'] }),
      doc('w3', { title: ['Blockades again'], body: ['power lines down'] }),
      doc('w4', { title: ['Block party'] }),
      // More words share `zeta` than are written out: FTS5 answers that prefix itself.
      ...Array.from({ length: 20 }, (_, i) => doc(`z${String(i).padStart(2, '0')}`, { title: [`zeta${i} report`] })),
    ];
    await ctx()
      .handle.db.transaction()
      .execute((tx) => index.upsertRecords(tx, docs));
  });

  it('finds every word a prefix stands for, whether written out or left to the engine', async () => {
    expect(await found('blockad')).toEqual(['w1', 'w2', 'w3']);
    expect(await found('blockade*')).toEqual(['w1', 'w2', 'w3']);
    expect(await found('block')).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(await found('road blockaded')).toEqual(['w2']);
    expect(await found('power lin')).toEqual(['w3']);
    expect(await found('zeta')).toHaveLength(20);
    expect(await found('zeta1')).toEqual(['z01', 'z10', 'z11', 'z12', 'z13', 'z14', 'z15', 'z16', 'z17', 'z18', 'z19']);
    expect(await found('blockadx')).toEqual([]);
    expect(await found('road -blockade*')).toEqual([]);
    expect(await found('road -blockaded')).toEqual(['w1']);
  });
});

describeEachDb('search engine: a window and a facet sample taken from the estimate’s read', (ctx) => {
  // SQLite's estimate reads the newest 10 + 1 + 50 matches, and keeps the newest 20 for the window (20) and the
  // facet sample (15) of the same search. An index that reads on only 5 keeps too few and reads them again.
  const limits = { ...SMALL, window: 20 };
  let shared: SearchIndex;
  let separate: SearchIndex;
  const day = (i: number) => new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10);
  const request = (viewer: Viewer): SearchRequest => ({ query: parseQuery('blockade'), viewer, filters: {} });

  beforeAll(async () => {
    shared = createSearchIndex(ctx().handle.db, ctx().handle.dialect, { ...limits, readOn: 50 });
    separate = createSearchIndex(ctx().handle.db, ctx().handle.dialect, { ...limits, readOn: 5 });
    const docs: RecordDoc[] = [
      ...Array.from({ length: 60 }, (_, i) =>
        doc(`open-${i}`, {
          title: [i % 4 === 0 ? 'Blockade blockade' : 'Blockade'],
          startDate: day(i),
          access: { web: i % 2 === 0, restricted: false, users: [], groups: [] },
          facets: { confidentiality: [i % 2 === 0 ? 'public' : 'internal'], tag: ['open'] },
        }),
      ),
      // Restricted, among the newest: the author's own, and canaries named to someone else.
      ...Array.from({ length: 8 }, (_, i) =>
        doc(`mine-${i}`, {
          title: ['Blockade blockade blockade'],
          startDate: day(50 + i),
          access: { web: false, restricted: true, users: [AUTHOR], groups: [] },
          facets: { confidentiality: ['restricted'], tag: ['mine'] },
        }),
      ),
      ...Array.from({ length: 8 }, (_, i) =>
        doc(`canary-${i}`, {
          title: ['Blockade blockade blockade'],
          startDate: day(52 + i),
          access: { web: false, restricted: true, users: [NAMED], groups: [] },
          facets: { confidentiality: ['restricted'], tag: ['zebrafinch-tag'] },
        }),
      ),
    ];
    await ctx()
      .handle.db.transaction()
      .execute((tx) => shared.upsertRecords(tx, docs));
  });

  it('ranks and counts what each viewer may see, the same as when the keys are read again', async () => {
    for (const viewer of [staff(AUTHOR), other, PUBLIC]) {
      const author = viewer.kind === 'staff' && viewer.userId === AUTHOR;
      const req = request(viewer);
      const page = await shared.search(req, { sort: 'relevance', limit: 20 });
      const again = await separate.search(request(viewer), { sort: 'relevance', limit: 20 });
      expect(page.plan).toBe('window');
      expect(page.hits).toEqual(again.hits);
      const ids = page.hits.map((h) => h.id);
      expect(ids.some((id) => id.startsWith('canary-'))).toBe(false);
      expect(ids.some((id) => id.startsWith('mine-'))).toBe(author);
      // The same request (its estimate's read taken) and a copy of it (read again) count the same facets.
      const facets = await shared.facets(req, page.total);
      expect(facets).toEqual(await separate.facets({ ...req }, again.total));
      expect(facets.counts.tag.some((c) => c.value === 'zebrafinch-tag')).toBe(false);
      const mine = facets.counts.tag.find((c) => c.value === 'mine')?.count ?? 0;
      if (author) expect(mine).toBeGreaterThan(0);
      else expect(mine).toBe(0);
    }
  });
});

describeEachDb('search engine: a window across segments', (ctx) => {
  let index: SearchIndex;
  const filters = { from: '2023-01-01' };

  beforeAll(async () => {
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect, SMALL);
    const docs = [
      // Five that start after the range opens; thirty ongoing since 2022, which reach it too.
      ...Array.from({ length: 5 }, (_, i) => doc(`new-${i}`, { title: ['Blockade'], startDate: `2023-0${i + 1}-10` })),
      ...Array.from({ length: 30 }, (_, i) =>
        doc(`old-${String(i).padStart(2, '0')}`, {
          title: [i % 3 === 0 ? 'Blockade blockade' : 'Blockade'],
          startDate: `2022-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
          ongoing: true,
        }),
      ),
    ];
    await ctx()
      .handle.db.transaction()
      .execute((tx) => index.upsertRecords(tx, docs));
  });

  it('ranks the newest matches of every segment when the first holds fewer than the window', async () => {
    const req = { query: parseQuery('blockade'), viewer: other, filters };
    const byDate = (await index.search(req, { sort: 'date', limit: 15 })).hits.map((h) => h.id);
    expect(byDate.filter((id) => id.startsWith('new-'))).toHaveLength(5);
    const page = await index.search(req, { sort: 'relevance', limit: 15 });
    expect(page.plan).toBe('window');
    expect(page.hits.map((h) => h.id).sort()).toEqual([...byDate].sort());
    const scores = page.hits.map((h) => h.score!);
    expect(scores.every((x) => typeof x === 'number')).toBe(true);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});

describeEachDb('search engine: estimates when records share a day', (ctx) => {
  let index: SearchIndex;
  const total = async (filters: SearchFilters = {}) =>
    (await index.search({ query: parseQuery('blockade'), viewer: other, filters }, { sort: 'date', limit: 5 })).total;
  const sqlite = () => ctx().handle.dialect.name === 'sqlite';

  beforeAll(async () => {
    // Reading on 20 past the newest 11 finishes an ordinary day, not a crowded one.
    index = createSearchIndex(ctx().handle.db, ctx().handle.dialect, { ...SMALL, readOn: 20 });
    const docs = [
      // Eight dated a day each, forty dated by their year only (all on its 1 January), fifty with no date at all
      // (sorted by the day they were created, one day for the fifty): more on one day than the estimate reads.
      ...Array.from({ length: 8 }, (_, i) => doc(`day-${i}`, { title: ['Blockade'], startDate: `2023-01-1${i}` })),
      ...Array.from({ length: 40 }, (_, i) => doc(`year-${i}`, { title: ['Blockade'], startDate: '2022' })),
      ...Array.from({ length: 50 }, (_, i) =>
        doc(`undated-${i}`, { title: ['Blockade'], startDate: null, createdAt: '2024-03-01T10:00:00.000Z' }),
      ),
    ];
    await ctx()
      .handle.db.transaction()
      .execute((tx) => index.upsertRecords(tx, docs));
  });

  it('counts the day the newest matches stop in as a whole, so that a crowded day does not shrink the estimate', async () => {
    const all = await total();
    expect(all.approx).toBe(true);
    if (sqlite()) expect(all.value).toBe(98);
  });

  it('leaves records without a date out of the day counts of a date-filtered search', async () => {
    const dated = await total({ from: '2021-01-01' });
    expect(dated.approx).toBe(true);
    if (sqlite()) expect(dated.value).toBe(48);
  });
});
