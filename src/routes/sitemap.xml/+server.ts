import { getRuntime } from '$lib/server/runtime';
import { collectPublicPages } from '$lib/server/mirror/public-pages.js';
import { buildSitemap, liveLocator } from '$lib/server/mirror/sitemap.js';
import type { RequestHandler } from './$types';

/**
 * The portal's pages in en, fr, hy and ru, each with its hreflang alternates. What it lists comes from the public API,
 * asked without the reader's cookies, so a signed-in reader's sitemap names nothing more than anyone else's.
 */
export const GET: RequestHandler = async (event) => {
  const { platform, config } = await getRuntime();
  const origin = siteOrigin(config.publicUrl, event.url.origin);
  const clientIp = event.getClientAddress();
  const pages = await collectPublicPages(async <T>(path: string) => {
    const res = await platform.api.fetch(
      new Request(`${event.url.origin}/api${path}`, { headers: { accept: 'application/json' } }),
      { clientIp },
    );
    return res.ok ? ((await res.json()) as T) : null;
  });
  const { xml } = buildSitemap(pages, liveLocator(origin));
  return new Response(xml, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
};

/** The configured public address when there is one (behind a proxy the request's own may be an internal name). */
function siteOrigin(publicUrl: string | undefined, requestOrigin: string): string {
  return (publicUrl ?? requestOrigin).replace(/\/+$/, '');
}
