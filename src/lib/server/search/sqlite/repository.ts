import { sql, type RawBuilder } from 'kysely';
import type { DatabaseHandle, Db, Tx } from '../../db/index.js';
import { BaseSearchIndex, type Hit, type PageOptions, type SearchLimits } from '../base.js';
import {
  DAY_MAX,
  SEQ_SPAN,
  TOKEN,
  WINDOW,
  dateBounds,
  mayBeMetaToken,
  filterTokens,
  hasDateFilter,
  recordRowData,
  roughly,
  viewerTokens,
  type PreparedDocs,
  type RecordDoc,
  type FacetCounts,
  type SearchFilters,
  type SearchPage,
  type SearchRequest,
  type SortOrder,
  type SourceDoc,
  type Total,
} from '../engine.js';
import { fold } from '../normalize.js';
import { PREFIX_MIN, toFts5, type ParsedQuery, type Term } from '../query.js';

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
/** How many matches an estimate reads past the exact limit, to finish the day it stops in. */
const READ_ON = 2_000;
/** A prefix of more words than this is left to FTS5 rather than written out. */
const EXPAND_MAX = 16;
/** Prefixes whose words are kept (`vocabulary`). */
const PREFIXES_KEPT = 10_000;
/** Characters of JSON per insert statement's parameter. */
const PARAM_CHARS = 60_000;
const isFacetToken = (t: string) => t.startsWith('f');
const AUTOMERGE = 8;
const HASHSIZE = 32 * 1024 * 1024;

/**
 * A text match, kept to the text columns only when one of its words could be a `meta` token: the column filter costs
 * about a fifth of reading a word's list (a count of `blockade` at 1,000,000 records: 23 against 18 ms).
 */
function textMatch(terms: Term[], expr: string): string {
  const meta = terms.some((t) => t.words.some((w, i) => mayBeMetaToken(w, t.prefix && i === t.words.length - 1)));
  return meta ? `${TEXT} : (${expr})` : `(${expr})`;
}

/**
 * The rows of a JSON array of arrays as a SELECT of `width` columns: one text parameter for a batch of rows. The
 * columns in `shifted` get `base` added.
 */
const rowsOf = (json: string, width: number, base = 0, shifted: number[] = []) =>
  sql`select ${sql.join(
    Array.from({ length: width }, (_, i) =>
      shifted.includes(i) ? sql`${base} + (value ->> ${sql.lit(i)})` : sql`value ->> ${sql.lit(i)}`,
    ),
  )} from json_each(${json})`;

/** What `prepare` makes of new documents. */
interface Prepared {
  refs: string[];
  texts: string[];
  days: DayCounts;
}

const quote = (tok: string) => `"${tok.replace(/"/g, '""')}"`;
const readKey = (seg: Segment, part: 'open' | undefined) => `${seg.lo} ${seg.hi} ${seg.span} ${seg.endFrom} ${part}`;

/** Queues statements for the background connection, after `tx` commits; or says no. */
export type SqliteDefer = DatabaseHandle['defer'];

/** A segment's newest matches as the estimate read them: the keys, newest first, and whether they are all there are. */
interface NewestRead {
  keys: number[];
  all: boolean;
}

export class SqliteSearchIndex extends BaseSearchIndex<Segment> {
  private merging = false;
  /**
   * Per search (its request object): the newest keys each segment's estimate read, so that the window and the facet
   * sample of the same search take them instead of reading them again (`blockade gaz`: 2 and 6 ms of 40).
   */
  private readonly reads = new WeakMap<SearchRequest, Map<string, NewestRead>>();
  /** Requests with their prefixes written out (`expanded`), by the request given. */
  private readonly written = new WeakMap<SearchRequest, SearchRequest>();
  /** Documents this connection has written (in transactions committed or not): see `vocabulary`. */
  private writes = 0;
  private prefixes = { stamp: '', terms: new Map<string, string[]>() };

  constructor(
    private readonly db: Db,
    limits?: SearchLimits,
    private readonly defer?: SqliteDefer,
  ) {
    super(limits);
  }

