import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreatePlaceSchema,
  PlaceIdParamSchema,
  PlaceListSchema,
  PlaceQuerySchema,
  PlaceSchema,
  UpdatePlaceSchema,
} from './schema.js';
import type { PlacesService } from './service.js';

// Reads need `register:read` (staff), not `public`: see the permission's note in http/access.ts.
export function placesRoutes(service: PlacesService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/places',
      tags: ['Places'],
      summary: 'Find places by any of their names (word prefix, any script, ignoring case and accents), type or parent',
      'x-permission': 'register:read',
      request: { query: PlaceQuerySchema },
      responses: { 200: json(PlaceListSchema, 'Places, by preferred name'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json({ items: await service.list(c.req.valid('query')) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/places/{id}',
      tags: ['Places'],
      summary: 'One place with all its names, its geometry and its parent chain',
      'x-permission': 'register:read',
      request: { params: PlaceIdParamSchema },
      responses: { 200: json(PlaceSchema, 'The place'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/places',
      tags: ['Places'],
      summary: 'Add a place',
      'x-permission': 'places:write',
      request: body(CreatePlaceSchema),
      responses: { 201: json(PlaceSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor).userId), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/places/{id}',
      tags: ['Places'],
      summary: 'Change a place; alternative names, when given, replace the old ones all at once',
      'x-permission': 'places:write',
      request: { params: PlaceIdParamSchema, ...body(UpdatePlaceSchema) },
      responses: { 200: json(PlaceSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor).userId), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/places/{id}',
      tags: ['Places'],
      summary: 'Delete a place that no other place lies within',
      'x-permission': 'places:write',
      request: { params: PlaceIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor).userId);
      return c.body(null, 204);
    },
  );

  return router;
}
