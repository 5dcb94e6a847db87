import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './index.js';

/** Background checkpoints need a database file (an in-memory one has no log): SQLite only. */
describe('bulk writes checkpoint on another thread', () => {
  let dir: string;
  let file: string;
  let handle: DatabaseHandle;
  const autocheckpoint = async () =>
    (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(handle.db)).rows[0]!
      .wal_autocheckpoint;
  const size = () => statSync(file).size;
  const wal = () => statSync(file + '-wal', { throwIfNoEntry: false })?.size ?? 0;
  /** Ten transactions of about 400 KB each, pacing between them when given `pace`. */
  const write = async (tag: string, pace?: () => Promise<void>) => {
    let largest = 0;
    for (let t = 0; t < 10; t++) {
      await handle.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 100; i++)
          await sql`insert into blobs (tag, body) values (${tag}, randomblob(4000))`.execute(tx);
      });
      largest = Math.max(largest, wal());
      await pace?.();
    }
    return largest;
  };
  const until = async (test: () => boolean, ms = 5000) => {
    for (const end = Date.now() + ms; !test() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    return test();
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-checkpoints-'));
    file = path.join(dir, 'test.db');
    // A long interval: the worker copies little by itself, so only `pace` keeps the log short.
    handle = openDatabase({ kind: 'sqlite', file, checkpoints: { everyMs: 200, logBytes: 1_000_000 } });
    await sql`create table blobs (id integer primary key, tag text, body blob)`.execute(handle.db);
    await sql`pragma wal_checkpoint(truncate)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns the writer’s own checkpoints off, lets the worker copy the log into the file, and puts them back', async () => {
    expect(await autocheckpoint()).toBe(1000);
    const before = size();
    await handle.bulkWrites(async () => {
      expect(await autocheckpoint()).toBe(0);
      await write('a');
      // Only the worker can have grown the database file: the writer does not checkpoint now.
      expect(await until(() => size() > before + 3_000_000)).toBe(true);
    });
    // The last checkpoint emptied the log.
    expect(wal()).toBe(0);
    expect(await autocheckpoint()).toBe(1000);
    const rows = await sql<{ n: number }>`select count(*) as n from blobs where tag = 'a'`.execute(handle.db);
    expect(rows.rows[0]!.n).toBe(1000);
  });

  it('waits between transactions, once the log is over its limit, until the worker has copied it all', async () => {
    const truncate = () => sql`pragma wal_checkpoint(truncate)`.execute(handle.db);
    await truncate();
    const unpaced = await handle.bulkWrites(() => write('c'));
    await truncate();
    const paced = await handle.bulkWrites((pace) => write('d', pace));
    // Ten transactions of about 400 KB: without pacing the log holds most of them; with it, its limit and one more.
    expect(unpaced).toBeGreaterThan(2_500_000);
    expect(paced).toBeLessThan(1_500_000);
  });

  it('keeps the worker while any bulk write runs, and stops it after a failed one too', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const long = handle.bulkWrites(() => held);
    await expect(
      handle.bulkWrites(async () => {
        await write('b');
        throw new Error('a failed import');
      }),
    ).rejects.toThrow('a failed import');
    expect(await autocheckpoint()).toBe(0);
    release();
    await long;
    expect(await autocheckpoint()).toBe(1000);
  });
});
