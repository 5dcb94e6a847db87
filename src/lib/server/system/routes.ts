import { z } from '@hono/zod-openapi';
import { createRouter, defineRoute } from '../http/router.js';

export const HealthSchema = z
  .object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']), version: z.string() })
  .openapi('Health');

export function systemRoutes(deps: { version: string; dbName: 'sqlite' | 'postgres'; ping: () => Promise<void> }) {
  const router = createRouter();
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/health',
      tags: ['System'],
      summary: 'Liveness and database reachability',
      'x-permission': 'public',
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: HealthSchema } } } },
    }),
    async (c) => {
      await deps.ping();
      return c.json({ status: 'ok' as const, db: deps.dbName, version: deps.version }, 200);
    },
  );
  return router;
}
