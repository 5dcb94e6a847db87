import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreatePersonSchema,
  PersonAccessListSchema,
  PersonAccessSchema,
  PersonIdentitySchema,
  PersonIdParamSchema,
  PersonListSchema,
  PersonSchema,
  UpdatePersonSchema,
} from './schema.js';
import type { PeopleService } from './service.js';

export function peopleRoutes(service: PeopleService) {
  const router = createRouter();
  const tags = ['People'];

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/people',
      tags,
      summary: 'Protected persons, by pseudonym; never their identity',
      'x-permission': 'people:read',
      responses: { 200: json(PersonListSchema, 'The registry'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.list(requireActor(c.var.actor)) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/people',
      tags,
      summary: 'Register a protected person: the identity is encrypted at once; the creator may read it',
      'x-permission': 'people:write',
      request: body(CreatePersonSchema),
      responses: { 201: json(PersonSchema, 'Registered'), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/people/{id}',
      tags,
      summary: 'One protected person, by pseudonym',
      'x-permission': 'people:read',
      request: { params: PersonIdParamSchema },
      responses: { 200: json(PersonSchema, 'The person'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id, requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/people/{id}',
      tags,
      summary: 'Change the pseudonym, roles or identity (identity and pseudonym: only with access to the identity)',
      'x-permission': 'people:write',
      request: { params: PersonIdParamSchema, ...body(UpdatePersonSchema) },
      responses: { 200: json(PersonSchema, 'Changed'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/people/{id}/identity',
      tags,
      summary: 'The real identity, decrypted for a user granted access; every read goes to the audit chain',
      'x-permission': 'people:read',
      request: { params: PersonIdParamSchema },
      responses: { 200: json(PersonIdentitySchema, 'The identity'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const identity = await service.identity(c.req.valid('param').id, requireActor(c.var.actor));
      c.header('cache-control', 'no-store');
      return c.json(identity, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/people/{id}/access',
      tags,
      summary: 'Who may read the identity (only for those who may)',
      'x-permission': 'people:read',
      request: { params: PersonIdParamSchema },
      responses: { 200: json(PersonAccessListSchema, 'User ids'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json({ userIds: await service.access(c.req.valid('param').id, requireActor(c.var.actor)) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'put',
      path: '/people/{id}/access',
      tags,
      summary: 'Replace who may read the identity; only someone who has access can grant it',
      'x-permission': 'people:write',
      request: { params: PersonIdParamSchema, ...body(PersonAccessSchema) },
      responses: { 200: json(PersonAccessListSchema, 'User ids'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(
        {
          userIds: await service.setAccess(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)),
        },
        200,
      ),
  );

  return router;
}
