import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Faster indexing on SQLite (issue 3, docs/design/search.md "Import"):
 *
 * - `record_fts` again, without the `prefix='3'` index: it made indexing a document 1.7 times as costly (132 against
 *   78 µs of CPU, measured at 200,000 documents in batches of 2,500) for the one prefix length it served; a three-letter prefix now reads the
 *   term range instead. FTS5 fixes its options at creation, so the table is made anew. Being contentless, it cannot
 *   be copied: `search_records` is emptied with it, and the platform rebuilds the index from the tables when it
 *   finds records but no index (`recoverSearch`).
 * - FTS5 keeps up to `hashsize` bytes of new index in memory before writing a segment (1 MB by default): with 64 MB
 *   an import batch writes one segment instead of one per megabyte, and a rebuild far fewer.
 *
 * PostgreSQL is unchanged. Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table record_fts`.execute(db);
  await sql`create virtual table record_fts using fts5(
    title, summary, body, places, meta,
    content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2"
  )`.execute(db);
  await sql`insert into record_fts(record_fts, rank) values ('rank', 'bm25(10.0, 5.0, 1.0, 3.0, 0.0)')`.execute(db);
  await sql`insert into record_fts(record_fts, rank) values ('automerge', 8)`.execute(db);
  await sql`insert into record_fts(record_fts, rank) values ('hashsize', ${sql.lit(64 * 1024 * 1024)})`.execute(db);
  await sql`delete from search_records`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table record_fts`.execute(db);
  await sql`create virtual table record_fts using fts5(
    title, summary, body, places, meta,
    content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2", prefix='3'
  )`.execute(db);
  await sql`insert into record_fts(record_fts, rank) values ('rank', 'bm25(10.0, 5.0, 1.0, 3.0, 0.0)')`.execute(db);
  await sql`delete from search_records`.execute(db);
}
