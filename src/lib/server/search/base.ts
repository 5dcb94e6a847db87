import type { Tx } from '../db/index.js';
import {
  EXACT_FACETS,
  EXACT_RANK,
  SAMPLE,
  WINDOW,
  countFacets,
  decodeCursor,
  encodeCursor,
  mergeHits,
  type Cursor,
  type FacetCounts,
  type PreparedDocs,
  type RecordDoc,
  type SearchFilters,
  type SearchIndex,
  type SearchPage,
  type SearchRequest,
  type SortOrder,
  type SourceDoc,
  type Total,
} from './engine.js';
import type { ParsedQuery } from './query.js';

/** The plan thresholds (docs/design/search.md); tests lower them to reach every plan with a few documents. */
export interface SearchLimits {
  exactFacets: number;
  sample: number;
  exactRank: number;
  /** How many of the newest matches plan R ranks (default `WINDOW`). */
  window?: number;
  /** SQLite: how many matches an estimate reads past the exact limit, to finish the day it stops in. */
  readOn?: number;
}
export const DEFAULT_LIMITS: SearchLimits = {
  exactFacets: EXACT_FACETS,
  sample: SAMPLE,
  exactRank: EXACT_RANK,
  window: WINDOW,
};

export interface Hit {
  id: string;
  /** The sort key: `sort_day * 2^32 + seq`. */
  key: number;
  score: number | null;
}

export interface PageOptions {
  order: 'date' | 'rank';
  limit: number;
  cursor?: Cursor | undefined;
  /** Also compute the relevance score (date order, for plan R's window). */
  score: boolean;
  /** Keys are enough (the id may be left empty): only a page of them will need ids (`idsOf`). */
  keysOnly?: boolean;
}

/**
 * The plans, shared by both implementations, over "segments": parts of the match that one statement each can
 * answer. PostgreSQL needs one; SQLite splits a `from` date bound by how long records run (see its repository).
 */
export abstract class BaseSearchIndex<Seg> implements SearchIndex {
  constructor(protected readonly limits: SearchLimits = DEFAULT_LIMITS) {}

  protected abstract segments(f: SearchFilters): Seg[];
  protected abstract countSegment(req: SearchRequest, seg: Seg): Promise<Total>;
  protected abstract pageSegment(req: SearchRequest, seg: Seg, o: PageOptions): Promise<Hit[]>;
  /**
   * The relevance scores of the given keys (newest first), where one statement can score any set of matches (SQLite:
   * bm25 pays for each phrase of its MATCH, so the keys are found first and the text alone scores them). Undefined:
   * scores come with the rows (`score: true`).
   */
  protected scoreKeys?(req: SearchRequest, keys: number[]): Promise<Map<number, number>>;
  /** The record ids of keys read without them (`keysOnly`); undefined: every read brings its ids. */
  protected idsOf?(keys: number[]): Promise<Map<number, string>>;
  /** The largest key a segment can hold, when segments are key ranges: newest-first reads then stop early. */
  protected segmentTop?(seg: Seg): number;
  /** The tokens of matching documents, newest first; all of them when `limit` is null. */
  protected abstract metaSegment(
    req: SearchRequest,
    seg: Seg,
    limit: number | null,
  ): Promise<{ key: number; meta: string }[]>;

  abstract upsertRecords(tx: Tx, docs: RecordDoc[], opts?: { fresh?: boolean }): Promise<void>;
  abstract needsRebuild(): Promise<boolean>;

  /** Nothing to do ahead here: the documents as they are. */
  prepare(docs: RecordDoc[]): PreparedDocs {
    return { ids: docs.map((d) => d.id), payload: docs };
  }

  insertPrepared(tx: Tx, docs: PreparedDocs): Promise<void> {
    return this.upsertRecords(tx, docs.payload as RecordDoc[], { fresh: true });
  }

  /** None unless the index defers writes (SQLite). */
  pending(): Promise<string[]> {
    return Promise.resolve([]);
  }

  clearPending(_tx: Tx): Promise<void> {
    return Promise.resolve();
  }

  upsertRecord(tx: Tx, doc: RecordDoc): Promise<void> {
    return this.upsertRecords(tx, [doc]);
  }
  abstract removeRecord(tx: Tx, id: string): Promise<void>;
  abstract upsertSource(tx: Tx, doc: SourceDoc): Promise<void>;
  abstract removeSource(tx: Tx, id: string): Promise<void>;
  abstract clear(tx: Tx): Promise<void>;
  abstract optimize(): Promise<void>;
  abstract indexedRecordIds(): Promise<string[]>;
  abstract searchSources(query: ParsedQuery, limit: number): Promise<string[]>;

  private async total(req: SearchRequest, segs: Seg[]): Promise<Total> {
    let value = 0;
    let approx = false;
    for (const s of segs) {
      const t = await this.countSegment(req, s);
      value += t.value;
      approx ||= t.approx;
    }
    return { value, approx };
  }

  private async pages(req: SearchRequest, segs: Seg[], o: PageOptions): Promise<Hit[][]> {
    const out: Hit[][] = [];
    for (const s of segs) out.push(await this.pageSegment(req, s, o));
    return out;
  }

