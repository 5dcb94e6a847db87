import { getRuntime } from '$lib/server/runtime';
import { buildRobots } from '$lib/server/mirror/sitemap.js';
import type { RequestHandler } from './$types';

/** Crawlers may read the portal and the public API; the workspace, sign-in and token pages are not for them. */
export const GET: RequestHandler = async (event) => {
  const { config } = await getRuntime();
  const origin = (config.publicUrl ?? event.url.origin).replace(/\/+$/, '');
  return new Response(buildRobots(`${origin}/sitemap.xml`), {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=86400' },
  });
};
