import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreateSavedSearchSchema,
  SavedSearchIdParamSchema,
  SavedSearchListSchema,
  SavedSearchSchema,
} from './schema.js';
import type { SavedSearchesService } from './service.js';

/** Saved record searches: register readers keep their own; running one is opening /workspace/records?<params>. */
export function savedSearchesRoutes(service: SavedSearchesService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/saved-searches',
      tags: ['Search'],
      summary: 'The caller’s saved record searches, newest first',
      'x-permission': 'register:read',
      responses: { 200: json(SavedSearchListSchema, 'Saved searches'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.list(requireActor(c.var.actor)) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/saved-searches',
      tags: ['Search'],
      summary: 'Save a record search (the query string of GET /api/records) under a name',
      'x-permission': 'register:read',
      request: body(CreateSavedSearchSchema),
      responses: { 201: json(SavedSearchSchema, 'Saved'), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/saved-searches/{id}',
      tags: ['Search'],
      summary: 'Delete one of the caller’s saved searches',
      'x-permission': 'register:read',
      request: { params: SavedSearchIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  return router;
}
