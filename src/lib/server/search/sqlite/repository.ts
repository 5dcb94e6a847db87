import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../db/index.js';
import { BaseSearchIndex, type Hit, type PageOptions, type SearchLimits } from '../base.js';
import {
  DAY_MAX,
  SEQ_SPAN,
  TOKEN,
  afterCursor,
  dateBounds,
  filterTokens,
  hasDateFilter,
  recordRowData,
  viewerTokens,
  type RecordDoc,
  type SearchFilters,
  type SearchRequest,
  type SourceDoc,
  type Total,
} from '../engine.js';
import { fold } from '../normalize.js';
import { toFts5, type ParsedQuery } from '../query.js';

/**
 * FTS5, contentless (`contentless_delete=1`): the index holds folded words only; texts stay in their tables.
 *
 * A record's rowid is `sort_day * 2^32 + seq`, so newest-first is `ORDER BY rowid DESC` straight off the index and
 * a date range is a rowid range. Visibility and filters are phrases on the `meta` column inside the MATCH, so that
 * counts need no join.
 *
 * A `from` bound asks for records whose period reaches it, which a start-date rowid range alone cannot say: records
 * that started before it and run past it. The match is split into segments, one statement each: records starting
 * on or after `from` (a rowid range); ongoing ones (a token); and, by how long they run (`sp1` ≤ 31 days, `sp2`
 * ≤ 366, `sp3` longer), those starting at most that long before `from`, checked against their end day.
 */

const MASK = SEQ_SPAN - 1;
const KEY_MAX = (DAY_MAX + 1) * SEQ_SPAN - 1;
const TEXT = '{title summary body places}';

interface Segment {
  lo: number;
  hi: number;
  /** A span token the documents must carry. */
  span: string | null;
  /** Compare the end day with this day. */
  endFrom: number | null;
}

/** Documents per statement (deleting changed ones). */
const CHUNK = 5000;
/** Characters of JSON per insert statement's parameter. */
const PARAM_CHARS = 60_000;
const isFacetToken = (t: string) => t.startsWith('f');
const AUTOMERGE = 8;

const quote = (tok: string) => `"${tok.replace(/"/g, '""')}"`;

export class SqliteSearchIndex extends BaseSearchIndex<Segment> {
  private merging = false;

  constructor(
    private readonly db: Db,
    limits?: SearchLimits,
  ) {
    super(limits);
  }

  // Writes.

