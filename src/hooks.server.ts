import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getRuntime } from '$lib/server/runtime';

export const init: ServerInit = async () => {
  await getRuntime();
};

/** /api/* goes to Hono in-process; a load function's event.fetch('/api/…') never touches the network. */
const api: Handle = async ({ event, resolve }) => {
  const { pathname } = event.url;
  if (pathname === '/api' || pathname.startsWith('/api/')) {
    const { platform } = await getRuntime();
    return platform.api.fetch(event.request, { clientIp: event.getClientAddress() });
  }
  return resolve(event);
};

export const handle: Handle = sequence(api);
