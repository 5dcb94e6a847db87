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

  /** A bulk writer with no search index behind it; `seen` is shown the documents it would index. */
  const bulkWriter = (seen: (created: SearchSourceRow[]) => void = () => {}) => {
    const p = api().platform;
    return createRecordsBulk({
      db: p.database.db,
      dialect: p.database.dialect,
      audit: p.audit,
      index: () => Promise.resolve(),
      prepareIndex: (created) => {
        seen(created);
        return { ids: created.map((c) => c.row.id), payload: null };
      },
      insertIndex: () => Promise.resolve(),
    });
  };

  it('indexes new records from what it wrote, the same documents as read back from the tables', async () => {
    const p = api().platform;
    const { db, dialect } = p.database;
    const fresh: SearchSourceRow[] = [];
    const bulk = bulkWriter((created) => fresh.push(...created));
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

  it('writes a batch as prepared while it holds, and decides again when one of its external ids was taken', async () => {
    const p = api().platform;
    const { db } = p.database;
    const bulk = bulkWriter();
    const given = { langs: new Set(['en'] as const), fields: new Set<never>() };
    const opts = {
      retiredRightIds: new Set<string>(),
      note: 'test',
      audit: { entityType: 'import', entityId: 'test', change: {} },
    };
    const row = (id: string, line: number): BulkRow => ({
      line,
      externalId: id,
      data: CreateRecordSchema.parse({
        texts: { en: { title: `Prepared ${id}`, summary: 'Summary.' } },
        placeIds: [placeIds[0]!],
      }),
    });

    const held = [row('prep-a', 2), row('prep-b', 3)];
    const ready = await bulk.prepare(actor, held, given, opts);
    const written = await db.transaction().execute((tx) => bulk.write(tx, actor, held, given, opts, ready));
    // The records are the ones it built: their ids were made before the transaction.
    expect(written.map((o) => (o.action === 'create' ? o.recordId : o.action))).toEqual([
      ...ready.created.ids.values(),
    ]);

    const raced = [row('prep-c', 2), row('prep-d', 3)];
    const stale = await bulk.prepare(actor, raced, given, opts);
    // Meanwhile another import creates prep-d.
    await db.transaction().execute((tx) => bulk.write(tx, actor, [raced[1]!], given, opts));
    const outcomes = await db.transaction().execute((tx) => bulk.write(tx, actor, raced, given, opts, stale));
    expect(outcomes.map((o) => o.action)).toEqual(['create', 'unchanged']);
    const rows = await db
      .selectFrom('records')
      .select(['external_id', 'code'])
      .where('external_id', 'in', ['prep-a', 'prep-b', 'prep-c', 'prep-d'])
      .execute();
    expect(rows.map((r) => r.external_id).sort()).toEqual(['prep-a', 'prep-b', 'prep-c', 'prep-d']);
    // Codes are given in the transaction, one each.
    expect(new Set(rows.map((r) => r.code)).size).toBe(4);
    expect(rows.every((r) => /^V-\d{4}-\d{4,}$/.test(r.code))).toBe(true);
  });

  it('will not add a revision after one that stands for the record as it is, without the state before', async () => {
    const p = api().platform;
    const { db, dialect } = p.database;
    const repo = new RecordsRepository(db, dialect);
    const bulk = bulkWriter();
    const row: BulkRow = {
      line: 2,
      externalId: 'bulk-as-now',
      data: CreateRecordSchema.parse({ texts: { en: { title: 'As imported', summary: 'Summary.' } } }),
    };
    const [outcome] = await db
      .transaction()
      .execute((tx) =>
        bulk.write(
          tx,
          actor,
          [row],
          { langs: new Set(['en']), fields: new Set() },
          { retiredRightIds: new Set(), note: 'test', audit: { entityType: 'import', entityId: 'test', change: {} } },
        ),
      );
    const id = outcome!.action === 'create' ? outcome!.recordId! : '';
    const next = { at: new Date().toISOString(), actor_id: actor.userId, action: 'update', note: null, snapshot: '{}' };
    await expect(db.transaction().execute((tx) => repo.addRevision(tx, id, next))).rejects.toThrow(/as it is/);
    expect((await repo.revisions(id)).map((r) => r.rev)).toEqual([1]);
    const rev = await db.transaction().execute((tx) => repo.addRevision(tx, id, next, '{"before":true}'));
    expect(rev).toBe(2);
    expect((await repo.revision(id, 1))?.snapshot).toBe('{"before":true}');
  });
});
