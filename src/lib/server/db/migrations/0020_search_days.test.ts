import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { facetToken } from '../../search/engine.js';
import { openDatabase, type DatabaseHandle } from '../index.js';
import { migrations } from './index.js';

/**
 * Migration 0020 on a SQLite database indexed before it: each record's flags and the day counts are worked out from
 * the facet tokens `search_records` kept, so that estimates are right without rebuilding the index.
 */
describe('migration 0020 (search day counts), SQLite', () => {
  let handle: DatabaseHandle | undefined;
  afterEach(async () => {
    await handle?.close();
  });

  it('fills flags and day counts from the facet tokens of records indexed before it', async () => {
    handle = openDatabase({ kind: 'sqlite', file: ':memory:' });
    const db = handle.db;
    const migrator = (upTo: string) =>
      new Migrator({
        db,
        provider: {
          getMigrations: () =>
            Promise.resolve(Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= upTo))),
        },
      });
    expect((await migrator('0019_photo_consent_people').migrateToLatest()).error).toBeUndefined();

    const day = 2 ** 20 + 19_500;
    const tokens = (confidentiality: string, status: string, year: string | null) =>
      [
        facetToken('confidentiality', confidentiality),
        facetToken('status', status),
        ...(year ? [facetToken('year', year)] : []),
      ].join(' ');
    const rows: [number, string, number, string][] = [
      [1, 'pub', day, tokens('public', 'published', '2023')],
      [2, 'int', day, tokens('internal', 'draft', '2023')],
      [3, 'res', day, tokens('restricted', 'draft', '2023')],
      [4, 'undated', day + 1, tokens('public', 'published', null)],
      [5, 'draft-public', day + 1, tokens('public', 'draft', '2024')],
    ];
    for (const [seq, id, d, meta] of rows)
      await sql`insert into search_records (seq, record_id, fts_rowid, end_day, meta)
        values (${seq}, ${id}, ${d * 2 ** 32 + seq}, ${d}, ${meta})`.execute(db);

    expect((await migrator('9999').migrateToLatest()).error).toBeUndefined();

    const flags = await sql<{ record_id: string; flags: number }>`select record_id, flags from search_records
      order by seq`.execute(db);
    // 1 open (not restricted), 2 web (published and public), 4 dated.
    expect(flags.rows.map((r) => [r.record_id, r.flags])).toEqual([
      ['pub', 7],
      ['int', 5],
      ['res', 4],
      ['undated', 3],
      ['draft-public', 5],
    ]);
    const days = await sql<Record<string, number>>`select day, open, web, open_dated, web_dated from search_days
      order by day`.execute(db);
    expect(days.rows).toEqual([
      { day, open: 2, web: 1, open_dated: 2, web_dated: 1 },
      { day: day + 1, open: 2, web: 1, open_dated: 1, web_dated: 0 },
    ]);
  });
});
