import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Problem, problemResponses, problems } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import { PublicRecordSchema, RecordSchema } from '../records/index.js';
import type { ExportFile, ExportService } from './export.js';
import {
  CommitSchema,
  ExportQuerySchema,
  ImportJobSchema,
  JobIdParamSchema,
  PublicExportQuerySchema,
  UploadQuerySchema,
} from './schema.js';
import type { ImportService } from './service.js';

/** The upload streams its body itself (to disk, under its own size limit), past the API's general body limit. */
export const STREAMED_UPLOADS = ['POST /api/imports/records'];

const CSV_TYPES = /^(text\/csv|application\/csv|text\/plain|application\/octet-stream)\s*(;|$)/i;

/**
 * Import needs `records:import`, export `register:read`; what an export holds is further narrowed by the records
 * visibility rule. The public export is anyone's, and holds only what the public API shows. An import job is seen
 * only by whoever uploaded it.
 */
export function transferRoutes(imports: ImportService, exports: ExportService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/imports/records',
      tags: ['Import and export'],
      summary:
        'Upload a CSV file of records (streamed, UTF-8) and check it: a dry run that writes no record. With ' +
        'mode=all or mode=valid the import starts once the check is done',
      'x-permission': 'records:import',
      request: {
        query: UploadQuerySchema,
        body: {
          required: true,
          content: {
            'text/csv': { schema: z.string().openapi({ format: 'binary', description: 'See docs/import.md' }) },
          },
        },
      },
      responses: {
        201: json(ImportJobSchema, 'The checked file: counts, row errors and a preview'),
        ...problemResponses(401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const actor = requireActor(c.var.actor);
      if (!CSV_TYPES.test(c.req.header('content-type') ?? ''))
        throw new Problem(415, 'unsupported-media-type', 'Send the file as text/csv.');
      const raw = c.req.raw.body;
      if (!raw) throw problems.badRequest('The request has no body: send the CSV file.');
      const { mode, filename } = c.req.valid('query');
      const job = await imports.upload(actor, {
        filename: filename ?? 'upload.csv',
        body: Readable.fromWeb(raw as NodeReadableStream<Uint8Array>),
        mode,
      });
      return c.json(job, 201);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/imports/{id}',
      tags: ['Import and export'],
      summary: 'An import: its check, and its progress while it runs (poll this)',
      'x-permission': 'records:import',
      request: { params: JobIdParamSchema },
      responses: { 200: json(ImportJobSchema, 'The import'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await imports.get(requireActor(c.var.actor), c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/imports/{id}/commit',
      tags: ['Import and export'],
      summary:
        'Import a checked file, in the background: every row (refused with 422 if any has an error) or only the ' +
        'valid rows',
      'x-permission': 'records:import',
      request: { params: JobIdParamSchema, ...body(CommitSchema) },
      responses: { 202: json(ImportJobSchema, 'The import, started'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await imports.commit(requireActor(c.var.actor), c.req.valid('param').id, c.req.valid('json').rows), 202),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/exports/records',
      tags: ['Import and export'],
      summary:
        'Every record of a search the caller may see (the filters of GET /api/records), as CSV, JSON or GeoJSON ' +
        '(one point feature per record and place)',
      'x-permission': 'register:read',
      request: { query: ExportQuerySchema },
      responses: {
        200: {
          description: 'The file, streamed',
          content: fileContent(RecordSchema),
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) =>
      download(c, await exports.export(requireActor(c.var.actor), c.req.valid('query')), 'private, no-store'),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/exports/records',
      tags: ['Import and export'],
      summary:
        'The published, public records of a portal search (the filters of GET /api/public/records), as CSV, JSON ' +
        'or GeoJSON, with the public fields only',
      'x-permission': 'public',
      request: { query: PublicExportQuerySchema },
      responses: {
        200: {
          description: 'The file, streamed',
          content: fileContent(PublicRecordSchema),
        },
        ...problemResponses(422),
      },
    }),
    // Public data, but it changes with each publication: a minute of reuse at most.
    async (c) => download(c, await exports.exportPublic(c.req.valid('query')), 'public, max-age=60'),
  );

  return router;
}

/** An export's three media types; `item` is what its JSON array holds. */
const fileContent = (item: z.ZodType) => ({
  'text/csv': { schema: z.string() },
  'application/json': { schema: z.array(item) },
  'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection') }).passthrough() },
});

/** A streamed export, as an attachment. */
function download(c: Context, file: ExportFile, cacheControl: string): Response {
  return c.body(file.body, 200, {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.filename}"`,
    'cache-control': cacheControl,
  });
}
