import type { PublicRecordList } from '../records/index.js';
import { PUBLIC_SECTIONS, type SitemapPage } from './sitemap.js';

/** Reads a public API path (`/public/records?…`, without `/api`) as an anonymous reader; null when it failed. */
export type PublicGet = <T>(path: string) => Promise<T | null>;

/** Public records fetched per request; the API's maximum. */
const RECORD_PAGE = 200;
const PHOTO_PAGE = 100;
/** Pages listed at most: 40 sitemap files of 12,500 pages; far beyond any register we know of. */
const MAX_PAGES = 500_000;

/**
 * Every public page of the portal: the sections, then each published public record, published report edition,
 * public photo and public story, read through the public API only, so that what it lists is exactly what an anonymous
 * reader may open. Detail pages are `/records/{id}`, `/reports/{id}`, `/photos/{id}` and `/stories/{id}`.
 */
export async function collectPublicPages(get: PublicGet): Promise<SitemapPage[]> {
  const pages: SitemapPage[] = PUBLIC_SECTIONS.map((path) => ({ path }));
  const add = (path: string, lastmod: string | null | undefined) => {
    if (pages.length < MAX_PAGES) pages.push({ path, lastmod });
  };

  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ sort: 'date', limit: String(RECORD_PAGE) });
    if (cursor) query.set('cursor', cursor);
    const page: PublicRecordList | null = await get<PublicRecordList>(`/public/records?${query}`);
    if (!page) break;
    for (const r of page.items) add(`/records/${encodeURIComponent(r.id)}`, r.publishedAt);
    cursor = page.nextCursor;
  } while (cursor && pages.length < MAX_PAGES);

  const editions = await get<{ items: { id: string; publishedAt: string | null }[] }>('/public/editions');
  for (const e of editions?.items ?? []) add(`/reports/${encodeURIComponent(e.id)}`, e.publishedAt);

  for (let offset: number | null = 0; offset !== null && pages.length < MAX_PAGES;) {
    const photos: { items: { id: string; publishedAt: string | null }[]; nextOffset: number | null } | null = await get(
      `/public/photos?limit=${PHOTO_PAGE}&offset=${offset}`,
    );
    for (const p of photos?.items ?? []) add(`/photos/${encodeURIComponent(p.id)}`, p.publishedAt);
    offset = photos?.nextOffset ?? null;
  }

  const stories = await get<{ items: { id: string; publishedAt: string }[] }>('/public/stories');
  for (const s of stories?.items ?? []) add(`/stories/${encodeURIComponent(s.id)}`, s.publishedAt);
  return pages;
}
