import type { Tx } from '../db/index.js';
import { problems } from '../http/problem.js';
import { fold } from './normalize.js';
import type { ParsedQuery } from './query.js';

/**
 * The search engine's contract, shared by the SQLite (FTS5) and PostgreSQL (tsvector) implementations. The engine
 * knows nothing of the register's tables: the records module assembles each document and keeps the index in sync,
 * in the transaction of the write (docs/design/search.md).
 *
 * Visibility is the records module's rule restated as tokens, so that hits, totals and facet counts all come from
 * one filtered match and a record the viewer may not see is never counted:
 * - public viewers see documents marked `web` (published and public);
 * - staff see every document except restricted ones (`res`) that do not name them: the author and named users as
 *   `u<id>`, named groups as `g<id>`; the viewer's principals are its user id and its groups.
 */

export const FACETS = [
  'right',
  'category',
  'place',
  'year',
  'verification',
  'confidentiality',
  'group',
  'tag',
  'status',
] as const;
export type FacetName = (typeof FACETS)[number];

const FACET_CODE: Record<FacetName, string> = {
  right: 'r',
  category: 'c',
  place: 'p',
  year: 'y',
  verification: 'v',
  confidentiality: 'k',
  group: 'a',
  tag: 't',
  status: 's',
};
const FACET_BY_CODE = new Map(Object.entries(FACET_CODE).map(([k, v]) => [v, k as FacetName]));

export interface RecordDoc {
  id: string;
  /** ISO date text of any precision (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), as records keep them. */
  startDate: string | null;
  endDate: string | null;
  ongoing: boolean;
  /** Creation time: the sort date of a record that has no date of its own. */
  createdAt: string;
  /** Every language variant's text, and every name of every place. */
  title: string[];
  summary: string[];
  body: string[];
  places: string[];
  access: {
    /** Published and public: what the public sees. */
    web: boolean;
    restricted: boolean;
    /** For restricted records: the author and the named users. */
    users: string[];
    groups: string[];
  };
  facets: Partial<Record<FacetName, string[]>>;
}

export interface SourceDoc {
  id: string;
  title: string;
  publisher: string | null;
}

export type Viewer = { kind: 'public' } | { kind: 'staff'; userId: string; groupIds: string[] };

export interface SearchFilters {
  /** Every value given must be on the record. */
  facets?: Partial<Record<FacetName, string[]>>;
  /** Records whose period reaches this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, from its first day), or later. */
  from?: string;
  /** Records that started by this date (to its last day). */
  to?: string;
}

export interface SearchRequest {
  query: ParsedQuery | null;
  viewer: Viewer;
  filters: SearchFilters;
}

export type SortOrder = 'relevance' | 'date';

export interface Total {
  value: number;
  /** An estimate (shown as "about"), rounded to two significant digits. */
  approx: boolean;
}

export interface SearchPage {
  hits: { id: string; score: number | null }[];
  total: Total;
  sort: SortOrder;
  nextCursor: string | null;
  /** Which plan ran, for benchmarks and logs. */
  plan: string;
}

export interface FacetCounts {
  counts: Record<FacetName, { value: string; count: number }[]>;
  approx: boolean;
}

/** New records' documents, made ready outside a transaction by `SearchIndex.prepare`. */
export interface PreparedDocs {
  readonly ids: string[];
  /** What the index made of them: only the index that prepared it reads it. */
  readonly payload: unknown;
}

export interface SearchIndex {
  upsertRecord(tx: Tx, doc: RecordDoc): Promise<void>;
  /** Many at once (imports, rebuilds): fewer statements. `fresh`: none of them is in the index yet (new records). */
  upsertRecords(tx: Tx, docs: RecordDoc[], opts?: { fresh?: boolean }): Promise<void>;
  /**
   * The work of indexing new records that needs no database (folding, tokens, serialising), so that an import does
   * it outside its transaction; `insertPrepared` then writes them in one.
   */
  prepare(docs: RecordDoc[]): PreparedDocs;
  /** Indexes records none of which is in the index yet, as `prepare` made them ready. */
  insertPrepared(tx: Tx, docs: PreparedDocs): Promise<void>;
  /** Whether the tables hold records and the index none (emptied by a migration): then it is rebuilt. */
  needsRebuild(): Promise<boolean>;
  /** Records whose documents were handed to a background write that a crash cut off: indexed again at start-up. */
  pending(): Promise<string[]>;
  /** Forgets them, in the transaction that indexed them again. */
  clearPending(tx: Tx): Promise<void>;
  removeRecord(tx: Tx, id: string): Promise<void>;
  upsertSource(tx: Tx, doc: SourceDoc): Promise<void>;
  removeSource(tx: Tx, id: string): Promise<void>;
  /** Empties the index (before a rebuild), and compacts it afterwards. */
  clear(tx: Tx): Promise<void>;
  optimize(): Promise<void>;
  /** Record ids in the index, for the rebuild check. */
  indexedRecordIds(): Promise<string[]>;