  // Writes.

  async upsertRecords(tx: Tx, docs: RecordDoc[], opts: { fresh?: boolean } = {}): Promise<void> {
    const prepared = this.prepare(docs);
    if (prepared.ids.length === 0) return;
    // A changed document is deleted and inserted again: its rowid follows its date. New ones have nothing to delete.
    for (let i = 0; !opts.fresh && i < prepared.ids.length; i += CHUNK) {
      const old = await sql<{ seq: number; fts_rowid: number; flags: number }>`select seq, fts_rowid, flags
        from search_records where record_id in (${sql.join(prepared.ids.slice(i, i + CHUNK))})`.execute(tx);
      if (old.rows.length === 0) continue;
      const days = new DayCounts();
      for (const r of old.rows) days.add(Math.floor(r.fts_rowid / SEQ_SPAN), r.flags, -1);
      await days.write(tx);
      await sql`delete from record_fts where rowid in (${sql.join(old.rows.map((r) => r.fts_rowid))})`.execute(tx);
      await sql`delete from search_records where seq in (${sql.join(old.rows.map((r) => r.seq))})`.execute(tx);
    }
    await this.insert(tx, prepared, false);
  }

  /**
   * Each new record's row data, in rowid order, serialised with its rowid less the first free `seq` (known only in
   * the transaction, and added there by SQL).
   */
  override prepare(docs: RecordDoc[]): PreparedDocs {
    const byId = new Map(docs.map((d) => [d.id, d]));
    // In rowid order: FTS5 writes out what it holds in memory whenever a rowid comes lower than the one before, so
    // records in file order (dates at random) made a tiny segment every other row, and twice the CPU (measured).
    const rows = [...byId.values()]
      .map((d) => ({ id: d.id, r: recordRowData(d) }))
      .sort((a, b) => a.r.sortDay - b.r.sortDay);
    // Each table's rows as JSON text, a parameter per chunk: cheaper than building and preparing a statement of
    // thousands of parameters with Kysely, as this did at first. (The records tables bind their values instead,
    // through statements built once, `RecordsRepository.insertMany`: SQLite reads bound values faster than JSON.
    // Not measured for these tables since.) A parameter is kept under about 64 KB: larger strings land in V8's
    // large-object space, which only a full collection frees (an import's heap grew to four times what was live).
    const refs = new Chunks();
    const texts = new Chunks();
    const days = new DayCounts();
    rows.forEach((x, i) => {
      const flags = flagsOf(x.r.meta);
      const key = x.r.sortDay * SEQ_SPAN + i;
      days.add(x.r.sortDay, flags, 1);
      // Only the facet tokens are kept in search_records: they are what facet counts read.
      refs.add(JSON.stringify([i, x.id, key, x.r.endDay, x.r.meta.filter(isFacetToken).join(' '), flags]));
      texts.add(JSON.stringify([key, x.r.title, x.r.summary, x.r.body, x.r.places, x.r.meta.join(' ')]));
    });
    const payload: Prepared = { refs: refs.done(), texts: texts.done(), days };
    return { ids: rows.map((x) => x.id), payload };
  }

  override insertPrepared(tx: Tx, docs: PreparedDocs): Promise<void> {
    return this.insert(tx, docs, true);
  }

