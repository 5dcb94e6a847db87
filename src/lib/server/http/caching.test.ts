import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import type { Actor } from './access.js';
import { createApi } from './app.js';
import { etagMatches, weakEtag } from './caching.js';
import { createRouter, defineRoute } from './router.js';

const reader: Actor = { userId: 'u-reader', role: 'journalist', via: 'session', pendingSecondFactor: false };

function buildApp(actor: Actor | null = null) {
  const router = createRouter();
  let counter = 0;
  const route = (path: string) =>
    defineRoute({ method: 'get', path, 'x-permission': 'public', responses: { 200: { description: 'OK' } } });
  router.openapi(route('/public/thing'), (c) => c.json({ name: 'thing', items: [1, 2, 3] }, 200));
  router.openapi(route('/public/changing'), (c) => c.json({ n: ++counter }, 200));
  router.openapi(route('/public/immutable'), (c) => {
    c.header('cache-control', 'public, max-age=31536000, immutable');
    return c.json({ edition: 1 }, 200);
  });
  router.openapi(route('/public/binary'), (c) =>
    c.body(new Uint8Array([0x25, 0x50, 0x44, 0x46]), 200, { 'content-type': 'application/pdf' }),
  );
  router.openapi(route('/public/cookie'), (c) => {
    c.header('set-cookie', 'seen=1; Path=/');
    return c.json({ ok: true }, 200);
  });
  return createApi({
    logger: createLogger('silent'),
    version: 'test',
    authenticate: () => Promise.resolve(actor),
    classifyError: () => undefined,
    modules: [{ router }],
  });
}

describe('API caching', () => {
  it('gives an anonymous public GET a weak ETag and public revalidation, and answers a match with a bodiless 304', async () => {
    const app = buildApp();
    const first = await app.request('/api/public/thing');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect(await first.json()).toEqual({ name: 'thing', items: [1, 2, 3] });

    const again = await app.request('/api/public/thing', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, no-cache');
    expect(again.headers.get('content-type')).toBeNull();
    // The security headers are still there on a 304.
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');

    // A strong form of the same tag, or a list containing it, matches too (weak comparison).
    const strong = etag!.replace(/^W\//, '');
    expect((await app.request('/api/public/thing', { headers: { 'if-none-match': `"x", ${strong}` } })).status).toBe(
      304,
    );
    expect((await app.request('/api/public/thing', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('changes the ETag when the body changes', async () => {
    const app = buildApp();
    const a = await app.request('/api/public/changing');
    const b = await app.request('/api/public/changing', { headers: { 'if-none-match': a.headers.get('etag')! } });
    expect(b.status).toBe(200);
    expect(b.headers.get('etag')).not.toBe(a.headers.get('etag'));
  });

  it('keeps a route’s own Cache-Control and leaves binary bodies unhashed', async () => {
    const app = buildApp();
    const immutable = await app.request('/api/public/immutable');
    expect(immutable.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(immutable.headers.get('etag')).toMatch(/^W\//);
    const pdf = await app.request('/api/public/binary');
    expect(pdf.headers.get('etag')).toBeNull();
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
  });

  it('never lets a shared cache keep an answer to a signed-in caller, a token or one that sets a cookie', async () => {
    const signedIn = await buildApp(reader).request('/api/public/thing');
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn.headers.get('etag')).toBeNull();

    const token = await buildApp().request('/api/public/thing', { headers: { authorization: 'Bearer nope' } });
    expect(token.headers.get('cache-control')).toBe('private, no-store');

    const cookie = await buildApp().request('/api/public/cookie');
    expect(cookie.headers.get('cache-control')).toBe('private, no-store');
    expect(cookie.headers.get('etag')).toBeNull();
  });

  it('does not cache errors or unsafe methods', async () => {
    const app = buildApp();
    const missing = await app.request('/api/public/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    expect(missing.headers.get('cache-control')).toBeNull();
  });
});

describe('ETag helpers', () => {
  it('compares weakly, with lists and *', () => {
    const tag = weakEtag('hello');
    expect(tag).toBe(weakEtag(new TextEncoder().encode('hello')));
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(tag, tag.slice(2))).toBe(true);
    expect(etagMatches(tag, `"a", ${tag}`)).toBe(true);
    expect(etagMatches(tag, '*')).toBe(true);
    expect(etagMatches(tag, '"a"')).toBe(false);
    expect(etagMatches(tag, null)).toBe(false);
  });
});
