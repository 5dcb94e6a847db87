import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import type { Actor } from './access.js';
import { createApi } from './app.js';
import { Problem, problemResponses } from './problem.js';
import { createRouter, defineRoute } from './router.js';

const editor: Actor = { userId: 'u-editor', role: 'admin', via: 'token', pendingSecondFactor: false };

function buildApp(actor: Actor | null = null) {
  const router = createRouter();
  router.openapi(
    defineRoute({
      method: 'post',
      path: '/things',
      'x-permission': 'public',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ name: z.string().min(3), count: z.number().int() }) } },
        },
      },
      responses: { 201: { description: 'Created' }, ...problemResponses(409, 422) },
    }),
    (c) => {
      const body = c.req.valid('json');
      if (body.name === 'duplicate') throw Object.assign(new Error('UNIQUE'), { code: 'TEST_UNIQUE' });
      if (body.name === 'explode') throw new Error('secret internals /srv/db password=hunter2');
      return c.json({ ok: true }, 201);
    },
  );
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/admin-only',
      'x-permission': 'users:manage',
      responses: { 200: { description: 'OK' } },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  // Registered without a declared permission: must be closed to everyone.
  router.get('/undeclared', (c) => c.json({ leaked: true }));
  return createApi({
    logger: createLogger('silent'),
    version: 'test',
    authenticate: () => Promise.resolve(actor),
    classifyError: (err) =>
      (err as { code?: string }).code === 'TEST_UNIQUE' ? new Problem(409, 'conflict', 'exists') : undefined,
    modules: [{ router }],
    maxBodyBytes: 1024,
  });
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: 'http://localhost' },
  body: JSON.stringify(body),
});

describe('API core', () => {
  it('answers validation errors as problem+json with field paths', async () => {
    const res = await buildApp().request('/api/things', json({ name: 'x', count: 'many' }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { type: string; errors: { path: string }[] };
    expect(body.type).toBe('urn:corridor:problem:validation');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['count', 'name']);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await buildApp().request('/api/things', { ...json({}), body: '{"name":' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers unknown routes with 404 problem', async () => {
    const res = await buildApp().request('/api/nowhere');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { status: number }).status).toBe(404);
  });

  it('answers oversized bodies with 413', async () => {
    const res = await buildApp().request('/api/things', json({ name: 'x'.repeat(5000), count: 1 }));
    expect(res.status).toBe(413);
  });

  it('maps constraint conflicts to 409', async () => {
    const res = await buildApp().request('/api/things', json({ name: 'duplicate', count: 1 }));
    expect(res.status).toBe(409);
  });

  it('never sends internals of an unexpected error to the client', async () => {
    const res = await buildApp().request('/api/things', json({ name: 'explode', count: 1 }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('/srv/db');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('denies a route that declares no permission, even to an admin', async () => {
    const res = await buildApp(editor).request('/api/undeclared');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('leaked');
  });

  it('asks signed-out callers to authenticate and refuses the wrong role', async () => {
    expect((await buildApp().request('/api/admin-only')).status).toBe(401);
    const documenter: Actor = { ...editor, role: 'documenter' };
    expect((await buildApp(documenter).request('/api/admin-only')).status).toBe(403);
    expect((await buildApp(editor).request('/api/admin-only')).status).toBe(200);
  });

  it('refuses a cross-site unsafe request without a token', async () => {
    const res = await buildApp().request('/api/things', {
      ...json({ name: 'fine', count: 1 }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { type: string }).type).toBe('urn:corridor:problem:csrf');
  });

  it('sets secure headers', async () => {
    const res = await buildApp().request('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('publishes each route permission in the OpenAPI document and a readable reference', async () => {
    const doc = (await (await buildApp().request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-permission'?: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/admin-only']?.get?.['x-permission']).toBe('users:manage');
    const html = await (await buildApp().request('/api/docs')).text();
    expect(html).toContain('/api/admin-only');
    expect(html).toContain('users:manage');
  });
});
