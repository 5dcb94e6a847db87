import type { z } from 'zod';
import type { PublicPhotoListSchema } from '$lib/server/photos/index.js';
import { apiGet } from '$lib/web/api.server';
import { cardOf } from './pictures.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 24;

function pageQuery(tag: string | null, offset: number): string {
  const q = new URLSearchParams();
  if (tag) q.set('tag', tag);
  if (offset > 0) q.set('offset', String(offset));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const load: PageServerLoad = async (event) => {
  const tag = event.url.searchParams.get('tag')?.trim().toLowerCase() || null;
  const offset = Math.max(0, Number.parseInt(event.url.searchParams.get('offset') ?? '0', 10) || 0);
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (tag) query.set('tag', tag.slice(0, 50));
  const list = await apiGet<z.infer<typeof PublicPhotoListSchema>>(event, `/public/photos?${query}`);
  return {
    tag,
    photos: list.items.map(cardOf),
    // The other pages' query strings, filter kept: plain links, so paging needs no script.
    previous: offset > 0 ? pageQuery(tag, Math.max(0, offset - PAGE_SIZE)) : null,
    next: list.nextOffset === null ? null : pageQuery(tag, list.nextOffset),
  };
};
