import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import { CreateGroupSchema, GroupIdParamSchema, GroupListSchema, GroupSchema, UpdateGroupSchema } from './schema.js';
import type { GroupsService } from './service.js';

export function groupsRoutes(service: GroupsService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/groups',
      tags: ['Groups'],
      summary: 'Groups of accounts and their members, by name',
      'x-permission': 'groups:read',
      responses: { 200: json(GroupListSchema, 'Groups'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.list() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/groups/{id}',
      tags: ['Groups'],
      summary: 'One group and its members',
      'x-permission': 'groups:read',
      request: { params: GroupIdParamSchema },
      responses: { 200: json(GroupSchema, 'The group'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/groups',
      tags: ['Groups'],
      summary: 'Create a group',
      'x-permission': 'users:manage',
      request: body(CreateGroupSchema),
      responses: { 201: json(GroupSchema, 'Created'), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/groups/{id}',
      tags: ['Groups'],
      summary: 'Rename a group, or replace its members',
      'x-permission': 'users:manage',
      request: { params: GroupIdParamSchema, ...body(UpdateGroupSchema) },
      responses: { 200: json(GroupSchema, 'Updated'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/groups/{id}',
      tags: ['Groups'],
      summary: 'Delete a group; records that named it keep their author and named users only',
      'x-permission': 'users:manage',
      request: { params: GroupIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  return router;
}
