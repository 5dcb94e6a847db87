import { z } from '@hono/zod-openapi';

/**
 * The places gazetteer: request and response shapes, the single source of truth for the API and its types.
 *
 * Limits: every name 1–200 characters; at most 50 alternative names; a language tag is BCP 47 (`hy`, `ru`,
 * `az-Latn`), at most 35 characters; a geometry has at most 10,000 positions in all.
 */

export const PLACE_TYPES = [
  'country',
  'region',
  'city',
  'town',
  'village',
  'road',
  'border-crossing',
  'site',
  'other',
] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];
export const NAME_KINDS = ['official', 'historical', 'transliteration', 'exonym'] as const;
export const PLACE_NAME_MAX = 200;
export const ALT_NAMES_MAX = 50;
export const POSITIONS_MAX = 10_000;

export const PlaceTypeSchema = z.enum(PLACE_TYPES).openapi('PlaceType');
export const NameKindSchema = z.enum(NAME_KINDS).openapi('PlaceNameKind');

const NameSchema = z.string().trim().min(1).max(PLACE_NAME_MAX);

/** BCP 47 in its common shape: language, optional script, region and variants (`hy`, `az-Latn`, `sr-Cyrl-RS`). */
export const LanguageTagSchema = z
  .string()
  .max(35)
  .regex(
    /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-([a-zA-Z\d]{5,8}|\d[a-zA-Z\d]{3}))*$/,
    'must be a BCP 47 language tag',
  )
  .openapi({ example: 'az-Latn' });

export const AltNameSchema = z
  .object({
    name: NameSchema,
    lang: LanguageTagSchema,
    kind: NameKindSchema.nullable().optional(),
  })
  .openapi('PlaceAltName');
export type AltName = z.infer<typeof AltNameSchema>;

// GeoJSON (RFC 7946): positions are [longitude, latitude] with an optional altitude.

const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
export const PositionSchema = z.union([z.tuple([Lon, Lat]), z.tuple([Lon, Lat, z.number()])]).openapi({
  description: '[longitude, latitude] or [longitude, latitude, altitude]',
});
type Position = z.infer<typeof PositionSchema>;

const samePosition = (a: Position, b: Position) => a.length === b.length && a.every((v, i) => v === b[i]);

export const LinearRingSchema = z
  .array(PositionSchema)
  .min(4, 'a ring needs at least 4 positions')
  .refine((ring) => ring.length < 4 || samePosition(ring[0]!, ring[ring.length - 1]!), {
    message: 'a ring must be closed: its last position repeats its first',
  });

const PolygonCoordinates = z.array(LinearRingSchema).min(1, 'a polygon needs an outer ring');

export const PointSchema = z.object({ type: z.literal('Point'), coordinates: PositionSchema }).openapi('GeoPoint');
export const PolygonSchema = z
  .object({ type: z.literal('Polygon'), coordinates: PolygonCoordinates })
  .openapi('GeoPolygon');
export const MultiPolygonSchema = z
  .object({ type: z.literal('MultiPolygon'), coordinates: z.array(PolygonCoordinates).min(1) })
  .openapi('GeoMultiPolygon');

export const GeometrySchema = z
  .discriminatedUnion('type', [PointSchema, PolygonSchema, MultiPolygonSchema])
  .refine((g) => countPositions(g) <= POSITIONS_MAX, { message: `at most ${POSITIONS_MAX} positions` })
  .openapi('Geometry', { description: 'GeoJSON (RFC 7946) Point, Polygon or MultiPolygon, in WGS 84' });
export type Geometry = z.infer<typeof GeometrySchema>;

function countPositions(g: { type: string; coordinates: unknown }): number {
  if (g.type === 'Point') return 1;
  const rings = g.type === 'Polygon' ? (g.coordinates as Position[][]) : (g.coordinates as Position[][][]).flat();
  return rings.reduce((n, r) => n + r.length, 0);
}

export const CentroidSchema = z.object({ lat: z.number(), lon: z.number() }).openapi('Centroid');

export const PlaceNameSchema = z
  .object({
    name: z.string(),
    lang: z.string().nullable(),
    kind: z.string().nullable().openapi({ description: "'preferred' for the preferred name, else the name's kind" }),
  })
  .openapi('PlaceName');

export const PlaceSummarySchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ description: 'The preferred name' }),
    type: PlaceTypeSchema,
    parentId: z.string().nullable(),
    centroid: CentroidSchema.nullable(),
    matchedName: z
      .string()
      .nullable()
      .openapi({ description: 'In a search, the name that matched (the preferred one when it did)' }),
    altNames: z
      .array(z.object({ name: z.string(), lang: z.string() }))
      .openapi({ description: 'Every other name the place goes by, with its language' }),
  })
  .openapi('PlaceSummary');
export type PlaceSummary = z.infer<typeof PlaceSummarySchema>;

export const PlaceListSchema = z.object({ items: z.array(PlaceSummarySchema) }).openapi('PlaceList');

export const PlaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: PlaceTypeSchema,
    parentId: z.string().nullable(),
    parents: z
      .array(z.object({ id: z.string(), name: z.string(), type: PlaceTypeSchema }))
      .openapi({ description: 'The parent chain, nearest first' }),
    altNames: z.array(AltNameSchema),
    geometry: GeometrySchema.nullable(),
    centroid: CentroidSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Place');
export type Place = z.infer<typeof PlaceSchema>;

export const CreatePlaceSchema = z
  .object({
    name: NameSchema.openapi({ description: 'The preferred name' }),
    type: PlaceTypeSchema,
    parentId: z.string().max(64).nullable().optional(),
    altNames: z.array(AltNameSchema).max(ALT_NAMES_MAX).default([]),
    geometry: GeometrySchema.nullable().optional(),
  })
  .openapi('CreatePlace');
export type CreatePlaceInput = z.input<typeof CreatePlaceSchema>;

export const UpdatePlaceSchema = z
  .object({
    name: NameSchema.optional(),
    type: PlaceTypeSchema.optional(),
    parentId: z.string().max(64).nullable().optional(),
    altNames: z
      .array(AltNameSchema)
      .max(ALT_NAMES_MAX)
      .optional()
      .openapi({ description: 'Replaces every alternative name at once' }),
    geometry: GeometrySchema.nullable().optional(),
  })
  .openapi('UpdatePlace');
export type UpdatePlaceInput = z.input<typeof UpdatePlaceSchema>;

export const PlaceIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const PlaceQuerySchema = z.object({
  q: z
    .string()
    .max(PLACE_NAME_MAX)
    .optional()
    .openapi({ description: 'Any name, by word prefix, ignoring case and diacritics', example: 'stepan' }),
  type: PlaceTypeSchema.optional(),
  parent: z.string().max(64).optional().openapi({ description: 'Only the direct children of this place' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type PlaceQuery = z.infer<typeof PlaceQuerySchema>;