  search(req: SearchRequest, page: { sort: SortOrder; limit: number; cursor?: string }): Promise<SearchPage>;
  /** Exact up to `EXACT_FACETS` matches, then estimated from the newest `SAMPLE` matches. */
  facets(req: SearchRequest, total?: Total): Promise<FacetCounts>;
  /** Every matching id, newest first, in batches: for exports. */
  ids(req: SearchRequest, batch?: number): AsyncGenerator<string[]>;
  /** Matching source ids, best first. */
  searchSources(query: ParsedQuery, limit: number): Promise<string[]>;
}

/** Above this many matches, facet counts (and PostgreSQL totals) are estimates. */
export const EXACT_FACETS = 10_000;
/** How many of the newest matches a facet estimate looks at. */
export const SAMPLE = 2_000;
/**
 * How many of the newest matches a broad relevance ranking (plan R) scores. bm25 costs about 7 µs a row on SQLite
 * (it reads each row's sizes and positions): 2,000 rows made the ranking the largest part of a broad search at
 * 1,000,000 records (25-28 ms of 45-65).
 */
export const WINDOW = 1_000;
/**
 * Up to this many matches, relevance ranks every match; above it, the newest `SAMPLE` (plan R). bm25 costs about
 * the same for each match it scores: at 20,000, queries of 9,000–20,000 matches were the slowest of the mix at
 * 1,000,000 records (29–49 ms at the median, 84 ms for two broad words); at 3,000 they score 2,000 rows.
 */
export const EXACT_RANK = 3_000;

// Tokens. Values become single tokens of [0-9a-z]: a canonical UUID as its hex digits, anything else as `x` + the
// hex of its UTF-8 bytes. Both forms decode, and cannot collide (hex digits never include `x`).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeValue(v: string): string {
  return UUID.test(v) ? v.replace(/-/g, '') : 'x' + Buffer.from(v, 'utf8').toString('hex');
}