  /** `deferrable`: new records during an import, whose full-text documents may be added after the commit. */
  private async insert(tx: Tx, docs: PreparedDocs, deferrable: boolean): Promise<void> {
    const n = docs.ids.length;
    if (n === 0) return;
    this.writes++;
    const { refs, texts, days } = docs.payload as Prepared;
    // FTS5 merges a level's segments when it has `automerge` of them (default 4). With 8, an import of 1M records
    // rewrites its index less often: about a third less CPU per document, measured at 60k documents, for a few more
    // segments to read per query. `hashsize` lets it hold a whole import batch in memory (default 1 MB, a few
    // hundred documents) so that the batch is written as one segment. Settings of the table, so made once per
    // process, before it writes.
    if (!this.merging) {
      await sql`insert into record_fts (record_fts, rank) values ('automerge', ${sql.lit(AUTOMERGE)})`.execute(tx);
      await sql`insert into record_fts (record_fts, rank) values ('hashsize', ${sql.lit(HASHSIZE)})`.execute(tx);
      this.merging = true;
    }
    const max = await sql<{ m: number | null }>`select max(seq) as m from search_records`.execute(tx);
    const first = Number(max.rows[0]?.m ?? 0) + 1;
    if (first + n - 1 > MASK) throw new Error('The search index ran out of numbers: run `corridor search rebuild`.');
    for (const json of refs)
      await sql`insert into search_records (seq, record_id, fts_rowid, end_day, meta, flags)
        ${rowsOf(json, 6, first, [0, 2])}`.execute(tx);
    await days.write(tx);
    // FTS5 writes what it holds in memory out as a new segment whenever a statement that may need undoing starts in
    // the transaction (its xSavepoint), and any multi-row insert is one: a statement per chunk made a segment of
    // about 50 documents, so the index merged thousands of them (half of an import's SQLite time, measured). The
    // documents are staged in a temporary table instead, then inserted by one statement, after every other
    // multi-row write of the batch, so that the batch becomes one segment at commit.
    const inserts: RawBuilder<unknown>[] = [];
    if (texts.length === 1)
      inserts.push(
        sql`insert into record_fts (rowid, title, summary, body, places, meta) ${rowsOf(texts[0]!, 6, first, [0])}`,
      );
    else {
      inserts.push(sql`create temp table if not exists fts_stage
        (rowid integer primary key, title text, summary text, body text, places text, meta text)`);
      for (const json of texts)
        inserts.push(
          sql`insert into temp.fts_stage (rowid, title, summary, body, places, meta) ${rowsOf(json, 6, first, [0])}`,
        );
      inserts.push(sql`insert into record_fts (rowid, title, summary, body, places, meta)
        select rowid, title, summary, body, places, meta from temp.fts_stage order by rowid`);
      inserts.push(sql`delete from temp.fts_stage`);
    }
    // During an import, the documents of its new records are added on the background connection once this commits,
    // while the import makes its next batch ready (FTS5 is about half of an import's SQLite time). They are drafts
    // no one else has seen: until then they are only missing from searches. Their range stays in `search_backlog`
    // until the documents are in, for a crash in between (`pending`).
    const done = sql`delete from search_backlog where seq_from = ${first}`;
    if (
      deferrable &&
      this.defer?.(
        tx,
        [...inserts, done].map((q) => q.compile(tx)),
      )
    ) {
      await sql`insert into search_backlog (seq_from, seq_to) values (${first}, ${first + n - 1})`.execute(tx);
      return;
    }
    for (const q of inserts) await q.execute(tx);
  }

  override async pending(): Promise<string[]> {
    const r = await sql<{ record_id: string }>`select s.record_id from search_backlog b
      join search_records s on s.seq between b.seq_from and b.seq_to`.execute(this.db);
    return r.rows.map((x) => x.record_id);
  }

  override async clearPending(tx: Tx): Promise<void> {
    await sql`delete from search_backlog`.execute(tx);
  }

  async needsRebuild(): Promise<boolean> {
    const r = await sql<{ records: number; indexed: number }>`select
      exists (select 1 from records) as records, exists (select 1 from search_records) as indexed`.execute(this.db);
    return Boolean(r.rows[0]?.records) && !r.rows[0]?.indexed;
  }

