import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { z } from '@hono/zod-openapi';
import { Problem, problemResponses, problems } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CustodyListSchema,
  EvidenceListQuerySchema,
  EvidenceListSchema,
  EvidenceSchema,
  FileParamSchema,
  IdParamSchema,
  IngestResultSchema,
  LinkInputSchema,
  LinkParamSchema,
  RedactInputSchema,
  UploadIdParamSchema,
  UploadQuerySchema,
  UploadSettingsSchema,
} from './schema.js';
import type { EvidenceService } from './service.js';
import type { TusUploads } from './tus.js';

/** The plain upload streams its body to disk itself, under the vault's own size limit. */
// A tus PATCH carries a part of any size the client chooses (tus-js-client sends the whole file by default); the tus
// server bounds it by the upload's declared length, itself bounded by the vault's maximum.
export const STREAMED_EVIDENCE = ['POST /api/evidence', 'PATCH /api/evidence/uploads/:id'];

/** Small files in one request; anything larger goes through tus (resumable). */
export const MULTIPART_MAX_BYTES = 64 * 1024 * 1024;

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
});

const toWeb = (r: Readable) => Readable.toWeb(r) as unknown as ReadableStream;

const TUS_HEADERS = {
  'Tus-Resumable': { schema: { type: 'string' as const, example: '1.0.0' } },
};

/**
 * The vault's API. Reading needs `evidence:read`; the original bytes and the camera/GPS metadata need
 * `evidence:metadata` (documenters, reviewers), since the original carries that metadata; redaction needs
 * `evidence:redact`.
 */
