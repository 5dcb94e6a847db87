import type { RequestEvent } from '@sveltejs/kit';
import type { PlaceSummary } from '$lib/server/places/index.js';
import { callApi } from '$lib/web/api.server';

/** The gazetteer as choices for a disruption's places (the public map shades them), by preferred name. */
export async function placeOptions(event: RequestEvent): Promise<{ value: string; label: string }[]> {
  const r = await callApi<{ items: PlaceSummary[] }>(event, 'GET', '/places?limit=500');
  if (!r.ok) return [];
  return r.data.items.map((p) => ({ value: p.id, label: p.name }));
}

/** The places ticked in a form, and the same joined for the form's values when it comes back with an error. */
export function placeIdsFrom(data: FormData): { placeIds: string[]; value: string } {
  const placeIds = data
    .getAll('placeIds')
    .map(String)
    .filter((id) => id !== '');
  return { placeIds, value: placeIds.join(',') };
}
