import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../http/access.js';
import { describeEachApi } from '../testing/api.js';
import { createRecordsBulk, CreateRecordSchema, type BulkRow } from './index.js';
import { RecordsRepository, type SearchSourceRow } from './repository.js';
import { searchDoc } from './search.js';

/**
 * The bulk writer hands the search index the records it creates as it built them, instead of reading them back: the
 * documents must be exactly those a read-back gives (`RecordsService.indexRecords` without `fresh`).
 */
describeEachApi('bulk writes and the search index', (api) => {
  let actor: Actor;
  let placeIds: string[];
  let rightIds: string[];

  beforeAll(async () => {
    const p = api().platform;
    const u = await p.accounts.createUser(
      { email: 'bulk@example.org', displayName: 'Bulk', role: 'documenter', password: 'correct horse bulk battery' },
      null,
    );
    actor = { userId: u.id, role: 'admin', via: 'session', pendingSecondFactor: false };
    placeIds = [
      (
        await p.places.create(
          { name: 'Stepanakert', type: 'town', altNames: [{ name: 'Ստեփանակերտ', lang: 'hy' }] },
          null,
        )
      ).id,
      (await p.places.create({ name: 'Goris', type: 'town' }, null)).id,
    ];
    rightIds = (await p.rights.tree()).flatMap((c) => c.children.map((r) => r.id)).slice(0, 3);
  });

  it('indexes new records from what it wrote, the same documents as read back from the tables', async () => {
    const p = api().platform;
    const { db, dialect } = p.database;
    const fresh: SearchSourceRow[] = [];
    const bulk = createRecordsBulk({
      db,
      dialect,
      audit: p.audit,
      index: () => Promise.resolve(),
      prepareIndex: (created) => {
        fresh.push(...created);
        return { ids: created.map((c) => c.row.id), payload: null };
      },
      insertIndex: () => Promise.resolve(),
    });
    const rows: BulkRow[] = [0, 1, 2].map((i) => ({
      line: i + 2,
      externalId: `bulk-doc-${i}`,
      data: CreateRecordSchema.parse({
        texts: {
          en: { title: `Title ${i}`, summary: 'Summary.', description: i === 0 ? null : 'Body' },
          ...(i === 1 ? { hy: { title: 'Վերնագիր', summary: 'Ամփոփում' } } : {}),
        },
        startDate: i === 2 ? undefined : '2023-05',
        startPrecision: i === 2 ? undefined : 'month',
        placeIds: i === 0 ? placeIds : [placeIds[1]!],
        rightIds: i === 2 ? [] : rightIds.slice(0, i + 1),
        tags: ['water', 'gas'],
        confidentiality: ['public', 'internal', 'restricted'][i],
        verification: 'verified',
        affected: { children: i, displaced: 3 },
      }),
    }));
    const outcomes = await db.transaction().execute((tx) =>
      bulk.write(
        tx,
        actor,
        rows,
        { langs: new Set(['en', 'hy']), fields: new Set() },
        {
          retiredRightIds: new Set(),
          note: 'test',
          audit: { entityType: 'import', entityId: 'test', change: {} },
        },
      ),
    );
    expect(outcomes.map((o) => o.action)).toEqual(['create', 'create', 'create']);
    const ids = outcomes.map((o) => (o.action === 'create' ? o.recordId! : ''));
    expect(fresh.map((s) => s.row.id)).toEqual(ids);
    const read = await new RecordsRepository(db, dialect).searchSources(ids);
    const doc = (s: SearchSourceRow) => {
      const d = searchDoc(s);
      const sorted = Object.fromEntries(Object.entries(d.facets).map(([k, v]) => [k, [...(v ?? [])].sort()]));
      return { ...d, facets: sorted };
    };
    for (const id of ids)
      expect(doc(fresh.find((s) => s.row.id === id)!)).toEqual(doc(read.find((s) => s.row.id === id)!));
  });
});
