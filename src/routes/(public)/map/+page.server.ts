import { getLocale } from '$lib/paraglide/runtime';
import type { MapLayer, MapSummary } from '$lib/server/map/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

const MAP_LAYERS: MapLayer[] = ['records', 'disruptions', 'places'];

export const load: PageServerLoad = async (event) => {
  const lang = getLocale();
  const params = event.url.searchParams;
  // The layer checkboxes: a submitted form (`f`) says which are on, even none; a bare address shows them all.
  const layers: MapLayer[] = params.has('f')
    ? MAP_LAYERS.filter((l) => params.getAll('layer').includes(l))
    : [...MAP_LAYERS];
  const category = params.get('category')?.trim() || undefined;
  const query = (extra: Record<string, string>) =>
    new URLSearchParams({ lang, ...(category ? { category } : {}), ...extra }).toString();

  let invalid = false;
  let summary = await callApi<MapSummary>(event, 'GET', `/public/map/summary?${query({})}`);
  if (!summary.ok && summary.status === 422 && category) {
    invalid = true;
    summary = await callApi<MapSummary>(event, 'GET', `/public/map/summary?lang=${lang}`);
  }
  if (!summary.ok) throw new Error(`map summary: ${summary.status}`);
  const svgQuery = invalid
    ? new URLSearchParams({ lang, layers: layers.join(',') })
    : query({ layers: layers.join(',') });
  const svg = await event.fetch(`/api/public/map/static.svg?${svgQuery}`);
  if (!svg.ok) throw new Error(`static map: ${svg.status}`);

  return {
    summary: summary.data,
    svg: await svg.text(),
    layers,
    category: invalid ? null : (category ?? null),
    invalid,
  };
};