  async upsertRecords(tx: Tx, docs: RecordDoc[], opts: { fresh?: boolean } = {}): Promise<void> {
    const byId = new Map(docs.map((d) => [d.id, d]));
    if (byId.size === 0) return;
    // FTS5 merges a level's segments when it has `automerge` of them (default 4). With 8, an import of 1M records
    // rewrites its index less often: about a third less CPU per document, measured at 60k documents, for a few more
    // segments to read per query. A setting of the table, so made once per process, before it writes.
    if (!this.merging) {
      await sql`insert into record_fts (record_fts, rank) values ('automerge', ${sql.lit(AUTOMERGE)})`.execute(tx);
      this.merging = true;
    }
    const ids = [...byId.keys()];
    // A changed document is deleted and inserted again: its rowid follows its date. New ones have nothing to delete.
    for (let i = 0; !opts.fresh && i < ids.length; i += CHUNK) {
      const old = await sql<{ seq: number; fts_rowid: number }>`select seq, fts_rowid from search_records
        where record_id in (${sql.join(ids.slice(i, i + CHUNK))})`.execute(tx);
      if (old.rows.length === 0) continue;
      await sql`delete from record_fts where rowid in (${sql.join(old.rows.map((r) => r.fts_rowid))})`.execute(tx);
      await sql`delete from search_records where seq in (${sql.join(old.rows.map((r) => r.seq))})`.execute(tx);
    }
    const max = await sql<{ m: number | null }>`select max(seq) as m from search_records`.execute(tx);
    const first = Number(max.rows[0]?.m ?? 0) + 1;
    if (first + ids.length - 1 > MASK)
      throw new Error('The search index ran out of numbers: run `corridor search rebuild`.');
    const rows = ids.map((id, i) => {
      const r = recordRowData(byId.get(id)!);
      const seq = first + i;
      return { id, seq, rowid: r.sortDay * SEQ_SPAN + seq, r };
    });
    // In rowid order: FTS5 writes out what it holds in memory whenever a rowid comes lower than the one before, so
    // records in file order (dates at random) made a tiny segment every other row, and twice the CPU (measured).
    rows.sort((a, b) => a.rowid - b.rowid);
    // Each table's rows as one JSON parameter: binding thousands of parameters cost more than the inserts. A
    // parameter is kept under about 64 KB: larger strings land in V8's large-object space, which only a full
    // collection frees (an import's heap grew to four times what was live).
    let refs: string[] = [];
    let texts: string[] = [];
    let size = 0;
    const flush = async () => {
      if (refs.length === 0) return;
      await sql`insert into search_records (seq, record_id, fts_rowid, end_day, meta)
        select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
        from json_each(${'[' + refs.join(',') + ']'})`.execute(tx);
      await sql`insert into record_fts (rowid, title, summary, body, places, meta)
        select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
        from json_each(${'[' + texts.join(',') + ']'})`.execute(tx);
      refs = [];
      texts = [];
      size = 0;
    };
    for (const x of rows) {
      // Only the facet tokens are kept in search_records: they are what facet counts read.
      refs.push(JSON.stringify([x.seq, x.id, x.rowid, x.r.endDay, x.r.meta.filter(isFacetToken).join(' ')]));
      const doc = JSON.stringify([x.rowid, x.r.title, x.r.summary, x.r.body, x.r.places, x.r.meta.join(' ')]);
      texts.push(doc);
      size += doc.length;
      if (size >= PARAM_CHARS) await flush();
    }
    await flush();
  }

  async needsRebuild(): Promise<boolean> {
    const r = await sql<{ records: number; indexed: number }>`select
      exists (select 1 from records) as records, exists (select 1 from search_records) as indexed`.execute(this.db);
    return Boolean(r.rows[0]?.records) && !r.rows[0]?.indexed;
  }

  async removeRecord(tx: Tx, id: string): Promise<void> {
    const old = await sql<{ fts_rowid: number }>`select fts_rowid from search_records where record_id = ${id}`.execute(
      tx,
    );
    if (!old.rows[0]) return;
    await sql`delete from record_fts where rowid = ${old.rows[0].fts_rowid}`.execute(tx);
    await sql`delete from search_records where record_id = ${id}`.execute(tx);
  }

  async upsertSource(tx: Tx, doc: SourceDoc): Promise<void> {
    const old = await sql<{ seq: number }>`select seq from search_sources where source_id = ${doc.id}`.execute(tx);
    let seq = old.rows[0]?.seq;
    if (seq !== undefined) await sql`delete from source_fts where rowid = ${seq}`.execute(tx);
    else
      seq = (
        await sql<{ seq: number }>`insert into search_sources (source_id) values (${doc.id}) returning seq`.execute(tx)
      ).rows[0]!.seq;
    await sql`insert into source_fts (rowid, title, publisher) values (${seq}, ${fold(doc.title)}, ${fold(doc.publisher ?? '')})`.execute(
      tx,
    );
  }

  async removeSource(tx: Tx, id: string): Promise<void> {
    const old = await sql<{ seq: number }>`select seq from search_sources where source_id = ${id}`.execute(tx);
    if (!old.rows[0]) return;
    await sql`delete from source_fts where rowid = ${old.rows[0].seq}`.execute(tx);
    await sql`delete from search_sources where source_id = ${id}`.execute(tx);
  }

