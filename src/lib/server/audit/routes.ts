import { createRouter, defineRoute } from '../http/router.js';
import { problemResponses } from '../http/problem.js';
import { AuditPageSchema, AuditQuerySchema, AuditVerifySchema } from './schema.js';
import type { AuditLog } from './service.js';

export function auditRoutes(audit: AuditLog) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/audit',
      tags: ['Audit'],
      summary: 'Browse the audit log, newest first',
      'x-permission': 'audit:read',
      request: { query: AuditQuerySchema },
      responses: {
        200: { description: 'A page of entries', content: { 'application/json': { schema: AuditPageSchema } } },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await audit.list(q);
      const nextBefore = items.length === q.limit ? (items.at(-1)?.seq ?? null) : null;
      return c.json({ items, nextBefore }, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/audit/verify',
      tags: ['Audit'],
      summary: 'Verify the whole audit chain',
      'x-permission': 'audit:read',
      responses: {
        200: { description: 'Result of the walk', content: { 'application/json': { schema: AuditVerifySchema } } },
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json(await audit.verify(), 200),
  );

  return router;
}