export function evidenceRoutes(service: EvidenceService, tus: TusUploads) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence',
      tags: ['Evidence'],
      summary: 'Evidence files, newest first; filter by text, type or linked record',
      'x-permission': 'evidence:read',
      request: { query: EvidenceListQuerySchema },
      responses: { 200: json(EvidenceListSchema, 'A page of files'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.list(c.var.actor, c.req.valid('query')), 200),
  );

  // Before the form is parsed (the route's validator buffers it). Browsers send a Content-Length with a form; a body
  // without one (an in-process call from a page action) has already passed adapter-node's BODY_SIZE_LIMIT.
  router.use('/evidence', async (c, next) => {
    if (c.req.method === 'POST' && /^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
      const length = Number(c.req.header('content-length') ?? 0);
      if (length > MULTIPART_MAX_BYTES)
        throw problems.tooLarge(
          `A single-request upload may be at most ${MULTIPART_MAX_BYTES} bytes: use the resumable upload for larger files.`,
        );
    }
    await next();
  });

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/evidence',
      tags: ['Evidence'],
      summary:
        'Upload a small file in one request (multipart/form-data with a `file` field, or the raw bytes with ' +
        '?filename=); large files use the resumable tus endpoint',
      'x-permission': 'evidence:write',
      request: {
        query: UploadQuerySchema,
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z
                  .custom<File>((v) => v instanceof File, { message: 'Choose a file.' })
                  .openapi({ type: 'string', format: 'binary' }),
                title: z.string().max(300).optional(),
                method: z.string().max(50).optional(),
                origin: z.string().max(2000).optional(),
                tool: z.string().max(300).optional(),
              }),
            },
            'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
      },
      responses: {
        201: json(IngestResultSchema, 'Kept (a new file)'),
        200: json(IngestResultSchema, 'The same bytes were already kept: linked as another collection'),
        ...problemResponses(401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const actor = requireActor(c.var.actor);
      const type = c.req.header('content-type') ?? '';
      const q = c.req.valid('query');
      let result;
      if (/^multipart\/form-data/i.test(type)) {
        const form = c.req.valid('form') as {
          file: File;
          title?: string;
          method?: string;
          origin?: string;
          tool?: string;
        };
        const file = form.file;
        const field = (k: 'title' | 'method' | 'origin' | 'tool') => {
          const v = form[k];
          return typeof v === 'string' && v.trim() !== '' ? v : undefined;
        };
        const method = field('method') ?? q.method;
        result = await service.ingest(actor, {
          body: Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>),
          filename: file.name,
          title: field('title') ?? q.title,
          method: method === 'url-capture' || method === 'import' ? method : 'upload',
          origin: field('origin') ?? q.origin,
          tool: field('tool') ?? q.tool,
        });
      } else if (
        /^application\/octet-stream/i.test(type) ||
        /^(image|video|audio)\//i.test(type) ||
        /^application\/pdf/i.test(type)
      ) {
        const raw = c.req.raw.body;
        if (!raw) throw problems.badRequest('The request has no body: send the file.');
        if (!q.filename) throw problems.validation([{ path: 'filename', message: 'Give the file name.' }]);
        result = await service.ingest(actor, {
          body: Readable.fromWeb(raw as NodeReadableStream<Uint8Array>),
          filename: q.filename,
          title: q.title,
          method: q.method,
          origin: q.origin,
          tool: q.tool,
        });
      } else {
        throw new Problem(415, 'unsupported-media-type', 'Send multipart/form-data or the raw bytes.');
      }
      return c.json(result, result.duplicate ? 200 : 201);
    },
  );

  // This address also has the shape of GET /evidence/{id}, and the access guard goes by the last route matched:
  // the two must declare the same permission.
  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/uploads',
      tags: ['Evidence'],
      summary: 'How to send files here: the tus part size this server prefers, and the size limits',
      'x-permission': 'evidence:read',
      responses: { 200: json(UploadSettingsSchema, 'The upload settings'), ...problemResponses(401, 403) },
    }),
    (c) =>
      c.json(
        { partSize: tus.partSize, maxBytes: service.limits.maxBytes, multipartMaxBytes: MULTIPART_MAX_BYTES },
        200,
      ),
  );

  // tus: creation, then PATCHes from the offset the server reports (HEAD), or termination (DELETE).
  router.openapi(
    defineRoute({
      method: 'post',
      path: '/evidence/uploads',
      tags: ['Evidence'],
      summary:
        'Start a resumable upload (tus 1.0 creation: Upload-Length, Upload-Metadata with filename and optionally ' +
        'title, method, origin, tool)',
      'x-permission': 'evidence:write',
      request: { headers: z.object({}).passthrough() },
      responses: {
        201: { description: 'Created: the Location header is the upload URL', headers: TUS_HEADERS },
        ...problemResponses(401, 403, 413, 422),
      },
    }),
    (c) => tus.handle(c.req.raw, requireActor(c.var.actor)),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/uploads/{id}',
      tags: ['Evidence'],
      summary: 'Where an upload stands (tus HEAD; a GET answers the same headers): Upload-Offset and Upload-Length',
      'x-permission': 'evidence:write',
      request: { params: UploadIdParamSchema },
      responses: { 200: { description: 'Upload-Offset says how much arrived' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const req = c.req.raw.method === 'HEAD' ? c.req.raw : new Request(c.req.raw, { method: 'HEAD' });
      const res = await tus.handle(req, requireActor(c.var.actor), c.req.valid('param').id);
      return new Response(null, { status: res.status, headers: res.headers });
    },
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/evidence/uploads/{id}',
      tags: ['Evidence'],
      summary:
        'Send the next part of an upload (tus PATCH, application/offset+octet-stream, Upload-Offset). The last ' +
        'part answers 200 with the ingested file',
      'x-permission': 'evidence:write',
      request: { params: UploadIdParamSchema },
      responses: {
        204: { description: 'Part received' },
        200: json(IngestResultSchema, 'Upload complete: the file as kept'),
        ...problemResponses(401, 403, 404, 409, 413, 422),
      },
    }),
    (c) => tus.handle(c.req.raw, requireActor(c.var.actor), c.req.valid('param').id),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/evidence/uploads/{id}',
      tags: ['Evidence'],
      summary: 'Abandon an upload: its partial file is removed',
      'x-permission': 'evidence:write',
      request: { params: UploadIdParamSchema },
      responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
    }),
    (c) => tus.handle(c.req.raw, requireActor(c.var.actor), c.req.valid('param').id),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/{id}',
      tags: ['Evidence'],
      summary:
        'One file: provenance, derivatives, redactions, links, near-duplicates; camera/GPS metadata only for ' +
        'documenters and reviewers',
      'x-permission': 'evidence:read',
      request: { params: IdParamSchema },
      responses: { 200: json(EvidenceSchema, 'The file'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id, c.var.actor), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/{id}/custody',
      tags: ['Evidence'],
      summary: 'The chain of custody: every collection, look at the original, copy, link and export',
      'x-permission': 'evidence:read',
      request: { params: IdParamSchema },
      responses: { 200: json(CustodyListSchema, 'Oldest first'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json({ items: await service.custodyLog(c.req.valid('param').id) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/{id}/original',
      tags: ['Evidence'],
      summary: 'The original bytes, exactly as collected (the view or download is written to the chain of custody)',
      'x-permission': 'evidence:metadata',
      request: {
        params: IdParamSchema,
        query: z.object({ download: z.enum(['0', '1']).optional() }),
      },
      responses: { 200: binary('The original'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const download = c.req.valid('query').download === '1';
      const f = await service.original(
        c.req.valid('param').id,
        requireActor(c.var.actor),
        download ? 'download' : 'view',
      );
      return new Response(toWeb(f.body), {
        headers: {
          'content-type': download ? 'application/octet-stream' : f.mediaType,
          'content-length': String(f.size),
          'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${f.filename}"`,
          digest: `sha-256=${Buffer.from(f.sha256, 'hex').toString('base64')}`,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        },
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/evidence/{id}/files/{file}',
      tags: ['Evidence'],
      summary:
        'A derivative (thumb, web or large; jpeg or webp), without any metadata, from the latest redaction when ' +
        'there is one',
      'x-permission': 'evidence:read',
      request: { params: FileParamSchema, query: z.object({ variant: z.string().max(100).optional() }) },
      responses: { 200: binary('The image'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, file } = c.req.valid('param');
      const [kind, format] = file.split('.') as ['thumb' | 'web' | 'large', 'jpeg' | 'webp'];
      const f = await service.derivative(id, kind, format, c.req.valid('query').variant);
      if (!f) throw problems.notFound('This copy is not made (yet).');
      return new Response(toWeb(f.body), {
        headers: {
          'content-type': f.mediaType,
          'content-length': String(f.size),
          'cache-control': 'private, max-age=3600',
          etag: `"${f.sha256}"`,
        },
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/evidence/{id}/links',
      tags: ['Evidence'],
      summary: 'Link the file to a record or a source (404 for one the caller cannot see)',
      'x-permission': 'evidence:write',
      request: { params: IdParamSchema, ...body(LinkInputSchema) },
      responses: { 201: json(EvidenceSchema, 'Linked'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.link(c.req.valid('param').id, requireActor(c.var.actor), c.req.valid('json')), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/evidence/{id}/links/{type}/{targetId}',
      tags: ['Evidence'],
      summary: 'Remove a link',
      'x-permission': 'evidence:write',
      request: { params: LinkParamSchema },
      responses: { 204: { description: 'Unlinked' }, ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, type, targetId } = c.req.valid('param');
      await service.unlink(id, requireActor(c.var.actor), { type, id: targetId });
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/evidence/{id}/redactions',
      tags: ['Evidence'],
      summary:
        'Redact an image: rectangles (pixels of the original, as displayed) filled solid or with a coarse mosaic. ' +
        'A new copy; the original is untouched; public copies come from it from now on',
      'x-permission': 'evidence:redact',
      request: { params: IdParamSchema, ...body(RedactInputSchema) },
      responses: { 201: json(EvidenceSchema, 'Redacted'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.redact(c.req.valid('param').id, requireActor(c.var.actor), c.req.valid('json')), 201),
  );

  return router;
}
