import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite: the record index's vocabulary (`fts5vocab`, one row per term), through which the search expands a prefix
 * (`blockade*`, and the last word typed) into the few words it stands for. FTS5 without a prefix index answers a
 * prefix by merging every matching word's whole list in memory, in each statement: 7–11 ms a statement for a word
 * in a fifth of a million records, and a search runs four or five of them (docs/design/search.md).
 *
 * PostgreSQL is unchanged. Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`create virtual table record_fts_terms using fts5vocab(record_fts, row)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table record_fts_terms`.execute(db);
}