  async clear(tx: Tx): Promise<void> {
    await sql`insert into record_fts (record_fts) values ('delete-all')`.execute(tx);
    await sql`delete from search_records`.execute(tx);
    await sql`insert into source_fts (source_fts) values ('delete-all')`.execute(tx);
    await sql`delete from search_sources`.execute(tx);
  }

  async optimize(): Promise<void> {
    await sql`insert into record_fts (record_fts) values ('optimize')`.execute(this.db);
    await sql`insert into source_fts (source_fts) values ('optimize')`.execute(this.db);
  }

  async indexedRecordIds(): Promise<string[]> {
    const r = await sql<{ record_id: string }>`select record_id from search_records order by record_id`.execute(
      this.db,
    );
    return r.rows.map((x) => x.record_id);
  }

  // Reads.

  /** The MATCH expression: text, visibility, filters and an optional span token. */
  private expression(req: SearchRequest, span: string | null): string {
    const { positive, negative } = req.query ? toFts5(req.query) : { positive: null, negative: null };
    const must: string[] = [];
    if (positive) must.push(`${TEXT} : (${positive})`);
    if (req.viewer.kind === 'public') must.push(`meta : ${quote(TOKEN.web)}`);
    for (const t of filterTokens(req.filters)) must.push(`meta : ${quote(t)}`);
    if (span) must.push(`meta : ${quote(span)}`);
    if (must.length === 0) must.push(`meta : ${quote(TOKEN.all)}`);
    let e = must.join(' AND ');
    const not: string[] = [];
    if (negative) not.push(`${TEXT} : (${negative})`);
    if (req.viewer.kind === 'staff')
      not.push(`meta : (${quote(TOKEN.restricted)} NOT (${viewerTokens(req.viewer).map(quote).join(' OR ')}))`);
    if (hasDateFilter(req.filters)) not.push(`meta : ${quote(TOKEN.noDate)}`);
    for (const n of not) e = `(${e}) NOT (${n})`;
    return e;
  }

  protected segments(f: SearchFilters): Segment[] {
    const { from, to } = dateBounds(f);
    const hi = to === null ? KEY_MAX : (to + 1) * SEQ_SPAN - 1;
    if (from === null) return [{ lo: 0, hi, span: null, endFrom: null }];
    const start = from * SEQ_SPAN;
    const below = Math.min(start - 1, hi);
    const before = (days: number) => Math.max(0, (from - days) * SEQ_SPAN);
    const [sp1, sp2, sp3, spo] = TOKEN.span;
    return [
      { lo: start, hi, span: null, endFrom: null },
      { lo: 0, hi: below, span: spo, endFrom: null },
      { lo: before(31), hi: below, span: sp1, endFrom: from },
      { lo: before(366), hi: below, span: sp2, endFrom: from },
      { lo: 0, hi: below, span: sp3, endFrom: from },
    ].filter((s) => s.lo <= s.hi);
  }

  /** FROM and WHERE of one segment, with an upper key bound tightened by a date cursor. */
  private matching(req: SearchRequest, seg: Segment, hi = seg.hi): RawBuilder<unknown> {
    const end = seg.endFrom === null ? sql`` : sql`and s.end_day >= ${seg.endFrom}`;
    return sql`from record_fts join search_records s on s.seq = (record_fts.rowid & ${MASK})
      where record_fts match ${this.expression(req, seg.span)}
        and record_fts.rowid >= ${seg.lo} and record_fts.rowid <= ${hi} ${end}`;
  }

  protected async countSegment(req: SearchRequest, seg: Segment): Promise<Total> {
    // Without an end-day check the count needs no join.
    const r =
      seg.endFrom === null
        ? await sql<{
            n: number;
          }>`select count(*) as n from record_fts where record_fts match ${this.expression(req, seg.span)}
            and rowid >= ${seg.lo} and rowid <= ${seg.hi}`.execute(this.db)
        : await sql<{ n: number }>`select count(*) as n ${this.matching(req, seg)}`.execute(this.db);
    return { value: Number(r.rows[0]?.n ?? 0), approx: false };
  }

