import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { problemResponses, problems } from '../http/problem.js';
import { createRouter, defineRoute, json } from '../http/router.js';
import { isLibFile, libAsset, libVersion, pickEncoding } from './assets.js';
import { baseMap } from './geo.js';
import {
  BaseQuerySchema,
  FeatureCollectionSchema,
  LangQuerySchema,
  LibFileParamSchema,
  MapSummarySchema,
  PointsQuerySchema,
  PointsSchema,
  StaticMapQuerySchema,
  TileParamSchema,
} from './schema.js';
import type { MapService } from './service.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Map data follows the register: a published record taken down must leave the map at once, so browsers revalidate
 * every time (a 304 when nothing changed) rather than keep a copy for a while.
 */
const REVALIDATE = 'public, no-cache';

const text = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string() } },
});

/** A body with a strong ETag of its content, or 304 when the client already has it. */
function withEtag(c: Context, body: string, type: string, extra: Record<string, string> = {}) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const headers = { 'content-type': type, 'cache-control': REVALIDATE, etag, vary: 'Accept-Encoding', ...extra };
  if ((c.req.header('if-none-match') ?? '').split(',').some((t) => t.trim() === etag))
    return c.body(null, 304, headers);
  return c.body(body, 200, headers);
}

export function mapRoutes(service: MapService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/points',
      tags: ['Map'],
      summary: 'Published public records clustered at their places (or the places themselves) in a box at a zoom',
      description:
        'Clusters carry how many records (or places) they hold and how many records per right category; a single ' +
        'place carries its name in the language asked (or its preferred name, marked as a fallback) and, when it has ' +
        'exactly one record, that record.',
      'x-permission': 'public',
      request: { query: PointsQuerySchema },
      responses: {
        200: {
          description: 'A GeoJSON FeatureCollection (RFC 7946)',
          content: { 'application/geo+json': { schema: PointsSchema } },
        },
        304: { description: 'Not modified' },
        ...problemResponses(422),
      },
    }),
    async (c) =>
      withEtag(c, JSON.stringify(await service.points(c.req.valid('query'))), 'application/geo+json') as never,
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/summary',
      tags: ['Map'],
      summary: 'The map as lists: categories with counts, places with their newest records, disruptions',
      'x-permission': 'public',
      request: { query: LangQuerySchema.extend({ category: PointsQuerySchema.shape.category }) },
      responses: {
        200: json(MapSummarySchema, 'The summary'),
        304: { description: 'Not modified' },
        ...problemResponses(422),
      },
    }),
    async (c) => withEtag(c, JSON.stringify(await service.summary(c.req.valid('query'))), 'application/json') as never,
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/disruptions',
      tags: ['Map'],
      summary: 'Disruption areas: a feature per disruption and gazetteer place it covers',
      'x-permission': 'public',
      request: { query: LangQuerySchema },
      responses: {
        200: {
          description: 'A GeoJSON FeatureCollection (RFC 7946)',
          content: { 'application/geo+json': { schema: FeatureCollectionSchema } },
        },
        304: { description: 'Not modified' },
        ...problemResponses(422),
      },
    }),
    async (c) =>
      withEtag(
        c,
        JSON.stringify(await service.disruptions(c.req.valid('query').lang)),
        'application/geo+json',
      ) as never,
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/export.geojson',
      tags: ['Map'],
      summary: 'The public layer as one RFC 7946 GeoJSON file: records at their places, places, disruption areas',
      'x-permission': 'public',
      request: { query: LangQuerySchema },
      responses: {
        200: {
          description: 'A GeoJSON FeatureCollection, as a download',
          content: { 'application/geo+json': { schema: FeatureCollectionSchema } },
        },
        304: { description: 'Not modified' },
        ...problemResponses(422),
      },
    }),
    async (c) => {
      const { lang } = c.req.valid('query');
      const origin = new URL(c.req.url).origin;
      return withEtag(c, await service.exportGeoJson(lang, origin), 'application/geo+json', {
        'content-disposition': `attachment; filename="corridor-map-${lang}.geojson"`,
      }) as never;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/static.svg',
      tags: ['Map'],
      summary: 'The map as an accessible static SVG (no JavaScript): the same clusters, places and areas',
      'x-permission': 'public',
      request: { query: StaticMapQuerySchema },
      responses: {
        200: text('image/svg+xml', 'The SVG'),
        304: { description: 'Not modified' },
        ...problemResponses(422),
      },
    }),
    async (c) => {
      const fig = await service.staticMap(c.req.valid('query'));
      return withEtag(c, fig.svg, 'image/svg+xml; charset=utf-8') as never;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/base',
      tags: ['Map'],
      summary: 'The offline base map: Natural Earth countries (world at 1:110m, the region at 1:50m)',
      description: 'Never changes for a given `v`: cache it for good. The summary names the current address.',
      'x-permission': 'public',
      request: { query: BaseQuerySchema },
      responses: {
        200: {
          description: 'A GeoJSON FeatureCollection (RFC 7946)',
          content: { 'application/geo+json': { schema: FeatureCollectionSchema } },
        },
        304: { description: 'Not modified' },
      },
    }),
    (c) => {
      const base = baseMap();
      const headers = { 'content-type': 'application/geo+json', 'cache-control': IMMUTABLE, etag: base.etag };
      if (c.req.header('if-none-match') === base.etag) return c.body(null, 304, headers) as never;
      return c.body(base.json, 200, headers) as never;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/tiles/{z}/{x}/{y}',
      tags: ['Map'],
      summary: 'An online raster tile, through this server, when CORRIDOR_TILE_URL is configured',
      'x-permission': 'public',
      request: { params: TileParamSchema },
      responses: { 200: text('image/png', 'The tile'), ...problemResponses(404, 422) },
    }),
    async (c) => {
      const { z: zoom, x, y } = c.req.valid('param');
      const tile = await service.tile(zoom, x, y);
      if (!tile) throw problems.notFound('No tile here.');
      return c.body(new Uint8Array(tile.body), 200, {
        'content-type': tile.type,
        'cache-control': 'public, max-age=86400',
      }) as never;
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/map/lib/{version}/{file}',
      tags: ['Map'],
      summary: 'MapLibre GL, self-hosted (module, worker, stylesheet), for the map page only',
      'x-permission': 'public',
      request: { params: LibFileParamSchema },
      responses: {
        200: text('text/javascript', 'The file'),
        304: { description: 'Not modified' },
        ...problemResponses(404),
      },
    }),
    (c) => {
      const { version, file } = c.req.valid('param');
      if (version !== libVersion() || !isLibFile(file)) throw problems.notFound();
      const a = libAsset(file);
      const enc = pickEncoding(c.req.header('accept-encoding'));
      const headers: Record<string, string> = {
        'content-type': a.type,
        'cache-control': IMMUTABLE,
        etag: a.etag,
        vary: 'Accept-Encoding',
      };
      if (c.req.header('if-none-match') === a.etag) return c.body(null, 304, headers) as never;
      if (enc) headers['content-encoding'] = enc;
      const bytes = enc === 'br' ? a.br : enc === 'gzip' ? a.gzip : a.raw;
      return c.body(new Uint8Array(bytes), 200, headers) as never;
    },
  );

  return router;
}
