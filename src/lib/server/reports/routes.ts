import { z } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  BuildEditionSchema,
  CardQuerySchema,
  LiveCardQuerySchema,
  CreateReportSchema,
  EditionSchema,
  IdParamSchema,
  PublicEditionListSchema,
  PublicEditionQuerySchema,
  PublicEditionSchema,
  ReportListSchema,
  ReportSchema,
  UpdateReportSchema,
} from './schema.js';
import type { ReportsService } from './service.js';

const binary = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } },
});

/** A published edition never changes: its files can be cached for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function reportsRoutes(service: ReportsService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/reports',
      tags: ['Reports'],
      summary: 'Reports, each with its editions (every status), newest first',
      'x-permission': 'register:read',
      responses: { 200: json(ReportListSchema, 'The reports'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.list() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/reports',
      tags: ['Reports'],
      summary: 'Create a report: its title in language variants, the records its editions show',
      'x-permission': 'reports:write',
      request: body(CreateReportSchema),
      responses: { 201: json(ReportSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/reports/{id}',
      tags: ['Reports'],
      summary: 'One report with its editions',
      'x-permission': 'register:read',
      request: { params: IdParamSchema },
      responses: { 200: json(ReportSchema, 'The report'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/reports/{id}',
      tags: ['Reports'],
      summary: 'Change a report (future editions only: built editions keep what they were built from)',
      'x-permission': 'reports:write',
      request: { params: IdParamSchema, ...body(UpdateReportSchema) },
      responses: { 200: json(ReportSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/reports/{id}',
      tags: ['Reports'],
      summary: 'Delete a report that never published an edition',
      'x-permission': 'reports:write',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/reports/{id}/editions',
      tags: ['Reports'],
      summary: 'Build a draft edition as of a date in a language (in the background: poll the edition for progress)',
      'x-permission': 'reports:write',
      request: { params: IdParamSchema, ...body(BuildEditionSchema) },
      responses: {
        202: json(EditionSchema, 'Building: status `building`, progress in percent'),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const edition = await service.build(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor));
      return c.json(edition, 202, { location: `/api/editions/${edition.id}` });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/editions/{id}',
      tags: ['Reports'],
      summary: 'One edition in any status: its progress while building, its content once built',
      'x-permission': 'register:read',
      request: { params: IdParamSchema },
      responses: { 200: json(EditionSchema, 'The edition'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.edition(c.req.valid('param').id, 'staff'), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/editions/{id}/publish',
      tags: ['Reports'],
      summary: 'Publish a draft edition as previewed; it is frozen from then on',
      'x-permission': 'reports:publish',
      request: { params: IdParamSchema },
      responses: { 200: json(EditionSchema, 'Published'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.publish(c.req.valid('param').id, requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/editions/{id}',
      tags: ['Reports'],
      summary: 'Delete a draft or failed edition (a published one stays for good: 409)',
      'x-permission': 'reports:write',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.deleteEdition(c.req.valid('param').id, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/editions/{id}/pdf',
      tags: ['Reports'],
      summary: "An edition's PDF, drafts included",
      'x-permission': 'register:read',
      request: { params: IdParamSchema },
      responses: { 200: binary('application/pdf', 'The PDF'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const pdf = await service.pdf(c.req.valid('param').id, 'staff');
      return c.body(new Uint8Array(pdf.body), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${pdf.filename}"`,
        'cache-control': 'private, no-cache',
        etag: `"${pdf.sha256}"`,
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/editions/{id}/card',
      tags: ['Reports'],
      summary: "A share card of one of an edition's figures, drafts included (PNG or SVG, 1200×630)",
      'x-permission': 'register:read',
      request: { params: IdParamSchema, query: CardQuerySchema },
      responses: {
        200: {
          description: 'The card',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const card = await service.card(c.req.valid('param').id, c.req.valid('query'), 'staff');
      return c.body(new Uint8Array(card.body), 200, {
        'content-type': card.contentType,
        'cache-control': 'private, no-cache',
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/editions',
      tags: ['Reports'],
      summary: 'Published editions, newest first (older ones stay listed, marked as superseded)',
      'x-permission': 'public',
      request: { query: PublicEditionQuerySchema },
      responses: { 200: json(PublicEditionListSchema, 'Published editions'), ...problemResponses(422) },
    }),
    async (c) => c.json(await service.published(c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/editions/{id}',
      tags: ['Reports'],
      summary: 'A published edition with its frozen content (404 for anything not published)',
      'x-permission': 'public',
      request: { params: IdParamSchema },
      responses: { 200: json(PublicEditionSchema, 'The edition'), ...problemResponses(404) },
    }),
    async (c) => {
      const {
        failure: _f,
        stage: _s,
        progress: _p,
        ...edition
      } = await service.edition(c.req.valid('param').id, 'public');
      return c.json(edition, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/editions/{id}/pdf',
      tags: ['Reports'],
      summary: "A published edition's PDF",
      'x-permission': 'public',
      request: { params: IdParamSchema },
      responses: { 200: binary('application/pdf', 'The PDF'), ...problemResponses(404) },
    }),
    async (c) => {
      const pdf = await service.pdf(c.req.valid('param').id, 'public');
      return c.body(new Uint8Array(pdf.body), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${pdf.filename}"`,
        'cache-control': IMMUTABLE,
        etag: `"${pdf.sha256}"`,
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/editions/{id}/card',
      tags: ['Reports'],
      summary: "A share card of a published edition's figure (the OpenGraph image of its page)",
      'x-permission': 'public',
      request: { params: IdParamSchema, query: CardQuerySchema },
      responses: {
        200: {
          description: 'The card',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problemResponses(404, 422),
      },
    }),
    async (c) => {
      const card = await service.card(c.req.valid('param').id, c.req.valid('query'), 'public');
      return c.body(new Uint8Array(card.body), 200, { 'content-type': card.contentType, 'cache-control': IMMUTABLE });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/cards/live',
      tags: ['Reports'],
      summary: "A share card of today's figure (day counter, days without a service, an indicator, a key figure)",
      'x-permission': 'public',
      request: { query: LiveCardQuerySchema },
      responses: {
        200: {
          description: 'The card',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problemResponses(404, 422),
      },
    }),
    async (c) => {
      const card = await service.liveCard(c.req.valid('query'));
      // Today's figure: it changes at midnight in the crisis zone, and with every new entry.
      return c.body(new Uint8Array(card.body), 200, {
        'content-type': card.contentType,
        'cache-control': 'public, max-age=300',
      });
    },
  );

  return router;
}
