import { allows } from '../http/access.js';
import { problemResponses, problems } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreateRightSchema,
  RightDetailSchema,
  RightIdParamSchema,
  RightSchema,
  RightTreeQuerySchema,
  RightTreeSchema,
  UpdateRightSchema,
} from './schema.js';
import type { RightsService } from './service.js';

export function rightsRoutes(service: RightsService) {
  const router = createRouter();

  // Reads are public: the taxonomy names rights and cites treaties, nothing about any person or record.
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/rights',
      tags: ['Rights'],
      summary:
        'The rights taxonomy: categories with their rights. Retired nodes only for taxonomy managers, on request',
      'x-permission': 'public',
      request: { query: RightTreeQuerySchema },
      responses: { 200: json(RightTreeSchema, 'The tree'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => {
      const includeRetired = c.req.valid('query').includeRetired === 'true';
      if (includeRetired && !allows(c.var.actor, 'taxonomy:manage'))
        throw c.var.actor
          ? problems.forbidden('Only taxonomy managers can list retired nodes.')
          : problems.unauthenticated('Sign in as a taxonomy manager to list retired nodes.');
      return c.json({ items: await service.tree({ includeRetired }) }, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/rights/{id}',
      tags: ['Rights'],
      summary: 'One category or right (with retiredAt set if retired), and a category’s rights',
      'x-permission': 'public',
      request: { params: RightIdParamSchema },
      responses: { 200: json(RightDetailSchema, 'The node'), ...problemResponses(404, 422) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/rights',
      tags: ['Rights'],
      summary: 'Add a category, or a right under a category',
      'x-permission': 'taxonomy:manage',
      request: body(CreateRightSchema),
      responses: { 201: json(RightSchema, 'Created'), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor).userId), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/rights/{id}',
      tags: ['Rights'],
      summary: 'Rename, recode, re-cite, reorder, move a right to another category, retire or bring back a node',
      'x-permission': 'taxonomy:manage',
      request: { params: RightIdParamSchema, ...body(UpdateRightSchema) },
      responses: { 200: json(RightSchema, 'Updated'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor).userId), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/rights/{id}',
      tags: ['Rights'],
      summary: 'Delete a node that holds no rights and that no record uses (otherwise retire it)',
      'x-permission': 'taxonomy:manage',
      request: { params: RightIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor).userId);
      return c.body(null, 204);
    },
  );

  return router;
}