export function decodeValue(s: string): string {
  if (s.startsWith('x')) return Buffer.from(s.slice(1), 'hex').toString('utf8');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Flags: never starting with `u`, `g` or `f`, the principal and facet prefixes. */
export const TOKEN = {
  /** Every document: the positive base of a match that has no text and no filter. */
  all: 'all',
  web: 'web',
  restricted: 'res',
  /** No date of its own: never matches a date range. */
  noDate: 'nd',
  /** How far the period runs past its start: up to 31 days, up to 366, longer, ongoing. */
  span: ['sp1', 'sp2', 'sp3', 'spo'] as const,
};

export const userToken = (id: string) => 'u' + encodeValue(id);
export const groupToken = (id: string) => 'g' + encodeValue(id);
export const facetToken = (f: FacetName, v: string) => 'f' + FACET_CODE[f] + encodeValue(v);

const FLAGS = [TOKEN.all, TOKEN.web, TOKEN.restricted, TOKEN.noDate, ...TOKEN.span];
const CODED = /^(?:[ug]|f[a-z])(?:x[0-9a-f]*|[0-9a-f]{32})$/;
const CODED_START = /^(?:[ug]|f[a-z]?)(?:x[0-9a-f]*|[0-9a-f]{0,32})$/;

/**
 * Whether a folded query word (or, for a prefix, some word it starts) could be one of the tokens above, which the
 * index keeps in its own column. A text match made only of other words needs no column filter to stay out of it.
 */
export function mayBeMetaToken(word: string, prefix: boolean): boolean {
  const w = word.toLowerCase();
  return prefix ? FLAGS.some((f) => f.startsWith(w)) || CODED_START.test(w) : FLAGS.includes(w) || CODED.test(w);
}

/** The facet and value of a facet token; undefined for any other token. */
export function parseFacetToken(tok: string): { facet: FacetName; value: string } | undefined {
  if (tok[0] !== 'f') return undefined;
  const facet = FACET_BY_CODE.get(tok[1] ?? '');
  return facet ? { facet, value: decodeValue(tok.slice(2)) } : undefined;
}

export function viewerTokens(v: Viewer & { kind: 'staff' }): string[] {
  return [userToken(v.userId), ...v.groupIds.map(groupToken)];
}

// Dates as day numbers: days since 1970 plus 2^20, clamped to [0, 2^21), so that `day * 2^32 + seq` stays within
// 2^53 (a JS number, no BigInt) for any year from about 900 BC to AD 4800.

export const DAY_OFFSET = 2 ** 20;
export const DAY_MAX = 2 ** 21 - 1;
export const SEQ_SPAN = 2 ** 32;

function dayNumber(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  const n = Math.floor(t.getTime() / 86_400_000) + DAY_OFFSET;
  return Math.min(DAY_MAX, Math.max(0, n));
}

/** The first day of a partial ISO date. */
export function firstDay(date: string): number {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return dayNumber(y!, m ?? 1, d ?? 1);
}

/** The last day of a partial ISO date. */
export function lastDay(date: string): number {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  if (m === undefined) return dayNumber(y!, 12, 31);
  if (d === undefined) return dayNumber(y!, m + 1, 0);
  return dayNumber(y!, m, d);
}

/** What every implementation stores for a record. */
export interface RecordRowData {
  sortDay: number;
  endDay: number;
  meta: string[];
  title: string;
  summary: string;
  body: string;
  places: string;
}

const joined = (xs: string[]) =>
  xs
    .map(fold)
    .filter((s) => s !== '')
    .join(' \n ');

export function recordRowData(doc: RecordDoc): RecordRowData {
  const meta = new Set<string>([TOKEN.all]);
  if (doc.access.web) meta.add(TOKEN.web);
  if (doc.access.restricted) {
    meta.add(TOKEN.restricted);
    for (const u of doc.access.users) meta.add(userToken(u));
    for (const g of doc.access.groups) meta.add(groupToken(g));
  }
  for (const f of FACETS) for (const v of doc.facets[f] ?? []) meta.add(facetToken(f, v));
  let sortDay: number;
  let endDay: number;
  if (doc.startDate) {
    sortDay = firstDay(doc.startDate);
    endDay = doc.ongoing ? DAY_MAX : Math.max(sortDay, lastDay(doc.endDate ?? doc.startDate));
    const span = endDay - sortDay;
    if (doc.ongoing) meta.add(TOKEN.span[3]);
    else if (span > 366) meta.add(TOKEN.span[2]);
    else if (span > 31) meta.add(TOKEN.span[1]);
    else if (span > 0) meta.add(TOKEN.span[0]);
  } else {
    sortDay = firstDay(doc.createdAt);
    endDay = sortDay;
    meta.add(TOKEN.noDate);
  }
  return {
    sortDay,
    endDay,
    meta: [...meta],
    title: joined(doc.title),
    summary: joined(doc.summary),
    body: joined(doc.body),
    places: joined(doc.places),
  };
}

/** The days a date filter bounds: `from` as its first day, `to` as its last. */
export function dateBounds(f: SearchFilters): { from: number | null; to: number | null } {
  return { from: f.from ? firstDay(f.from) : null, to: f.to ? lastDay(f.to) : null };
}

export const hasDateFilter = (f: SearchFilters) => f.from !== undefined || f.to !== undefined;

export function filterTokens(f: SearchFilters): string[] {
  const out: string[] = [];
  for (const name of FACETS) for (const v of f.facets?.[name] ?? []) out.push(facetToken(name, v));
  return out;
}

// Cursors: `d<sort key>` for date order, `r<hits seen>` for relevance; opaque to clients. A relevance cursor never
// carries a score: bm25 weighs a word by how many records hold it, restricted ones included, so a score handed out
// would tell a careful reader something about records they may not see.

export type Cursor =
  | { kind: 'date'; key: number }
  /** How many hits came before: bm25 cannot seek, so the next page ranks that deep and skips them. */
  | { kind: 'relevance'; seen: number };

export function encodeCursor(c: Cursor): string {
  return c.kind === 'date' ? `d${c.key}` : `r${c.seen}`;
}

export function decodeCursor(s: string, sort: SortOrder): Cursor {
  const bad = () => problems.validation([{ path: 'cursor', message: 'not a cursor of this search' }]);
  const m = (sort === 'date' ? /^d(\d{1,16})$/ : /^r(\d{1,6})$/).exec(s);
  if (!m) throw bad();
  return sort === 'date' ? { kind: 'date', key: Number(m[1]) } : { kind: 'relevance', seen: Number(m[1]) };
}

/** "About 210,000": two significant digits. */
export const roughly = (n: number): number => (n < 100 ? Math.round(n) : Number(n.toPrecision(2)));

/**
 * Facet counts from the tokens of matching documents (space-separated; tokens other than facet tokens are skipped),
 * scaled when the documents are a sample of `total`. Tokens are counted as they are and decoded once each.
 */
export function countFacets(metas: Iterable<string>, sampled: number, total: number): FacetCounts {
  const raw = new Map<string, number>();
  for (const meta of metas) {
    let i = 0;
    while (i < meta.length) {
      let j = meta.indexOf(' ', i);
      if (j === -1) j = meta.length;
      if (meta.charCodeAt(i) === 102 /* f */) {
        const tok = meta.slice(i, j);
        raw.set(tok, (raw.get(tok) ?? 0) + 1);
      }
      i = j + 1;
    }
  }
  const approx = sampled < total;
  const scale = approx && sampled > 0 ? total / sampled : 1;
  const out = {} as FacetCounts['counts'];
  for (const f of FACETS) out[f] = [];
  for (const [tok, n] of raw) {
    const f = parseFacetToken(tok);
    if (f) out[f.facet].push({ value: f.value, count: approx ? Math.max(1, roughly(n * scale)) : n });
  }
  for (const f of FACETS) out[f].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  return { counts: out, approx };
}

/** Merge per-segment pages: by date (newest first) or by score (best first), then key. */
export function mergeHits<H extends { key: number; score: number | null }>(lists: H[][], sort: SortOrder): H[] {
  const all = lists.flat();
  return sort === 'date'
    ? all.sort((a, b) => b.key - a.key)
    : all.sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || b.key - a.key);
}

/** Whether a hit comes after a date cursor (newest first); relevance pages skip the hits seen instead. */
export function afterCursor(h: { key: number }, c: Cursor | undefined): boolean {
  return c?.kind !== 'date' || h.key < c.key;
}
