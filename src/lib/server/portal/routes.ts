import { createRouter, defineRoute } from '../http/router.js';
import { HighlightPageSchema } from './schema.js';
import type { PortalService } from './service.js';

export function portalRoutes(portal: PortalService) {
  const router = createRouter();
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/portal/highlights',
      tags: ['Portal'],
      summary: 'Attributed highlights shown on the public home page, in every portal language',
      'x-permission': 'public',
      responses: {
        200: { description: 'The highlights', content: { 'application/json': { schema: HighlightPageSchema } } },
      },
    }),
    async (c) => c.json({ items: await portal.highlights() }, 200),
  );
  return router;
}