  /**
   * Date-ordered pages of each segment, reading segments from the newest down and stopping once `o.limit` hits are
   * newer than anything the remaining segments can hold (a `from` date splits a search into five segments, and the
   * first, from that date on, usually holds all the newest matches).
   */
  private async newestPages(req: SearchRequest, segs: Seg[], o: PageOptions): Promise<Hit[][]> {
    const top = this.segmentTop?.bind(this);
    if (!top || segs.length === 1) return this.pages(req, segs, o);
    const order = segs.map((_, i) => i).sort((a, b) => top(segs[b]!) - top(segs[a]!));
    const out: Hit[][] = segs.map(() => []);
    const keys: number[] = [];
    for (const i of order) {
      if (keys.length >= o.limit) {
        keys.sort((a, b) => b - a);
        if (keys[o.limit - 1]! > top(segs[i]!)) break;
      }
      out[i] = await this.pageSegment(req, segs[i]!, o);
      for (const h of out[i]) keys.push(h.key);
    }
    return out;
  }

  async search(req: SearchRequest, page: { sort: SortOrder; limit: number; cursor?: string }): Promise<SearchPage> {
    const ranked = page.sort === 'relevance' && (req.query?.all.length ?? 0) > 0;
    const sort: SortOrder = ranked ? 'relevance' : 'date';
    const cursor = page.cursor ? decodeCursor(page.cursor, sort) : undefined;
    const skip = cursor?.kind === 'relevance' ? cursor.seen : 0;
    const segs = this.segments(req.filters);
    const total = await this.total(req, segs);
    let hits: Hit[];
    let plan: string;
    if (sort === 'date') {
      plan = 'date';
      hits = mergeHits(
        await this.newestPages(req, segs, { order: 'date', limit: page.limit + 1, cursor, score: false }),
        'date',
      );
    } else if (!total.approx && total.value <= this.limits.exactRank) {
      plan = 'rank';
      const lists = this.scoreKeys
        ? [await this.scored(req, segs, this.limits.exactRank + 1)]
        : await this.pages(req, segs, { order: 'rank', limit: skip + page.limit + 1, score: true });
      hits = mergeHits(lists, 'relevance').slice(skip);
    } else {
      // Plan R: the newest WINDOW matches, ranked. Deterministic while the data stands still, so paging holds.
      plan = 'window';
      const sample = this.limits.window ?? this.limits.sample;
      const window = this.scoreKeys
        ? await this.scored(req, segs, sample)
        : mergeHits(await this.newestPages(req, segs, { order: 'date', limit: sample, score: true }), 'date').slice(
            0,
            sample,
          );
      hits = mergeHits([window], 'relevance').slice(skip);
    }
    const more = hits.length > page.limit;
    hits = hits.slice(0, page.limit);
    const last = hits[hits.length - 1];
    const nextCursor =
      more && last
        ? encodeCursor(
            sort === 'date' ? { kind: 'date', key: last.key } : { kind: 'relevance', seen: skip + hits.length },
          )
        : null;
    if (this.idsOf && hits.some((h) => !h.id)) {
      // A record deleted since its key was read has no id any more: it leaves the page.
      const ids = await this.idsOf(hits.map((h) => h.key));
      hits = hits.flatMap((h) => (h.id || ids.has(h.key) ? [{ ...h, id: h.id || ids.get(h.key)! }] : []));
    }
    return { hits: hits.map((h) => ({ id: h.id, score: h.score })), total, sort, nextCursor, plan };
  }

  /** The newest `limit` matches across the segments, scored by `scoreKeys`. */
  private async scored(req: SearchRequest, segs: Seg[], limit: number): Promise<Hit[]> {
    const read = await this.newestPages(req, segs, { order: 'date', limit, score: false, keysOnly: !!this.idsOf });
    const hits = mergeHits(read, 'date').slice(0, limit);
    const scores = await this.scoreKeys!(
      req,
      hits.map((h) => h.key),
    );
    return hits.map((h) => ({ ...h, score: scores.get(h.key) ?? null }));
  }

  async facets(req: SearchRequest, known?: Total): Promise<FacetCounts> {
    const segs = this.segments(req.filters);
    const total: Total = known ?? (await this.total(req, segs));
    if (!total.approx && total.value <= this.limits.exactFacets) {
      const metas: string[] = [];
      for (const s of segs) for (const r of await this.metaSegment(req, s, null)) metas.push(r.meta);
      return countFacets(metas, metas.length, metas.length);
    }
    const rows: { key: number; meta: string }[] = [];
    for (const s of segs) rows.push(...(await this.metaSegment(req, s, this.limits.sample)));
    rows.sort((a, b) => b.key - a.key);
    const sample = rows.slice(0, this.limits.sample).map((r) => r.meta);
    return countFacets(sample, sample.length, Math.max(total.value, sample.length + 1));
  }

  async *ids(req: SearchRequest, batch = 1000): AsyncGenerator<string[]> {
    const segs = this.segments(req.filters);
    let cursor: Cursor | undefined;
    for (;;) {
      const hits = mergeHits(
        await this.newestPages(req, segs, { order: 'date', limit: batch, cursor, score: false }),
        'date',
      ).slice(0, batch);
      if (hits.length === 0) return;
      yield hits.map((h) => h.id);
      if (hits.length < batch) return;
      cursor = { kind: 'date', key: hits[hits.length - 1]!.key };
    }
  }
}
