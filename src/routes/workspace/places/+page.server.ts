import type { Place, PlaceSummary } from '$lib/server/places/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

const TYPES = ['country', 'region', 'city', 'town', 'village', 'road', 'border-crossing', 'site', 'other'];

export const load: PageServerLoad = async (event) => {
  const filters: Record<string, string> = {};
  const q = event.url.searchParams.get('q')?.trim();
  if (q) filters.q = q.slice(0, 200);
  const type = event.url.searchParams.get('type') ?? '';
  if (TYPES.includes(type)) filters.type = type;
  const list = await apiGet<{ items: PlaceSummary[] }>(
    event,
    `/places?${new URLSearchParams({ ...filters, limit: '100' })}`,
  );
  // The list answer has no alternative names; each place's own answer has (a gazetteer page is short).
  const details = await Promise.all(
    list.items.map((p) => callApi<Place>(event, 'GET', `/places/${encodeURIComponent(p.id)}`)),
  );
  const altNames = Object.fromEntries(details.flatMap((d) => (d.ok ? [[d.data.id, d.data.altNames]] : [])));
  const names = new Map(list.items.map((p) => [p.id, p.name]));
  return {
    places: list.items.map((p) => ({
      ...p,
      altNames: altNames[p.id] ?? [],
      parentName: p.parentId ? (names.get(p.parentId) ?? null) : null,
    })),
    filters,
  };
};
