import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { PhotoSummary } from '$lib/server/photos/index.js';
import type { PlaceSummary } from '$lib/server/places/index.js';
import { apiGet } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 24;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
  const user = event.locals.user;
  const granted = user && !user.pendingSecondFactor ? ROLE_PERMISSIONS[user.role] : [];
  if (!granted.includes('photos:read')) error(403, { message: m.error_forbidden() });
  const p = event.url.searchParams;
  const filters: Record<string, string> = {};
  for (const [name, max] of [
    ['q', 200],
    ['place', 100],
    ['tag', 50],
    ['record', 100],
  ] as const) {
    const v = p.get(name)?.trim();
    if (v) filters[name] = v.slice(0, max);
  }
  for (const name of ['from', 'to']) if (DAY.test(p.get(name) ?? '')) filters[name] = p.get(name)!;
  if (['draft', 'published', 'unpublished'].includes(p.get('status') ?? '')) filters.status = p.get('status')!;
  const offset = Math.max(0, Math.floor(Number(p.get('offset')) || 0));
  const [list, places] = await Promise.all([
    apiGet<{ items: PhotoSummary[]; nextOffset: number | null }>(
      event,
      `/photos?${new URLSearchParams({ ...filters, limit: String(PAGE_SIZE), offset: String(offset) })}`,
    ),
    granted.includes('register:read')
      ? apiGet<{ items: PlaceSummary[] }>(event, '/places?limit=500')
      : Promise.resolve({ items: [] as PlaceSummary[] }),
  ]);
  return {
    items: list.items,
    nextOffset: list.nextOffset,
    filters,
    places: places.items.map((pl) => ({ value: pl.id, label: pl.name })),
  };
};
