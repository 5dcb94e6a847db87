/** The record list's facet names (from the API's schema), and how a snippet's highlights become marked text. */
import type { RecordList } from '$lib/server/records/index.js';

export type FacetName = keyof RecordList['facets'];

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
