import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './router.js';

/** Bodies worth hashing: text that the same request answers identically. Images, PDFs and archives set their own. */
const HASHABLE = /^(application\/([\w.+-]*\+)?(json|xml)|text\/|image\/svg\+xml)/;
/** A 304 carries what the 200 would have said about caching (RFC 9110 §15.4.5), and nothing else. */
const RETAINED_304 = ['cache-control', 'content-location', 'date', 'expires', 'vary'];

/** A weak validator from the body: weak because compression re-encodes the bytes after us. */
export function weakEtag(body: Uint8Array | string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/"x"` and `"x"` are the same tag here. */
export function etagMatches(etag: string, ifNoneMatch: string | null | undefined): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const tag = etag.replace(/^W\//, '');
  return (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).some((t) => t.replace(/^W\//, '') === tag);
}

/**
 * Caching for the API's GETs. An anonymous answer is the same for everyone who asks that URL (the access guard has
 * already refused what the public may not see), so it is `public, no-cache`: any cache may keep it, and must ask
 * again, which costs a 304 and no body thanks to the ETag. An answer to a signed-in caller or a token, or one that
 * sets a cookie, is `private, no-store`: it may hold what only that caller may see. A route that chose its own
 * Cache-Control (immutable report editions, the embeddable counter) keeps it.
 */
export function httpCaching(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return;
    const res = c.res;
    const credentials = !!c.req.header('authorization') || !!c.get('actor');
    const setsCookie = res.headers.getSetCookie().length > 0;
    if (credentials || setsCookie) {
      if (!res.headers.has('cache-control')) res.headers.set('cache-control', 'private, no-store');
      return;
    }
    if (res.status !== 200) return;
    if (!res.headers.has('cache-control')) res.headers.set('cache-control', 'public, no-cache');

    let etag = res.headers.get('etag');
    if (!etag) {
      const type = res.headers.get('content-type') ?? '';
      if (!HASHABLE.test(type) || res.headers.has('content-encoding') || !res.body) return;
      etag = weakEtag(new Uint8Array(await res.clone().arrayBuffer()));
      res.headers.set('etag', etag);
    }
    if (etagMatches(etag, c.req.header('if-none-match'))) {
      await res.body?.cancel();
      const headers = new Headers({ etag });
      for (const name of RETAINED_304) {
        const value = res.headers.get(name);
        if (value) headers.set(name, value);
      }
      // Assigning c.res would copy the 200's headers (length, type) onto the 304: replace it outright.
      c.res = undefined;
      c.res = new Response(null, { status: 304, headers });
    }
  };
}
