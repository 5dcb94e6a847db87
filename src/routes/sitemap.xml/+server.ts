import { error } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { collectPublicPages } from '$lib/server/mirror/public-pages.js';
import { buildSitemap, buildSitemapIndex, liveLocator, PAGES_PER_SITEMAP } from '$lib/server/mirror/sitemap.js';
import type { RequestHandler } from './$types';

/**
 * The portal's pages in en, fr, hy and ru, each with its hreflang alternates; above 12,500 pages a sitemap index
 * naming `?part=1`, `?part=2`, …. What it lists comes from the public API, asked without the reader's cookies, so a
 * signed-in reader's sitemap names nothing more than anyone else's.
 */
export const GET: RequestHandler = async (event) => {
  const { platform, config } = await getRuntime();
  const origin = (config.publicUrl ?? event.url.origin).replace(/\/+$/, '');
  const clientIp = event.getClientAddress();
  const pages = await collectPublicPages(async <T>(path: string) => {
    const res = await platform.api.fetch(
      new Request(`${event.url.origin}/api${path}`, { headers: { accept: 'application/json' } }),
      { clientIp },
    );
    return res.ok ? ((await res.json()) as T) : null;
  });
  const parts = Math.max(1, Math.ceil(pages.length / PAGES_PER_SITEMAP));
  const part = event.url.searchParams.get('part');
  let xml: string;
  if (part === null && parts === 1) xml = buildSitemap(pages, liveLocator(origin)).xml;
  else if (part === null)
    xml = buildSitemapIndex(Array.from({ length: parts }, (_, i) => `${origin}/sitemap.xml?part=${i + 1}`));
  else {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > parts) error(404, 'No such sitemap part');
    xml = buildSitemap(pages.slice((n - 1) * PAGES_PER_SITEMAP, n * PAGES_PER_SITEMAP), liveLocator(origin)).xml;
  }
  return new Response(xml, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
};
