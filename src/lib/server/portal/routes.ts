import { createRouter, defineRoute } from '../http/router.js';
import { HighlightPageSchema, PressContactSchema } from './schema.js';
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
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/portal/contact',
      tags: ['Portal'],
      summary: "The press desk's address as the operator configured it (CORRIDOR_PRESS_EMAIL); null when not set",
      'x-permission': 'public',
      responses: {
        200: { description: 'The contact', content: { 'application/json': { schema: PressContactSchema } } },
      },
    }),
    (c) => {
      // Short public caching: a mirror or a 2G reader need not ask again for each page, and a change shows soon.
      c.header('cache-control', 'public, max-age=300');
      return c.json(portal.pressContact(), 200);
    },
  );
  return router;
}
