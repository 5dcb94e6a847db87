import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../db/index.js';
import { BaseSearchIndex, type Hit, type PageOptions, type SearchLimits } from '../base.js';
import {
  SEQ_SPAN,
  TOKEN,
  dateBounds,
  filterTokens,
  hasDateFilter,
  recordRowData,
  roughly,
  viewerTokens,
  type RecordDoc,
  type SearchFilters,
  type SearchRequest,
  type SourceDoc,
  type Total,
} from '../engine.js';
import { fold } from '../normalize.js';
import { toTsQuery, type ParsedQuery } from '../query.js';

/**
 * PostgreSQL full text: a tsvector per record (configuration `corridor`: `simple` with `unaccent`, over text the JS
 * normaliser has already folded), weighted title A, summary B, place names C, description D; and the same access and
 * facet tokens as SQLite in a text[]. GIN indexes on both; newest first by (sort_day, seq). Every condition fits one
 * statement, so there is a single segment.
 *
 * Exact counts of broad matches take seconds here, so a total above `EXACT_FACETS` is the planner's estimate, marked
 * approximate; relevance then ranks the newest `WINDOW` matches (plan R).
 */

/** Rows per multi-row insert: 8 values each, well under PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;
const KEY = sql`(sort_day::bigint * ${SEQ_SPAN} + seq)`;
const DESC = sql`order by sort_day desc, seq desc`;

export class PostgresSearchIndex extends BaseSearchIndex<null> {
  constructor(
    private readonly db: Db,
    limits?: SearchLimits,
  ) {
    super(limits);
  }

  // Writes.

  async upsertRecords(tx: Tx, docs: RecordDoc[]): Promise<void> {
    const rows = [...new Map(docs.map((d) => [d.id, d])).values()].map((d) => ({ id: d.id, r: recordRowData(d) }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const values = rows.slice(i, i + CHUNK).map(
        ({ id, r }) => sql`(${id}, ${r.sortDay}, ${r.endDay}, ${r.meta}::text[],
          setweight(to_tsvector('corridor', ${r.title}), 'A') || setweight(to_tsvector('corridor', ${r.summary}), 'B')
          || setweight(to_tsvector('corridor', ${r.places}), 'C') || setweight(to_tsvector('corridor', ${r.body}), 'D'))`,
      );
      await sql`insert into search_records (record_id, sort_day, end_day, meta, tsv) values ${sql.join(values)}
        on conflict (record_id) do update set sort_day = excluded.sort_day, end_day = excluded.end_day,
          meta = excluded.meta, tsv = excluded.tsv`.execute(tx);
    }
  }

  async removeRecord(tx: Tx, id: string): Promise<void> {
    await sql`delete from search_records where record_id = ${id}`.execute(tx);
  }

  async upsertSource(tx: Tx, doc: SourceDoc): Promise<void> {
    const tsv = sql`setweight(to_tsvector('corridor', ${fold(doc.title)}), 'A')
      || setweight(to_tsvector('corridor', ${fold(doc.publisher ?? '')}), 'D')`;
    await sql`insert into search_sources (source_id, tsv) values (${doc.id}, ${tsv})
      on conflict (source_id) do update set tsv = excluded.tsv`.execute(tx);
  }

  async removeSource(tx: Tx, id: string): Promise<void> {
    await sql`delete from search_sources where source_id = ${id}`.execute(tx);
  }

  async clear(tx: Tx): Promise<void> {
    await sql`delete from search_records`.execute(tx);
    await sql`delete from search_sources`.execute(tx);
  }

  async optimize(): Promise<void> {
    await sql`analyze search_records`.execute(this.db);
    await sql`analyze search_sources`.execute(this.db);
  }

  async needsRebuild(): Promise<boolean> {
    const r = await sql<{ records: boolean; indexed: boolean }>`select
      exists (select 1 from records) as records, exists (select 1 from search_records) as indexed`.execute(this.db);
    return Boolean(r.rows[0]?.records) && !r.rows[0]?.indexed;
  }

  async indexedRecordIds(): Promise<string[]> {
    const r = await sql<{ record_id: string }>`select record_id from search_records order by record_id`.execute(
      this.db,
    );
    return r.rows.map((x) => x.record_id);
  }

  // Reads.

  protected segments(_f: SearchFilters): null[] {
    return [null];
  }

  private where(req: SearchRequest): RawBuilder<unknown> {
    const { positive, negative } = req.query ? toTsQuery(req.query) : { positive: null, negative: null };
    const c: RawBuilder<unknown>[] = [];
    if (positive) c.push(sql`tsv @@ to_tsquery('corridor', ${positive})`);
    if (negative) c.push(sql`not (tsv @@ to_tsquery('corridor', ${negative}))`);
    if (req.viewer.kind === 'public') c.push(sql`meta @> ${[TOKEN.web]}::text[]`);
    else c.push(sql`(not (meta @> ${[TOKEN.restricted]}::text[]) or meta && ${viewerTokens(req.viewer)}::text[])`);
    const filters = filterTokens(req.filters);
    if (filters.length > 0) c.push(sql`meta @> ${filters}::text[]`);
    if (hasDateFilter(req.filters)) {
      const { from, to } = dateBounds(req.filters);
      c.push(sql`not (meta @> ${[TOKEN.noDate]}::text[])`);
      if (to !== null) c.push(sql`sort_day <= ${to}`);
      if (from !== null) c.push(sql`(sort_day >= ${from} or end_day >= ${from})`);
    }
    return sql.join(c, sql` and `);
  }

  private score(req: SearchRequest): RawBuilder<unknown> {
    const positive = req.query ? toTsQuery(req.query).positive : null;
    // Negated so that, as with bm25, lower is better; float8 so that a cursor's score compares equal.
    return positive ? sql`-(ts_rank(tsv, to_tsquery('corridor', ${positive}))::float8)` : sql`null::float8`;
  }

  protected async countSegment(req: SearchRequest): Promise<Total> {
    const w = this.where(req);
    const r = await sql<{ n: number }>`select count(*)::int as n from (
      select 1 from search_records where ${w} limit ${this.limits.exactFacets + 1}) x`.execute(this.db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n <= this.limits.exactFacets) return { value: n, approx: false };
    const plan = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`explain (format json)
      select 1 from search_records where ${w}`.execute(this.db);
    const estimate = Number(plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0);
    return { value: roughly(Math.max(estimate, this.limits.exactFacets + 1)), approx: true };
  }

  protected async pageSegment(req: SearchRequest, _seg: null, o: PageOptions): Promise<Hit[]> {
    const w = this.where(req);
    if (o.order === 'date') {
      const c = o.cursor?.kind === 'date' ? o.cursor : undefined;
      const after = c ? sql`and (sort_day, seq) < (${Math.floor(c.key / SEQ_SPAN)}, ${c.key % SEQ_SPAN})` : sql``;
      const score = o.score ? this.score(req) : sql`null::float8`;
      const r = await sql<Hit>`select record_id as id, ${KEY} as key, ${score} as score
        from search_records where ${w} ${after} ${DESC} limit ${o.limit}`.execute(this.db);
      return r.rows;
    }
    // The caller asks for as many as the hits it skips plus its page (a relevance cursor counts hits, no score).
    const r = await sql<Hit>`select * from (
        select record_id as id, ${KEY} as key, ${this.score(req)} as score from search_records where ${w}
      ) x order by score, key desc limit ${o.limit}`.execute(this.db);
    return r.rows;
  }

  protected async metaSegment(
    req: SearchRequest,
    _seg: null,
    limit: number | null,
  ): Promise<{ key: number; meta: string }[]> {
    const lim = limit === null ? sql`` : sql`${DESC} limit ${limit}`;
    const r = await sql<{ key: number; meta: string }>`select ${KEY} as key, array_to_string(meta, ' ') as meta
      from search_records where ${this.where(req)} ${lim}`.execute(this.db);
    return r.rows;
  }

  async searchSources(query: ParsedQuery, limit: number): Promise<string[]> {
    const { positive, negative } = toTsQuery(query);
    if (!positive) return [];
    const not = negative ? sql`and not (tsv @@ to_tsquery('corridor', ${negative}))` : sql``;
    const r = await sql<{ source_id: string }>`select source_id from search_sources
      where tsv @@ to_tsquery('corridor', ${positive}) ${not}
      order by ts_rank(tsv, to_tsquery('corridor', ${positive})) desc, seq desc limit ${limit}`.execute(this.db);
    return r.rows.map((x) => x.source_id);
  }
}
