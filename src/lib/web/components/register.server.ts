/**
 * Server-side helpers shared by the register's pages: what the signed-in user may do (for showing actions only; the
 * API decides), and the record filters a page takes from its query string.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { DirectoryEntry, Me } from '$lib/server/accounts/index.js';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import { RecordQuerySchema, type RecordList, type RecordSummary, type RecordView } from '$lib/server/records/index.js';
import type { PlaceSummary } from '$lib/server/places/index.js';
import type { RightCategory } from '$lib/server/rights/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { RECORD_FILTERS, pickTitle, toQuery, type RecordFilters } from './register';

export { toQuery };

export function registerCan(user: Me | null) {
  const granted = !user || user.pendingSecondFactor ? [] : ROLE_PERMISSIONS[user.role];
  return {
    read: granted.includes('register:read'),
    writeRecords: granted.includes('records:write'),
    importRecords: granted.includes('records:import'),
    review: granted.includes('records:review'),
    writeSources: granted.includes('sources:write'),
    grade: granted.includes('sources:grade'),
    writeInquiries: granted.includes('inquiries:write'),
    writePlaces: granted.includes('places:write'),
  };
}

const KNOWN = RecordQuerySchema.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>;

/** Filters from a page URL. A value the API would refuse is dropped, so a stale bookmark still opens a list. */
export function recordFilters(url: URL): RecordFilters {
  const out: RecordFilters = {};
  for (const name of RECORD_FILTERS) {
    const value = url.searchParams.get(name)?.trim();
    if (!value) continue;
    const schema = KNOWN[name];
    if (schema && !schema.safeParse(value).success) continue;
    out[name] = value.slice(0, 300);
  }
  return out;
}

/** Every visible record matching the filters, up to `max`, through the API's pages (the timeline needs them all). */
export async function allRecords(
  event: RequestEvent,
  filters: RecordFilters,
  max = 1000,
): Promise<{ items: RecordSummary[]; truncated: boolean }> {
  const items: RecordSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await apiGet<Pick<RecordList, 'items' | 'nextCursor'>>(
      event,
      `/records?${toQuery({ ...filters, sort: 'date' }, { limit: '200', cursor })}`,
    );
    items.push(...page.items);
    if (!page.nextCursor) return { items, truncated: false };
    if (items.length >= max) return { items: items.slice(0, max), truncated: true };
    cursor = page.nextCursor;
  }
}

/** Reference data for forms and filters: the rights tree and the gazetteer (up to the API's 500). */
export async function referenceData(event: RequestEvent) {
  const [rights, places] = await Promise.all([
    apiGet<{ items: RightCategory[] }>(event, '/rights'),
    callApi<{ items: PlaceSummary[] }>(event, 'GET', '/places?limit=500'),
  ]);
  return { rights: rights.items, places: places.ok ? places.data.items : [] };
}

/**
 * Staff by name (GET /api/users/directory: active accounts, no emails), sorted for the reader; empty when the API
 * refuses, so that a page still opens and shows account ids instead.
 */
export async function staffDirectory(event: RequestEvent): Promise<DirectoryEntry[]> {
  const result = await callApi<{ items: DirectoryEntry[] }>(event, 'GET', '/users/directory');
  if (!result.ok) return [];
  const collator = new Intl.Collator(event.locals.locale);
  return [...result.data.items].sort((a, b) => collator.compare(a.displayName, b.displayName));
}

/** Code and title of each linked record (sources and inquiries list ids only); a record gone from view is left out. */
export async function linkedRecords(event: RequestEvent, ids: string[]) {
  const found = await Promise.all(
    [...new Set(ids)]
      .slice(0, 100)
      .map((id) => callApi<RecordView>(event, 'GET', `/records/${encodeURIComponent(id)}`)),
  );
  const out: Record<string, { code: string; title: string; lang: string }> = {};
  for (const r of found) {
    if (!r.ok) continue;
    const titles = Object.fromEntries(Object.entries(r.data.texts).map(([l, t]) => [l, t?.title ?? '']));
    const t = pickTitle(titles);
    out[r.data.id] = { code: r.data.code, title: t.title, lang: t.lang };
  }
  return out;
}