  protected async pageSegment(req: SearchRequest, seg: Segment, o: PageOptions): Promise<Hit[]> {
    if (o.order === 'date') {
      const hi = o.cursor?.kind === 'date' ? Math.min(seg.hi, o.cursor.key - 1) : seg.hi;
      if (hi < seg.lo) return [];
      const score = o.score ? sql`record_fts.rank` : sql`null`;
      const r = await sql<Hit>`select s.record_id as id, record_fts.rowid as key, ${score} as score
        ${this.matching(req, seg, hi)} order by record_fts.rowid desc limit ${o.limit}`.execute(this.db);
      return r.rows;
    }
    // bm25 cannot seek past a cursor: take the best `seen + limit` (and as many again, should rows have moved
    // up since) and keep those after it. FTS5 ranks without a join; ids are looked up for the page only.
    const c = o.cursor?.kind === 'relevance' ? o.cursor : undefined;
    const depth = (c?.seen ?? 0) + o.limit + (c ? o.limit : 0);
    const end =
      seg.endFrom === null
        ? sql``
        : sql`and (select end_day from search_records where seq = (record_fts.rowid & ${MASK})) >= ${seg.endFrom}`;
    const r = await sql<{ key: number; score: number }>`select rowid as key, rank as score from record_fts
      where record_fts match ${this.expression(req, seg.span)} and rowid >= ${seg.lo} and rowid <= ${seg.hi} ${end}
      order by rank limit ${depth}`.execute(this.db);
    const page = r.rows.filter((h) => afterCursor(h, c)).slice(0, o.limit);
    if (page.length === 0) return [];
    const ids = await sql<{ seq: number; record_id: string }>`select seq, record_id from search_records
      where seq in (${sql.join(page.map((h) => h.key % SEQ_SPAN))})`.execute(this.db);
    const idOf = new Map(ids.rows.map((x) => [x.seq, x.record_id]));
    return page.flatMap((h) => {
      const id = idOf.get(h.key % SEQ_SPAN);
      return id ? [{ id, key: h.key, score: h.score }] : [];
    });
  }

  protected override async scoreSegment(
    req: SearchRequest,
    seg: Segment,
    lo: number,
    hi: number,
  ): Promise<Map<number, number>> {
    const end =
      seg.endFrom === null
        ? sql``
        : sql`and (select end_day from search_records where seq = (record_fts.rowid & ${MASK})) >= ${seg.endFrom}`;
    const r = await sql<{ key: number; score: number }>`select rowid as key, rank as score from record_fts
      where record_fts match ${this.expression(req, seg.span)} and rowid >= ${lo} and rowid <= ${hi} ${end}`.execute(
      this.db,
    );
    return new Map(r.rows.map((x) => [x.key, x.score]));
  }

  protected async metaSegment(
    req: SearchRequest,
    seg: Segment,
    limit: number | null,
  ): Promise<{ key: number; meta: string }[]> {
    const lim = limit === null ? sql`` : sql`order by record_fts.rowid desc limit ${limit}`;
    const r = await sql<{ key: number; meta: string }>`select record_fts.rowid as key, s.meta as meta
      ${this.matching(req, seg)} ${lim}`.execute(this.db);
    return r.rows;
  }

  async searchSources(query: ParsedQuery, limit: number): Promise<string[]> {
    const { positive, negative } = toFts5(query);
    if (!positive) return [];
    const e = negative
      ? `({title publisher} : (${positive})) NOT ({title publisher} : (${negative}))`
      : `{title publisher} : (${positive})`;
    const r = await sql<{
      source_id: string;
    }>`select s.source_id from source_fts join search_sources s on s.seq = source_fts.rowid
      where source_fts match ${e} order by source_fts.rank limit ${limit}`.execute(this.db);
    return r.rows.map((x) => x.source_id);
  }
}
