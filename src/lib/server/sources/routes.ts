import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreateSourceSchema,
  GradeSchema,
  LinkSourceRecordSchema,
  RecordSourceListSchema,
  SourceIdParamSchema,
  SourceListSchema,
  SourceQuerySchema,
  SourceRecordParamSchema,
  SourceSchema,
  UnlinkQuerySchema,
  UpdateSourceSchema,
} from './schema.js';
import type { SourcesService } from './service.js';

export function sourcesRoutes(service: SourcesService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/sources',
      tags: ['Sources'],
      summary: 'Sources by type, grading, language or a word of the title; newest first',
      'x-permission': 'register:read',
      request: { query: SourceQuerySchema },
      responses: { 200: json(SourceListSchema, 'A page of sources'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.list(c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'One source, with its links to the records the caller may see',
      'x-permission': 'register:read',
      request: { params: SourceIdParamSchema },
      responses: { 200: json(SourceSchema, 'The source'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id, c.var.actor), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/sources',
      tags: ['Sources'],
      summary: 'Register a source (ungraded)',
      'x-permission': 'sources:write',
      request: body(CreateSourceSchema),
      responses: { 201: json(SourceSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor).userId), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: "Change a source's description (not its grade)",
      'x-permission': 'sources:write',
      request: { params: SourceIdParamSchema, ...body(UpdateSourceSchema) },
      responses: { 200: json(SourceSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'Delete a source that is linked to no record',
      'x-permission': 'sources:write',
      request: { params: SourceIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor).userId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/sources/{id}/grade',
      tags: ['Sources'],
      summary: 'Grade a source on the Admiralty scale: reliability A–F, credibility 1–6',
      'x-permission': 'sources:grade',
      request: { params: SourceIdParamSchema, ...body(GradeSchema) },
      responses: { 200: json(SourceSchema, 'Graded'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.grade(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/sources/{id}/records',
      tags: ['Sources'],
      summary: 'Say that the source supports or contradicts a record, quoting the claim (404 for a record not visible)',
      'x-permission': 'sources:write',
      request: { params: SourceIdParamSchema, ...body(LinkSourceRecordSchema) },
      responses: { 201: json(SourceSchema, 'Linked'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.linkRecord(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/sources/{id}/records/{recordId}',
      tags: ['Sources'],
      summary: 'Remove the links between the source and a record',
      'x-permission': 'sources:write',
      request: { params: SourceRecordParamSchema, query: UnlinkQuerySchema },
      responses: { 204: { description: 'Unlinked' }, ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, recordId } = c.req.valid('param');
      await service.unlinkRecord(id, recordId, c.req.valid('query').relation, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/records/{id}/sources',
      tags: ['Sources'],
      summary: 'The sources that support or contradict a record, with the claims quoted (404 for a record not visible)',
      'x-permission': 'register:read',
      request: { params: SourceIdParamSchema },
      responses: { 200: json(RecordSourceListSchema, 'Linked sources'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json({ items: await service.ofRecord(c.req.valid('param').id, c.var.actor) }, 200),
  );

  return router;
}
