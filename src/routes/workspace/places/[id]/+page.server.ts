import type { Place, PlaceSummary } from '$lib/server/places/index.js';
import { apiGet } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const [place, children] = await Promise.all([
    apiGet<Place>(event, `/places/${id}`),
    apiGet<{ items: PlaceSummary[] }>(event, `/places?parent=${id}&limit=500`),
  ]);
  return { place, children: children.items };
};
