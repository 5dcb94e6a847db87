/**
 * The record list's answer, whichever shape the API sends: today `{ items, total: number, nextCursor }`; with
 * full-text search, totals that may be estimates, facet counts and snippets. Typed from the zod schema; the search
 * fields are optional until the API declares them.
 */
import type { z } from '@hono/zod-openapi';
import type { RecordListSchema, RecordSummary } from '$lib/server/records/index.js';

export const FACETS = [
  'status',
  'verification',
  'confidentiality',
  'category',
  'right',
  'place',
  'group',
  'tag',
  'year',
] as const;
export type FacetName = (typeof FACETS)[number];
export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

type ApiList = z.infer<typeof RecordListSchema>;
/** What search adds to the list answer (kept optional: an older server does not send it). */
export type SearchList = Omit<ApiList, 'total' | 'items'> & {
  items: (RecordSummary & { snippet?: string | null; highlights?: number[][] })[];
  total: number | { value: number; approx: boolean };
  facets?: Partial<Record<FacetName, FacetValue[]>>;
  facetsApprox?: boolean;
  sort?: string;
};

export interface RecordPage {
  items: (RecordSummary & { snippet: string | null; highlights: number[][] })[];
  total: { value: number; approx: boolean };
  facets: Partial<Record<FacetName, FacetValue[]>> | null;
  facetsApprox: boolean;
  nextCursor: string | null;
  /** Whether the API searches text (it answers with facets); else `q` is not applied and the page says so. */
  searchable: boolean;
}

export function normalise(list: SearchList): RecordPage {
  const total = typeof list.total === 'number' ? { value: list.total, approx: false } : list.total;
  return {
    items: list.items.map((i) => ({ ...i, snippet: i.snippet ?? null, highlights: i.highlights ?? [] })),
    total,
    facets: list.facets ?? null,
    facetsApprox: list.facetsApprox ?? false,
    nextCursor: list.nextCursor,
    searchable: list.facets !== undefined,
  };
}

/** A snippet (plain text, never HTML) cut into plain and highlighted parts by `[start, end)` offsets. */
export function snippetParts(snippet: string, highlights: number[][]): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [start = 0, end = 0] of [...highlights].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))) {
    if (start < at || end <= start || end > snippet.length) continue;
    if (start > at) parts.push({ text: snippet.slice(at, start), mark: false });
    parts.push({ text: snippet.slice(start, end), mark: true });
    at = end;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), mark: false });
  return parts;
}
