import type { PlaceSummary } from '$lib/server/places/index.js';
import { apiGet } from '$lib/web/api.server';
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
  const names = new Map(list.items.map((p) => [p.id, p.name]));
  return {
    places: list.items.map((p) => ({
      ...p,
      parentName: p.parentId ? (names.get(p.parentId) ?? null) : null,
    })),
    filters,
  };
};
