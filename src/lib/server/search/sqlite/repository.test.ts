import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/index.js';
import type { RecordDoc } from '../engine.js';
import { parseQuery } from '../query.js';
import { SqliteSearchIndex } from './repository.js';

/**
 * What only the SQLite index does: how a batch of documents reaches FTS5. The engine's behaviour on both databases
 * is covered in engine.test.ts.
 */

const AUTHOR = '0190a0b0-0000-7000-8000-0000000000aa';

function doc(n: number, word: string): RecordDoc {
  return {
    id: `doc-${word}-${n}`,
    // Dates out of order, as in a file: the index must still take each batch in one piece.
    startDate: `20${10 + (n % 13)}-0${1 + (n % 9)}-1${n % 10}`,
    endDate: null,
    ongoing: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    title: [`${word} ${n}`],
    summary: ['Le réseau électrique est coupé depuis le blocus de la route.'],
    // Long enough that a batch spans several statements' worth of parameters (about 60,000 characters each).
    body: [`Record ${n}. ` + 'The gas pipeline and the power line were damaged, and repairs were refused. '.repeat(8)],
    places: ['Stepanakert'],
    access: { web: true, restricted: false, users: [AUTHOR], groups: [] },
    facets: { year: ['2023'], status: ['published'] },
  };
}

describe('SQLite search index: batched writes', () => {
  let handle: DatabaseHandle;
  let index: SqliteSearchIndex;
  const segments = async () =>
    Number(
      (await sql<{ n: number }>`select count(distinct segid) as n from record_fts_idx`.execute(handle.db)).rows[0]!.n,
    );

  beforeAll(async () => {
    handle = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await handle.migrate();
    index = new SqliteSearchIndex(handle.db);
  });
  afterAll(() => handle.close());

  it('writes each batch as one full-text segment, however many statements its documents take', async () => {
    const first = Array.from({ length: 400 }, (_, i) => doc(i, 'alpha'));
    const second = Array.from({ length: 400 }, (_, i) => doc(i, 'beta'));
    expect(JSON.stringify(first).length).toBeGreaterThan(3 * 60_000);

    await handle.db.transaction().execute((tx) => index.upsertRecords(tx, first, { fresh: true }));
    // One statement per chunk used to make one segment per chunk: FTS5 writes what it holds whenever a statement
    // that may need undoing starts in the transaction.
    expect(await segments()).toBe(1);
    await handle.db.transaction().execute((tx) => index.upsertRecords(tx, second, { fresh: true }));
    expect(await segments()).toBe(2);

    // Every document of both batches is there, and found once.
    const viewer = { kind: 'staff' as const, userId: AUTHOR, groupIds: [] };
    const count = async (q: string) =>
      (await index.search({ query: parseQuery(q), viewer, filters: {} }, { sort: 'date', limit: 1 })).total;
    expect(await count('alpha')).toEqual({ value: 400, approx: false });
    expect(await count('beta')).toEqual({ value: 400, approx: false });
    expect(await count('pipeline')).toEqual({ value: 800, approx: false });
    expect((await index.indexedRecordIds()).length).toBe(800);
  });
});
