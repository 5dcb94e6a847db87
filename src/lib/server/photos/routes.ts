import { Readable } from 'node:stream';
import { z } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  ConsentInputSchema,
  ConsentParamSchema,
  CreatePhotoSchema,
  DownloadQuerySchema,
  IdParamSchema,
  ImageParamSchema,
  PhotoListQuerySchema,
  PhotoListSchema,
  PhotoSchema,
  PublicPhotoListQuerySchema,
  PublicPhotoListSchema,
  PublicPhotoSchema,
  UnpublishSchema,
  UpdatePhotoSchema,
  WithdrawSchema,
} from './schema.js';
import type { PhotosService } from './service.js';

const binary = (description: string, type = 'application/octet-stream') => ({
  description,
  content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } },
});

type File = { body: Readable; mediaType: string; size: number; sha256: string };
const split = (file: string) => file.split('.') as ['thumb' | 'web' | 'large', 'jpeg' | 'webp'];

/**
 * Public copies are never cached without asking again (`no-cache` with an ETag): a withdrawal must take effect at
 * once, also for a reader behind a cache.
 */
function image(f: File, cache: string): Response {
  return new Response(Readable.toWeb(f.body) as unknown as ReadableStream, {
    headers: {
      'content-type': f.mediaType,
      'content-length': String(f.size),
      'cache-control': cache,
      etag: `"${f.sha256}"`,
      'cross-origin-resource-policy': 'cross-origin',
    },
  });
}

export function photosRoutes(service: PhotosService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/photos',
      tags: ['Photo bank'],
      summary: 'The photo bank as staff see it (drafts too); filter by place, date, tag, record, status',
      'x-permission': 'photos:read',
      request: { query: PhotoListQuerySchema },
      responses: { 200: json(PhotoListSchema, 'A page of photos'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.list(requireActor(c.var.actor), c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/photos',
      tags: ['Photo bank'],
      summary: 'Put an image from the evidence vault into the photo bank (a draft)',
      'x-permission': 'photos:write',
      request: body(CreatePhotoSchema),
      responses: { 201: json(PhotoSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/photos/{id}',
      tags: ['Photo bank'],
      summary: 'One photo with its consents and the gate for each use',
      'x-permission': 'photos:read',
      request: { params: IdParamSchema },
      responses: { 200: json(PhotoSchema, 'The photo'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id, c.var.actor), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/photos/{id}',
      tags: ['Photo bank'],
      summary: 'Change a photo; a published one that no longer passes the gate is unpublished',
      'x-permission': 'photos:write',
      request: { params: IdParamSchema, ...body(UpdatePhotoSchema) },
      responses: { 200: json(PhotoSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/photos/{id}/consents',
      tags: ['Photo bank'],
      summary:
        'Record a consent of the author or of a person shown: scopes, dates, and a signed form or a verbal note with ' +
        'a witness',
      'x-permission': 'photos:write',
      request: { params: IdParamSchema, ...body(ConsentInputSchema) },
      responses: { 201: json(PhotoSchema, 'Recorded'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.addConsent(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/photos/{id}/consents/{consentId}/withdraw',
      tags: ['Photo bank'],
      summary: 'Withdraw a consent: the photo leaves the portal, the API and downloads at once',
      'x-permission': 'photos:write',
      request: { params: ConsentParamSchema, ...body(WithdrawSchema) },
      responses: { 200: json(PhotoSchema, 'Withdrawn'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { id, consentId } = c.req.valid('param');
      return c.json(
        await service.withdrawConsent(id, consentId, requireActor(c.var.actor), c.req.valid('json').note),
        200,
      );
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/photos/{id}/publish',
      tags: ['Photo bank'],
      summary: 'Publish, if the usage rights allow it and every required consent is valid (409 says what is missing)',
      'x-permission': 'photos:review',
      request: { params: IdParamSchema },
      responses: { 200: json(PhotoSchema, 'Published'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.publish(c.req.valid('param').id, requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/photos/{id}/unpublish',
      tags: ['Photo bank'],
      summary: 'Take a photo off every public surface, with a reason',
      'x-permission': 'photos:review',
      request: { params: IdParamSchema, ...body(UnpublishSchema) },
      responses: { 200: json(PhotoSchema, 'Unpublished'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(
        await service.unpublish(c.req.valid('param').id, requireActor(c.var.actor), c.req.valid('json').reason),
        200,
      ),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/photos/{id}/image/{file}',
      tags: ['Photo bank'],
      summary: 'A staff copy of the picture (the redacted version when there is one), published or not',
      'x-permission': 'photos:read',
      request: { params: ImageParamSchema },
      responses: { 200: binary('The image', 'image/*'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, file } = c.req.valid('param');
      return image(await service.staffImage(id, ...split(file)), 'private, max-age=300');
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/photos/{id}/download',
      tags: ['Photo bank'],
      summary:
        'Download a published photo: a ZIP with the picture in the size asked (its file name carries the credit) and ' +
        'a caption text file; logged',
      'x-permission': 'photos:download',
      request: { params: IdParamSchema, query: DownloadQuerySchema },
      responses: {
        200: {
          ...binary('The ZIP', 'application/zip'),
          headers: {
            'Corridor-Allowed-Uses': {
              schema: { type: 'string' as const, example: 'publish-image,press-kit' },
              description: 'What the picture may be used for as of the download (also in the caption file)',
            },
          },
        },
        ...problemResponses(401, 403, 404, 410, 422),
      },
    }),
    async (c) => {
      const { size, format } = c.req.valid('query');
      const r = await service.download(c.req.valid('param').id, requireActor(c.var.actor), size, format);
      return new Response(new Uint8Array(r.bytes), {
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename="${r.filename}"`,
          // The same list as the caption file and the item's allowedUses, for scripts that fetch in bulk.
          'corridor-allowed-uses': r.allowedUses.join(','),
          'cache-control': 'private, no-store',
        },
      });
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/photos',
      tags: ['Photo bank'],
      summary: 'Published photos (only those whose consents hold today), newest first; place, date and tag filters',
      'x-permission': 'public',
      request: { query: PublicPhotoListQuerySchema },
      responses: { 200: json(PublicPhotoListSchema, 'A page of photos'), ...problemResponses(422) },
    }),
    async (c) => {
      const res = c.json(await service.publicList(c.req.valid('query')), 200);
      res.headers.set('cache-control', 'no-cache');
      return res;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/photos/{id}',
      tags: ['Photo bank'],
      summary: 'A published photo; 410 once it has been withdrawn, 404 if it never was published',
      'x-permission': 'public',
      request: { params: IdParamSchema },
      responses: { 200: json(PublicPhotoSchema, 'The photo'), ...problemResponses(404, 410) },
    }),
    async (c) => {
      const res = c.json(await service.publicGet(c.req.valid('param').id), 200);
      res.headers.set('cache-control', 'no-cache');
      return res;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/photos/{id}/image/{file}',
      tags: ['Photo bank'],
      summary: 'The picture of a published photo, without any metadata; 410 once withdrawn',
      'x-permission': 'public',
      request: { params: ImageParamSchema },
      responses: { 200: binary('The image', 'image/*'), ...problemResponses(404, 410, 422) },
    }),
    async (c) => {
      const { id, file } = c.req.valid('param');
      return image(await service.publicImage(id, ...split(file)), 'public, no-cache');
    },
  );

  return router;
}
