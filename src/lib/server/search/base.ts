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
  /** The tokens of matching documents, newest first; all of them when `limit` is null. */
  /**
   * The relevance scores of a segment's matches between two keys, where a separate statement can give them (the
   * window plan over several segments); undefined: the window is scored as it is read.
   */
  protected scoreSegment?(req: SearchRequest, seg: Seg, lo: number, hi: number): Promise<Map<number, number>>;
  /** The largest key a segment can hold, when segments are key ranges: newest-first reads then stop early. */
  protected segmentTop?(seg: Seg): number;
  /** Whether every key of `a` is below every key of `b` (only asked when `segmentTop` is given). */
  protected below(_a: Seg, _b: Seg): boolean {
    return false;
  }
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

  private async total(req: SearchRequest, segs: Seg[]): Promise<Total & { perSegment: Total[] }> {
    let value = 0;
    let approx = false;
    const perSegment: Total[] = [];
    for (const s of segs) {
      const t = await this.countSegment(req, s);
      perSegment.push(t);
      value += t.value;
      approx ||= t.approx;
    }
    return { value, approx, perSegment };
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
    const { perSegment, ...total } = await this.total(req, segs);
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
      hits = mergeHits(
        await this.pages(req, segs, { order: 'rank', limit: skip + page.limit + 1, score: true }),
        'relevance',
      ).slice(skip);
    } else {
      // Plan R: the newest WINDOW matches, ranked. Deterministic while the data stands still, so paging holds.
      plan = 'window';
      const window = await this.window(req, segs, perSegment);
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
    return { hits: hits.map((h) => ({ id: h.id, score: h.score })), total, sort, nextCursor, plan };
  }

  /**
   * The newest WINDOW matches, with their scores. Over several segments (a date range on SQLite), each statement
   * that computes bm25 first works out its phrases' frequencies over the whole index: the window is found by date
   * alone, and only the segments that have hits in it are scored, each over the keys it contributed.
   */
  private async window(req: SearchRequest, segs: Seg[], counts: Total[]): Promise<Hit[]> {
    const sample = this.limits.window ?? this.limits.sample;
    // The newest segment holds at least the whole window (its keys are above every other's): it alone is read.
    const top = this.segmentTop?.bind(this);
    if (top && segs.length > 1) {
      const newest = segs.reduce((best, s, i) => (top(s) > top(segs[best]!) ? i : best), 0);
      const others = segs.filter((_, i) => i !== newest);
      if ((counts[newest]?.value ?? 0) >= sample && others.every((s) => this.below(s, segs[newest]!))) {
        const hits = await this.pageSegment(req, segs[newest]!, { order: 'date', limit: sample, score: true });
        if (hits.length >= sample) return hits;
      }
    }
    if (segs.length === 1 || !this.scoreSegment)
      return mergeHits(await this.newestPages(req, segs, { order: 'date', limit: sample, score: true }), 'date').slice(
        0,
        sample,
      );
    const perSegment = await this.newestPages(req, segs, { order: 'date', limit: sample, score: false });
    const kept = new Set(
      mergeHits(perSegment, 'date')
        .slice(0, sample)
        .map((h) => h.key),
    );
    const out: Hit[] = [];
    for (let i = 0; i < segs.length; i++) {
      const mine = perSegment[i]!.filter((h) => kept.has(h.key));
      if (mine.length === 0) continue;
      const scores = await this.scoreSegment(req, segs[i]!, mine[mine.length - 1]!.key, mine[0]!.key);
      for (const h of mine) out.push({ ...h, score: scores.get(h.key) ?? null });
    }
    return out;
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
