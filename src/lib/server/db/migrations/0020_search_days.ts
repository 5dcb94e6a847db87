import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite: how many indexed records start on each day (their rowid's day), counted for each class of viewer that
 * may see them: `open` (not restricted: every staff member sees them) and `web` (published and public), each also
 * for dated records only (`*_dated`: a date filter leaves out records without a date, which sort by their creation
 * day). Above 10,000 matches a total is estimated from these counts and the newest matches (docs/design/search.md),
 * as PostgreSQL's planner estimate already does there; a restricted record is in no column, so it never sways an
 * estimate. `search_records.flags` keeps which counts each record is in (1 open, 2 web, 4 dated), so that a change
 * or a removal takes it out of the right ones.
 *
 * Existing rows are filled from the facet tokens `search_records` keeps (confidentiality, status, start year), as
 * the records module writes them; the search index keeps both from then on.
 *
 * PostgreSQL is unchanged. Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`alter table search_records add column flags integer not null default 0`.execute(db);
  // The facet tokens of confidentiality, status and year, as the engine writes them: `f`, the facet's code, then
  // `x` and the value's hex.
  const has = (token: string) => sql`instr(' ' || meta || ' ', ${` ${token} `}) > 0`;
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  await sql`update search_records set flags =
      (case when ${has(`fkx${hex('restricted')}`)} then 0 else 1 end)
    + (case when ${has(`fkx${hex('public')}`)} and ${has(`fsx${hex('published')}`)} then 2 else 0 end)
    + (case when instr(' ' || meta, ' fy') > 0 then 4 else 0 end)`.execute(db);
  await sql`create table search_days (
    day integer primary key,
    open integer not null default 0,
    web integer not null default 0,
    open_dated integer not null default 0,
    web_dated integer not null default 0
  )`.execute(db);
  await sql`insert into search_days (day, open, web, open_dated, web_dated)
    select fts_rowid / 4294967296, sum(flags & 1 = 1), sum(flags & 2 = 2), sum(flags & 5 = 5), sum(flags & 6 = 6)
    from search_records group by 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop table search_days`.execute(db);
  await sql`alter table search_records drop column flags`.execute(db);
}
