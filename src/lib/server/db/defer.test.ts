import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle, type Tx } from './index.js';

/**
 * Writes deferred to the background connection (`DatabaseHandle.defer`), and SQLite transactions that take the
 * write lock when they begin. A database file: the background connection needs one. SQLite only.
 */
describe('deferred writes and immediate transactions (SQLite file)', () => {
  let dir: string;
  let file: string;
  let handle: DatabaseHandle;
  const tags = async () =>
    (await sql<{ tag: string }>`select tag from notes order by id`.execute(handle.db)).rows.map((r) => r.tag);
  const insert = (tx: Tx, tag: string) => sql`insert into notes (tag) values (${tag})`.compile(tx);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-defer-'));
    file = path.join(dir, 'test.db');
    handle = openDatabase({ kind: 'sqlite', file });
    await sql`create table notes (id integer primary key, tag text not null)`.execute(handle.db);
  });
  beforeEach(async () => {
    await sql`delete from notes`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defers nothing outside bulk writes: the caller runs its statements itself', async () => {
    const taken = await handle.uow.run(async (tx) => handle.defer(tx, [insert(tx, 'later')]));
    expect(taken).toBe(false);
    expect(await tags()).toEqual([]);
  });

  it('runs what a transaction deferred after it commits, in order, before the next transaction starts', async () => {
    await handle.bulkWrites(async () => {
      await handle.uow.run(async (tx) => {
        await sql`insert into notes (tag) values ('now')`.execute(tx);
        expect(handle.defer(tx, [insert(tx, 'later-1'), insert(tx, 'later-2')])).toBe(true);
        // Not in this transaction: it runs on the other connection, once this one has committed.
        expect((await sql<{ n: number }>`select count(*) as n from notes`.execute(tx)).rows[0]!.n).toBe(1);
      });
      // The next transaction waits for it.
      const seen = await handle.uow.run(async (tx) =>
        (await sql<{ tag: string }>`select tag from notes order by id`.execute(tx)).rows.map((r) => r.tag),
      );
      expect(seen).toEqual(['now', 'later-1', 'later-2']);
    });
  });

  it('never runs what a rolled-back transaction deferred', async () => {
    await handle.bulkWrites(async () => {
      await expect(
        handle.uow.run(async (tx) => {
          await sql`insert into notes (tag) values ('undone')`.execute(tx);
          expect(handle.defer(tx, [insert(tx, 'never')])).toBe(true);
          throw new Error('the batch failed');
        }),
      ).rejects.toThrow('the batch failed');
      await handle.uow.run(async () => {});
    });
    expect(await tags()).toEqual([]);
  });

  it('runs a deferred job on the writer when the background connection cannot', async () => {
    // A temporary table is the writer connection's own: the background connection does not see it.
    await sql`create temp table only_here (tag text)`.execute(handle.db);
    await sql`insert into temp.only_here (tag) values ('from the writer')`.execute(handle.db);
    await handle.bulkWrites(async () => {
      await handle.uow.run(async (tx) => {
        const q = sql`insert into notes (tag) select tag from temp.only_here`.compile(tx);
        expect(handle.defer(tx, [q])).toBe(true);
      });
    });
    expect(await tags()).toEqual(['from the writer']);
  });

  it('takes the write lock at BEGIN: another connection cannot commit between its read and its write', async () => {
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    try {
      await handle.uow.run(async (tx) => {
        await sql`select count(*) from notes`.execute(tx);
        // A deferred BEGIN would let this commit, and the write below would then fail (SQLITE_BUSY_SNAPSHOT).
        expect(() => other.prepare(`insert into notes (tag) values ('other')`).run()).toThrow(/locked|busy/i);
        await sql`insert into notes (tag) values ('mine')`.execute(tx);
      });
    } finally {
      other.close();
    }
    expect(await tags()).toEqual(['mine']);
  });
});
