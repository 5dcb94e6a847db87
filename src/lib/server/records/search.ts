import {
  parseQuery,
  positiveTerms,
  snippet,
  type FacetCounts,
  type FacetName,
  type RecordDoc,
  type SearchFilters,
  type SearchRequest,
  type Viewer,
} from '../search/index.js';
import type { Scope, SearchSourceRow, TextRow } from './repository.js';
import { SEARCH_GROUPS, type FacetValue, type RecordQuery, type SearchGroup } from './schema.js';

/**
 * How the register's records meet the search engine: the document the index holds of a record, and a list query
 * as an engine request. The visibility rule of the repository (`visibleTo`) is restated here as the document's
 * access facts; the engine turns them into tokens (search/engine.ts).
 */

const GROUP_COLUMNS: Record<SearchGroup, keyof SearchSourceRow['row']> = {
  children: 'affected_children',
  women: 'affected_women',
  olderPersons: 'affected_older_persons',
  personsWithDisabilities: 'affected_persons_with_disabilities',
  displaced: 'affected_displaced',
  wholePopulation: 'affected_whole_population',
};

export function searchDoc(s: SearchSourceRow): RecordDoc {
  const r = s.row;
  return {
    id: r.id,
    startDate: r.start_date,
    endDate: r.end_date,
    ongoing: r.ongoing_at !== null,
    createdAt: r.created_at,
    title: s.texts.map((t) => t.title),
    summary: s.texts.map((t) => t.summary),
    body: s.texts.map((t) => t.description ?? ''),
    places: s.placeNames,
    access: {
      web: r.status === 'published' && r.confidentiality === 'public',
      restricted: r.confidentiality === 'restricted',
      users: [...(r.author_id ? [r.author_id] : []), ...s.accessUserIds],
      groups: s.accessGroupIds,
    },
    facets: {
      right: s.rightIds,
      category: s.categoryIds,
      place: s.placeIds,
      year: r.start_date ? [r.start_date.slice(0, 4)] : [],
      verification: [r.verification],
      confidentiality: [r.confidentiality],
      // A group counts as affected when its count is known and not zero.
      group: SEARCH_GROUPS.filter((g) => Number(r[GROUP_COLUMNS[g]] ?? 0) > 0),
      tag: s.tags,
      status: [r.status],
    },
  };
}

export function viewerOf(scope: Scope, groupIds: string[]): Viewer {
  return scope.kind === 'public' ? { kind: 'public' } : { kind: 'staff', userId: scope.userId, groupIds };
}

type Filterable = Partial<
  Pick<
    RecordQuery,
    | 'q'
    | 'status'
    | 'confidentiality'
    | 'verification'
    | 'right'
    | 'category'
    | 'place'
    | 'group'
    | 'tag'
    | 'year'
    | 'from'
    | 'to'
  >
>;

export function searchRequest(q: Filterable, viewer: Viewer): SearchRequest {
  const text = q.q?.trim() ? parseQuery(q.q) : null;
  const one = (v: string | undefined) => (v === undefined ? [] : [v]);
  const facets: SearchFilters['facets'] = {
    status: one(q.status),
    confidentiality: one(q.confidentiality),
    verification: one(q.verification),
    right: one(q.right),
    category: one(q.category),
    place: one(q.place),
    group: one(q.group),
    tag: one(q.tag),
    year: one(q.year),
  };
  return {
    query: text && (text.all.length > 0 || text.none.length > 0) ? text : null,
    viewer,
    filters: { facets, ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) },
  };
}

/** The excerpt of a hit: summaries first, then descriptions, then titles, in the languages' order. */
export function hitSnippet(req: SearchRequest, texts: TextRow[]): { snippet: string | null; highlights: number[][] } {
  const terms = req.query ? positiveTerms(req.query) : [];
  if (terms.length === 0) return { snippet: null, highlights: [] };
  const s = snippet(
    [...texts.map((t) => t.summary), ...texts.map((t) => t.description), ...texts.map((t) => t.title)],
    terms,
  );
  return s ? { snippet: s.text, highlights: s.highlights } : { snippet: null, highlights: [] };
}

/** At most this many values per facet, the most frequent first. */
const FACET_VALUES_MAX = 50;

/** Facet values with their labels: rights and categories by name, places by preferred name, others as they are. */
export function labelled<N extends FacetName>(
  counts: FacetCounts['counts'],
  names: readonly N[],
  labels: Map<string, string>,
): Record<N, FacetValue[]> {
  const out = {} as Record<N, FacetValue[]>;
  for (const name of names) {
    let values = counts[name];
    // Years read best in order, newest first.
    if (name === 'year') values = [...values].sort((a, b) => (a.value < b.value ? 1 : -1));
    out[name] = values.slice(0, FACET_VALUES_MAX).map((c) => ({
      value: c.value,
      label: labels.get(c.value) ?? c.value,
      count: c.count,
    }));
  }
  return out;
}
