import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite: the ranges of new records (`search_records.seq`) whose full-text documents an import handed to the
 * background connection (`DatabaseHandle.defer`). The import's transaction writes the range; the background
 * transaction that adds the documents deletes it. A range still here at start-up was cut off by a crash, and its
 * records are indexed again (`recoverSearch`).
 *
 * PostgreSQL is unchanged. Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`create table search_backlog (seq_from integer primary key, seq_to integer not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table search_backlog`.execute(db);
}
