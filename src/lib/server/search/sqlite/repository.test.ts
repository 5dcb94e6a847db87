import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/index.js';
import type { RecordDoc } from '../engine.js';
import { recoverSearch } from '../index.js';
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

describe('SQLite search index: documents added on the background connection', () => {
  let dir: string;
  let handle: DatabaseHandle;
  const viewer = { kind: 'staff' as const, userId: AUTHOR, groupIds: [] };
  const count = async (index: SqliteSearchIndex, q: string) =>
    (await index.search({ query: parseQuery(q), viewer, filters: {} }, { sort: 'date', limit: 1 })).total.value;
  const backlog = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from search_backlog`.execute(handle.db)).rows[0]!.n);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-search-defer-'));
    handle = openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.db') });
    await handle.migrate();
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds an import batch’s documents after its commit, and keeps their range until they are in', async () => {
    const index = new SqliteSearchIndex(handle.db, undefined, (tx, queries) => handle.defer(tx, queries));
    const docs = Array.from({ length: 300 }, (_, i) => doc(i, 'gamma'));
    await handle.bulkWrites(async () => {
      await handle.uow.run(async (tx) => {
        await index.insertPrepared(tx, index.prepare(docs));
        // In this transaction: the references and the range, not yet the documents.
        expect((await sql<{ n: number }>`select count(*) as n from search_backlog`.execute(tx)).rows[0]!.n).toBe(1);
        expect(
          (await sql<{ n: number }>`select count(*) as n from record_fts where record_fts match 'gamma'`.execute(tx))
            .rows[0]!.n,
        ).toBe(0);
      });
    });
    expect(await count(index, 'gamma')).toBe(300);
    expect(await backlog()).toBe(0);
    expect(await index.pending()).toEqual([]);
  });

  it('indexes again at start-up the records whose documents a crash kept out', async () => {
    // A background connection that takes the job and never runs it: a crash between the commit and the job.
    const lost = new SqliteSearchIndex(handle.db, undefined, () => true);
    const docs = Array.from({ length: 50 }, (_, i) => doc(i, 'delta'));
    await handle.uow.run((tx) => lost.insertPrepared(tx, lost.prepare(docs)));
    expect(await count(lost, 'delta')).toBe(0);
    expect((await lost.pending()).sort()).toEqual(docs.map((d) => d.id).sort());

    const index = new SqliteSearchIndex(handle.db);
    await recoverSearch({
      uow: handle.uow,
      index,
      producers: {},
      reindex: (tx, ids) =>
        index.upsertRecords(
          tx,
          docs.filter((d) => ids.includes(d.id)),
        ),
    });
    expect(await count(index, 'delta')).toBe(50);
    expect(await index.pending()).toEqual([]);
    // Indexed once each: the day counts of the estimates agree with the documents.
    const days = await sql<{ n: number }>`select sum(open) as n from search_days`.execute(handle.db);
    expect(Number(days.rows[0]!.n)).toBe(350);
  });
});

describe('SQLite search index: prefixes written out', () => {
  let dir: string;
  let file: string;
  let one: DatabaseHandle;
  let two: DatabaseHandle;
  const viewer = { kind: 'staff' as const, userId: AUTHOR, groupIds: [] };
  const count = async (index: SqliteSearchIndex, q: string) =>
    (await index.search({ query: parseQuery(q), viewer, filters: {} }, { sort: 'date', limit: 1 })).total.value;
  const titled = (n: number, title: string): RecordDoc => ({ ...doc(n, 'prefix'), id: `prefix-${n}`, title: [title] });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-search-prefix-'));
    file = path.join(dir, 'test.db');
    one = openDatabase({ kind: 'sqlite', file });
    await one.migrate();
    two = openDatabase({ kind: 'sqlite', file });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds words that came into the index after a prefix was first written out, from either connection', async () => {
    const index = new SqliteSearchIndex(one.db);
    const other = new SqliteSearchIndex(two.db);
    await one.uow.run((tx) => index.upsertRecords(tx, [titled(1, 'Xylophone')], { fresh: true }));
    expect(await count(index, 'xylo')).toBe(1);
    // A new word under the same prefix, written by this connection, then by another one (another process, or the
    // background connection during an import).
    await one.uow.run((tx) => index.upsertRecords(tx, [titled(2, 'Xylograph')], { fresh: true }));
    expect(await count(index, 'xylo')).toBe(2);
    await two.uow.run((tx) => other.upsertRecords(tx, [titled(3, 'Xylocarp')], { fresh: true }));
    expect(await count(index, 'xylo')).toBe(3);
    // A prefix that matched nothing finds the word that now does.
    expect(await count(index, 'zyzz')).toBe(0);
    await two.uow.run((tx) => other.upsertRecords(tx, [titled(4, 'Zyzzyva')], { fresh: true }));
    expect(await count(index, 'zyzz')).toBe(1);
  });
});
