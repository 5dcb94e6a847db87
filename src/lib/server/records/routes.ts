import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  AccessSchema,
  CreateRecordSchema,
  DiffQuerySchema,
  DiffSchema,
  PublicRecordListSchema,
  PublicRecordQuerySchema,
  PublicRecordSchema,
  PublicTimelineQuerySchema,
  PublicTimelineSchema,
  RecordIdParamSchema,
  RecordListSchema,
  RecordQuerySchema,
  RecordSchema,
  RevisionListSchema,
  RevisionParamSchema,
  RevisionSchema,
  TransitionSchema,
  UpdateHeadersSchema,
  UpdateRecordSchema,
} from './schema.js';
import type { RecordsService } from './service.js';

/**
 * Staff routes need `register:read` to read and `records:write` to write; what a caller sees is further narrowed by
 * the service's visibility rule (a restricted record they may not see is 404). The public routes serve published,
 * public records only, with public-safe fields.
 */
export function recordsRoutes(service: RecordsService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records',
      tags: ['Records'],
      summary: 'Records the caller may see: full-text search, filters, facet counts and snippets; by relevance or date',
      'x-permission': 'register:read',
      request: { query: RecordQuerySchema },
      responses: { 200: json(RecordListSchema, 'A page of records'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.list(c.var.actor, c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/records',
      tags: ['Records'],
      summary: 'Create a record, as a draft, with a new code V-YYYY-NNNN',
      'x-permission': 'records:write',
      request: body(CreateRecordSchema),
      responses: { 201: json(RecordSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records/{id}',
      tags: ['Records'],
      summary: 'One record, with its verification history',
      'x-permission': 'register:read',
      request: { params: RecordIdParamSchema },
      responses: { 200: json(RecordSchema, 'The record'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.get(requireActor(c.var.actor), c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/records/{id}',
      tags: ['Records'],
      summary: 'Change a record against the version read (body `version` or If-Match); 409 `stale` if it moved on',
      'x-permission': 'records:write',
      request: { params: RecordIdParamSchema, headers: UpdateHeadersSchema, ...body(UpdateRecordSchema) },
      responses: { 200: json(RecordSchema, 'Updated'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(
        await service.update(
          c.req.valid('param').id,
          c.req.valid('json'),
          requireActor(c.var.actor),
          c.req.valid('header')['if-match'],
        ),
        200,
      ),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/records/{id}/transitions',
      tags: ['Records'],
      summary:
        'Move a record through the workflow: draft → in-review → approved → published → unpublished (with a reason), ' +
        'back to draft. Publishing needs a reviewer who is not the author (403 `four-eyes`)',
      'x-permission': 'records:write',
      request: { params: RecordIdParamSchema, ...body(TransitionSchema) },
      responses: { 200: json(RecordSchema, 'Moved'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.transition(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'put',
      path: '/records/{id}/access',
      tags: ['Records'],
      summary: 'Name the users and groups who may see the record when restricted (its author or an admin)',
      'x-permission': 'records:write',
      request: { params: RecordIdParamSchema, ...body(AccessSchema) },
      responses: { 200: json(AccessSchema, 'The named users and groups'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.setAccess(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/records/{id}',
      tags: ['Records'],
      summary: 'Delete a record that was never published (its author, a reviewer or an admin)',
      'x-permission': 'records:write',
      request: { params: RecordIdParamSchema, headers: UpdateHeadersSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor), c.req.valid('header')['if-match']);
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records/{id}/revisions',
      tags: ['Records'],
      summary: 'The record’s revisions, oldest first',
      'x-permission': 'register:read',
      request: { params: RecordIdParamSchema },
      responses: { 200: json(RevisionListSchema, 'Revisions'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json({ items: await service.revisions(c.var.actor, c.req.valid('param').id) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records/{id}/revisions/{rev}',
      tags: ['Records'],
      summary: 'One revision with its full snapshot',
      'x-permission': 'register:read',
      request: { params: RevisionParamSchema },
      responses: { 200: json(RevisionSchema, 'The revision'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, rev } = c.req.valid('param');
      return c.json(await service.revision(c.var.actor, id, rev), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/records/{id}/revisions/{rev}/restore',
      tags: ['Records'],
      summary: 'Restore a revision’s content as a new revision (workflow state, verification and confidentiality stay)',
      'x-permission': 'records:write',
      request: { params: RevisionParamSchema },
      responses: { 200: json(RecordSchema, 'Restored'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { id, rev } = c.req.valid('param');
      return c.json(await service.restore(id, rev, requireActor(c.var.actor)), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records/{id}/diff',
      tags: ['Records'],
      summary: 'Field-by-field differences between two revisions',
      'x-permission': 'register:read',
      request: { params: RecordIdParamSchema, query: DiffQuerySchema },
      responses: { 200: json(DiffSchema, 'The changes'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      return c.json(await service.diff(c.var.actor, c.req.valid('param').id, from, to), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/records',
      tags: ['Records'],
      summary: 'Published, public records, with public-safe fields only',
      'x-permission': 'public',
      request: { query: PublicRecordQuerySchema },
      responses: { 200: json(PublicRecordListSchema, 'A page of records'), ...problemResponses(422) },
    }),
    async (c) => c.json(await service.publicList(c.req.valid('query')), 200),
  );

  // Before /public/records/{id}, which would otherwise take `timeline` for an id.
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/records/timeline',
      tags: ['Records'],
      summary: 'Published, public records per month of their start, with counts; by category, right, place and year',
      'x-permission': 'public',
      request: { query: PublicTimelineQuerySchema },
      responses: { 200: json(PublicTimelineSchema, 'The timeline'), ...problemResponses(422) },
    }),
    async (c) => c.json(await service.publicTimeline(c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/records/{id}',
      tags: ['Records'],
      summary: 'One published, public record, with public-safe fields only',
      'x-permission': 'public',
      request: { params: RecordIdParamSchema },
      responses: { 200: json(PublicRecordSchema, 'The record'), ...problemResponses(404, 422) },
    }),
    async (c) => c.json(await service.publicGet(c.req.valid('param').id), 200),
  );

  return router;
}
