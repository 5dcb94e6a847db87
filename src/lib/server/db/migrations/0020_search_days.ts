import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite: how many indexed records start on each day (their rowid's day), counted for each class of viewer that
 * may see them: `open` (not restricted: every staff member sees them) and `web` (published and public). Above
 * 10,000 matches a total is estimated from the newest 10,001 matches and these counts (docs/design/search.md),
 * as PostgreSQL's planner estimate already does there; a restricted record is in neither column, so it never sways
 * an estimate. Filled here from the facet tokens `search_records` keeps; the search index keeps it from then on.
 *
 * PostgreSQL is unchanged. Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`create table search_days (
    day integer primary key,
    open integer not null default 0,
    web integer not null default 0
  )`.execute(db);
  // The facet tokens of confidentiality and status, as the engine writes them: `f`, the facet's code, `x`, hex.
  const has = (token: string) => sql`instr(' ' || meta || ' ', ${` ${token} `}) > 0`;
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  await sql`insert into search_days (day, open, web)
    select fts_rowid / 4294967296,
      sum(not ${has(`fkx${hex('restricted')}`)}),
      sum(${has(`fkx${hex('public')}`)} and ${has(`fsx${hex('published')}`)})
    from search_records group by 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table search_days`.execute(db);
}