  async removeRecord(tx: Tx, id: string): Promise<void> {
    const old = await sql<{
      fts_rowid: number;
      flags: number;
    }>`select fts_rowid, flags from search_records where record_id = ${id}`.execute(tx);
    const row = old.rows[0];
    if (!row) return;
    await sql`delete from record_fts where rowid = ${row.fts_rowid}`.execute(tx);
    await sql`delete from search_records where record_id = ${id}`.execute(tx);
    const days = new DayCounts();
    days.add(Math.floor(row.fts_rowid / SEQ_SPAN), row.flags, -1);
    await days.write(tx);
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
    await sql`delete from search_backlog`.execute(tx);
    await sql`insert into record_fts (record_fts) values ('delete-all')`.execute(tx);
    await sql`delete from search_records`.execute(tx);
    await sql`delete from search_days`.execute(tx);
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

  override async search(
    req: SearchRequest,
    page: { sort: SortOrder; limit: number; cursor?: string },
  ): Promise<SearchPage> {
    return super.search(await this.expanded(req), page);
  }

  override async facets(req: SearchRequest, total?: Total): Promise<FacetCounts> {
    return super.facets(await this.expanded(req), total);
  }

  override async *ids(req: SearchRequest, batch?: number): AsyncGenerator<string[]> {
    yield* super.ids(await this.expanded(req), batch);
  }

  /**
   * The request with each prefix written out as the words it stands for, when they are few: FTS5 without a prefix
   * index merges every matching word's whole list in memory for a prefix, in each statement (7–11 ms for a word in
   * a fifth of a million records), where alternatives of whole words are read as far as needed. The vocabulary
   * is read once per search (`record_fts_terms`); a prefix of more than `EXPAND_MAX` words stays a prefix.
   */
  private async expanded(req: SearchRequest): Promise<SearchRequest> {
    const q = req.query;
    if (!q || (!q.all.some((g) => g.some((t) => t.prefix)) && !q.none.some((t) => t.prefix))) return req;
    // The same request written out once: its search and its facets then share what the estimate read (`reads`).
    const seen = this.written.get(req);
    if (seen) return seen;
    const out = await this.writeOut(req, q);
    this.written.set(req, out);
    return out;
  }

  private async writeOut(req: SearchRequest, q: ParsedQuery): Promise<SearchRequest> {
    const known = await this.vocabulary();
    const expand = async (t: Term): Promise<Term[]> => {
      const last = t.words[t.words.length - 1]!;
      if (!t.prefix || [...last].length < PREFIX_MIN) return [t];
      let terms = known.get(last);
      if (terms === undefined) {
        const r = await sql<{ term: string }>`select term from record_fts_terms
          where term >= ${last} and term < ${last + '\u{10FFFF}'} limit ${EXPAND_MAX + 1}`.execute(this.db);
        terms = r.rows.map((x) => x.term);
        if (known.size >= PREFIXES_KEPT) known.clear();
        known.set(last, terms);
      }
      // None: the prefix matches nothing, and says so as cheaply as any word. Too many: left to FTS5.
      if (terms.length === 0 || terms.length > EXPAND_MAX) return [t];
      return terms.map((term) => ({ words: [...t.words.slice(0, -1), term], prefix: false }));
    };
    const all: Term[][] = [];
    for (const g of q.all) all.push((await Promise.all(g.map(expand))).flat());
    const none = (await Promise.all(q.none.map(expand))).flat();
    return { ...req, query: { all, none } };
  }

  /**
   * Prefixes written out so far, kept while no document can have come into the index: reading the vocabulary took
   * 7–13 ms a search at 1,000,000 records (`fts5vocab` counts each term's documents as it lists it), more than
   * some whole searches. New words come only with new documents: written by this connection (`writes`), or by
   * another one (the background connection, another process), which `data_version` tells. Words that left the
   * index may stay listed: they match nothing.
   */
  private async vocabulary(): Promise<Map<string, string[]>> {
    const r = await sql<{ data_version: number }>`pragma data_version`.execute(this.db);
    const stamp = `${r.rows[0]?.data_version ?? 0}/${this.writes}`;
    if (stamp !== this.prefixes.stamp) this.prefixes = { stamp, terms: new Map() };
    return this.prefixes.terms;
  }

  /**
   * The MATCH expression: text, visibility, filters and an optional span token. `part` narrows a staff member's
   * match to records that are not restricted (`open`), or to the restricted ones they may see.
   */
  private expression(req: SearchRequest, span: string | null, part?: 'open' | 'restricted'): string {
    const { positive, negative } = req.query ? toFts5(req.query) : { positive: null, negative: null };
    const must: string[] = [];
    if (positive) must.push(textMatch(req.query!.all.flat(), positive));
    if (req.viewer.kind === 'public') must.push(`meta : ${quote(TOKEN.web)}`);
    for (const t of filterTokens(req.filters)) must.push(`meta : ${quote(t)}`);
    if (span) must.push(`meta : ${quote(span)}`);
    if (part === 'restricted' && req.viewer.kind === 'staff') {
      must.push(`meta : ${quote(TOKEN.restricted)}`);
      must.push(`meta : (${viewerTokens(req.viewer).map(quote).join(' OR ')})`);
    }
    if (must.length === 0) must.push(`meta : ${quote(TOKEN.all)}`);
    let e = must.join(' AND ');
    const not: string[] = [];
    if (negative) not.push(textMatch(req.query!.none, negative));
    if (part === 'open') not.push(`meta : ${quote(TOKEN.restricted)}`);
    else if (req.viewer.kind === 'staff' && part !== 'restricted')
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

  protected override segmentTop(seg: Segment): number {
    return seg.hi;
  }

  /** FROM and WHERE of one segment, with an upper key bound tightened by a date cursor. */
  private matching(req: SearchRequest, seg: Segment, hi = seg.hi, part?: 'open' | 'restricted'): RawBuilder<unknown> {
    const end = seg.endFrom === null ? sql`` : sql`and s.end_day >= ${seg.endFrom}`;
    return sql`from record_fts join search_records s on s.seq = (record_fts.rowid & ${MASK})
      where record_fts match ${this.expression(req, seg.span, part)}
        and record_fts.rowid >= ${seg.lo} and record_fts.rowid <= ${hi} ${end}`;
  }

  /**
   * Exact up to `exactFacets` matches. Above, an estimate ("about"): counting every match of a word in a fifth of a
   * million records took as long as ranking the page. The newest `exactFacets + 1` matches are read (newest first,
   * off FTS5's index), and their number is scaled by how many records start in the days they span against the whole
   * range (`search_days`). Those day counts hold only records every viewer of a class may see (`open` for staff, `web`
   * for the public), so a restricted record never sways an estimate; the restricted records a staff member may see
   * are counted exactly and added.
   */
  protected async countSegment(req: SearchRequest, seg: Segment): Promise<Total> {
    // A date filter leaves out records without a date: their creation days are then counted out too.
    const dated = hasDateFilter(req.filters) ? '_dated' : '';
    if (req.viewer.kind === 'public') return this.estimate(req, seg, `web${dated}`);
    // The restricted records this staff member may see are few and quickly counted; the others are what is scanned
    // (a scan of two broad words together reads far into both lists, so it is done once).
    const restricted = await this.countAll(req, seg, 'restricted');
    const open = await this.estimate(req, seg, `open${dated}`, 'open', restricted);
    const value = open.value + restricted;
    return open.approx ? { value: roughly(value), approx: true } : { value, approx: false };
  }

  /**
   * Exact when the read below (the newest `exactFacets + 1 - already` matches and `READ_ON` more) found all there
   * are. Else the matches of the days they reach, scaled to the segment by the records of `col` that start in those
   * days against all its days. The oldest of those days is read on to its end, since many records can share a day
   * (a year-only date starts on 1 January, records without a date sort by their creation day): one statement reads
   * `READ_ON` more rows and keeps those of that day (FTS5 answers a lower rowid bound slowly: 15-19 ms for one day
   * of `blockade`, against 2-3 ms for the read), and a day holding more than that is counted exactly.
   */
  private async estimate(req: SearchRequest, seg: Segment, col: DayColumn, part?: 'open', already = 0): Promise<Total> {
    const cap = Math.max(0, this.limits.exactFacets - already);
    const readOn = this.limits.readOn ?? READ_ON;
    const limit = cap + 1 + readOn;
    const kept = Math.max(this.limits.window ?? WINDOW, this.limits.sample);
    const r = await sql<{
      read: number;
      oldest: number | null;
      kc: number | null;
      matched: number | null;
      newest: string;
    }>`
      with r as materialized (${this.newestKeys(req, seg, limit, part)}),
        c as (select k from r order by k desc limit 1 offset ${cap})
      select (select count(*) from r) as read, (select min(k) from r) as oldest, (select k from c) as kc,
        (select count(*) from r where k >= ((select k from c) / ${SEQ_SPAN}) * ${SEQ_SPAN}) as matched,
        (select json_group_array(k order by k desc) from (select k from r order by k desc limit ${kept})) as newest`.execute(
      this.db,
    );
    const row = r.rows[0];
    const read = Number(row?.read ?? 0);
    this.keep(req, seg, part, { keys: JSON.parse(row?.newest ?? '[]') as number[], all: read < limit && read <= kept });
    // Fewer than asked for: every match was read.
    if (read < limit || row?.kc == null) return { value: read, approx: false };
    const day = Math.floor(row.kc / SEQ_SPAN);
    const from = Math.max(seg.lo, day * SEQ_SPAN);
    const crowded = read >= limit && Number(row.oldest) >= from;
    const matched = crowded ? await this.countAll(req, { ...seg, lo: from }, part) : Number(row.matched ?? 0);
    const d = await sql<{ covered: number | null; all: number | null }>`select
        sum(case when day >= ${day} then ${sql.ref(col)} end) as covered, sum(${sql.ref(col)}) as "all"
      from search_days where day >= ${Math.floor(seg.lo / SEQ_SPAN)} and day <= ${Math.floor(seg.hi / SEQ_SPAN)}`.execute(
      this.db,
    );
    const covered = Number(d.rows[0]?.covered ?? 0);
    const all = Number(d.rows[0]?.all ?? 0);
    return { value: roughly(covered > 0 ? Math.max(matched, (matched * all) / covered) : matched), approx: true };
  }

  /**
   * The keys (`k`) of the newest `limit` matches of a segment. Without an end-day check FTS5 is given no lower rowid
   * bound, which it reaches by walking each list from its start (a week of `gaz` in 2023: 23 against 8 ms): the
   * newest `limit` matches under the top are read, and those below the bottom dropped.
   */
  private newestKeys(req: SearchRequest, seg: Segment, limit: number, part?: 'open' | 'restricted') {
    if (seg.endFrom !== null)
      return sql<{ k: number }>`select record_fts.rowid as k ${this.matching(req, seg, seg.hi, part)}
        order by record_fts.rowid desc limit ${limit}`;
    const read = sql<{ k: number }>`select rowid as k from record_fts
      where record_fts match ${this.expression(req, seg.span, part)} and rowid <= ${seg.hi}
      order by rowid desc limit ${limit}`;
    return seg.lo <= 0 ? read : sql<{ k: number }>`select k from (${read}) where k >= ${seg.lo}`;
  }

  private keep(req: SearchRequest, seg: Segment, part: 'open' | undefined, read: NewestRead): void {
    let bySeg = this.reads.get(req);
    if (!bySeg) this.reads.set(req, (bySeg = new Map()));
    bySeg.set(readKey(seg, part), read);
  }

  /**
   * The keys of a segment's newest `limit` matches from what its estimate read, or null when it did not read that
   * many. A staff member's estimate reads the records that are not restricted: the restricted ones this viewer may
   * see (the rest of what they may see, no more) are read here and merged in.
   */
  private async newestKept(req: SearchRequest, seg: Segment, limit: number): Promise<number[] | null> {
    const staff = req.viewer.kind === 'staff';
    const read = this.reads.get(req)?.get(readKey(seg, staff ? 'open' : undefined));
    if (!read || (read.keys.length < limit && !read.all)) return null;
    const keys = read.keys.slice(0, limit);
    if (!staff) return keys;
    const restricted = await this.newestKeys(req, seg, limit, 'restricted').execute(this.db);
    if (restricted.rows.length === 0) return keys;
    return [...keys, ...restricted.rows.map((x) => x.k)].sort((a, b) => b - a).slice(0, limit);
  }

  private async countAll(req: SearchRequest, seg: Segment, part?: 'open' | 'restricted'): Promise<number> {
    // Without an end-day check the count needs no join.
    const r =
      seg.endFrom === null
        ? await sql<{
            n: number;
          }>`select count(*) as n from record_fts where record_fts match ${this.expression(req, seg.span, part)}
            and rowid >= ${seg.lo} and rowid <= ${seg.hi}`.execute(this.db)
        : await sql<{ n: number }>`select count(*) as n ${this.matching(req, seg, seg.hi, part)}`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  protected async pageSegment(req: SearchRequest, seg: Segment, o: PageOptions): Promise<Hit[]> {
    // Relevance is scored over the keys found (`scoreKeys`), so the base class asks only for date order here.
    if (o.order !== 'date' || o.score) throw new Error('SQLite pages are read by date, unscored');
    const hi = o.cursor?.kind === 'date' ? Math.min(seg.hi, o.cursor.key - 1) : seg.hi;
    if (hi < seg.lo) return [];
    if (o.keysOnly) {
      const kept = hi === seg.hi ? await this.newestKept(req, seg, o.limit) : null;
      if (kept) return kept.map((key) => ({ id: '', key, score: null }));
      // Without the join, unless the end day is checked: a window of 1,000 then reads its keys 2-5 times faster.
      const r = await this.newestKeys(req, { ...seg, hi }, o.limit).execute(this.db);
      return r.rows.map((x) => ({ id: '', key: x.k, score: null }));
    }
    const r = await this.newestWith(req, { ...seg, hi }, o.limit, 'record_id').execute(this.db);
    return r.rows.map((x) => ({ id: x.v, key: x.key, score: null }));
  }

  /** A segment's newest `limit` matches, each with one column of its `search_records` row (`v`). */
  private newestWith(req: SearchRequest, seg: Segment, limit: number, column: 'record_id' | 'meta') {
    const v = sql.ref(`s.${column}`);
    // Without an end-day check, the keys are read first (`newestKeys`: no lower rowid bound for FTS5).
    return seg.endFrom === null
      ? sql<{ key: number; v: string }>`select r.k as key, ${v} as v
          from (${this.newestKeys(req, seg, limit)}) r join search_records s on s.seq = (r.k & ${MASK})
          order by r.k desc`
      : sql<{ key: number; v: string }>`select record_fts.rowid as key, ${v} as v ${this.matching(req, seg)}
          order by record_fts.rowid desc limit ${limit}`;
  }

  protected override idsOf(keys: number[]): Promise<Map<number, string>> {
    return this.byKeys(keys, 'record_id');
  }

  /** One column of the `search_records` rows of these keys; a key whose record has gone since is left out. */
  private async byKeys(keys: number[], column: 'record_id' | 'meta'): Promise<Map<number, string>> {
    if (keys.length === 0) return new Map();
    const r = await sql<{ seq: number; v: string }>`select seq, ${sql.ref(column)} as v from search_records
      where seq in (select value from json_each(${JSON.stringify(keys.map((k) => k % SEQ_SPAN))}))`.execute(this.db);
    const bySeq = new Map(r.rows.map((x) => [x.seq, x.v]));
    return new Map(keys.flatMap((k) => (bySeq.has(k % SEQ_SPAN) ? [[k, bySeq.get(k % SEQ_SPAN)!]] : [])));
  }

  /**
   * bm25 first counts, over the whole index, the documents that hold each phrase of its MATCH: 15-20 ms for a word
   * in a fifth of a million records, and as much again for each visibility or filter token (whose column weighs
   * nothing, so they never change a score). The keys are found by the filtered match; this statement scores them
   * with the text alone, the same scores to the last digit. It reads newest first from the top key with no lower
   * bound (FTS5 reaches a lower rowid bound by walking each list from its start: about 20 ms for that same word) and
   * stops at the last key; bm25 runs only for the rows the key set lets through.
   */
  protected override async scoreKeys(req: SearchRequest, keys: number[]): Promise<Map<number, number>> {
    const text = req.query ? toFts5(req.query).positive : null;
    if (keys.length === 0 || !text) return new Map();
    const r = await sql<{ key: number; score: number }>`select rowid as key, rank as score from record_fts
      where record_fts match ${textMatch(req.query!.all.flat(), text)} and rowid <= ${Math.max(...keys)}
        and +rowid in (select value from json_each(${JSON.stringify(keys)}))
      order by rowid desc limit ${keys.length}`.execute(this.db);
    return new Map(r.rows.map((x) => [x.key, x.score]));
  }

  protected async metaSegment(
    req: SearchRequest,
    seg: Segment,
    limit: number | null,
  ): Promise<{ key: number; meta: string }[]> {
    if (limit !== null) {
      const kept = await this.newestKept(req, seg, limit);
      if (kept) return [...(await this.byKeys(kept, 'meta'))].map(([key, meta]) => ({ key, meta }));
      const r = await this.newestWith(req, seg, limit, 'meta').execute(this.db);
      return r.rows.map((x) => ({ key: x.key, meta: x.v }));
    }
    const r = await sql<{ key: number; meta: string }>`select record_fts.rowid as key, s.meta as meta
      ${this.matching(req, seg)}`.execute(this.db);
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

/** Which day counts a document is in (`search_records.flags`), from the tokens its visibility is matched on. */
const OPEN = 1;
const WEB = 2;
const DATED = 4;
function flagsOf(meta: string[]): number {
  return (
    (meta.includes(TOKEN.restricted) ? 0 : OPEN) |
    (meta.includes(TOKEN.web) ? WEB : 0) |
    (meta.includes(TOKEN.noDate) ? 0 : DATED)
  );
}

type DayColumn = 'open' | 'web' | 'open_dated' | 'web_dated';
const COLUMNS: [DayColumn, number][] = [
  ['open', OPEN],
  ['web', WEB],
  ['open_dated', OPEN | DATED],
  ['web_dated', WEB | DATED],
];

/** JSON arrays of rows, each under `PARAM_CHARS`. */
class Chunks {
  private rows: string[] = [];
  private size = 0;
  private readonly out: string[] = [];

  add(json: string): void {
    if (this.size + json.length > PARAM_CHARS && this.rows.length > 0) this.cut();
    this.rows.push(json);
    this.size += json.length;
  }

  done(): string[] {
    if (this.rows.length > 0) this.cut();
    return this.out;
  }

  private cut(): void {
    this.out.push('[' + this.rows.join(',') + ']');
    this.rows = [];
    this.size = 0;
  }
}

/** Changes to `search_days`, gathered for a write and applied in one statement. */
class DayCounts {
  private readonly byDay = new Map<number, number[]>();

  add(day: number, flags: number, sign: 1 | -1): void {
    const d = this.byDay.get(day) ?? [0, 0, 0, 0];
    COLUMNS.forEach(([, mask], i) => {
      if ((flags & mask) === mask) d[i]! += sign;
    });
    this.byDay.set(day, d);
  }

  async write(tx: Tx): Promise<void> {
    const rows = [...this.byDay].filter(([, d]) => d.some((n) => n !== 0)).map(([day, d]) => [day, ...d]);
    if (rows.length === 0) return;
    await sql`insert into search_days (day, open, web, open_dated, web_dated) ${rowsOf(JSON.stringify(rows), 5)} where true
      on conflict (day) do update set open = open + excluded.open, web = web + excluded.web,
        open_dated = open_dated + excluded.open_dated, web_dated = web_dated + excluded.web_dated`.execute(tx);
  }
}
