import { z } from '@hono/zod-openapi';
import { LANGS } from '../records/index.js';

/**
 * The public map's shapes. Everything here is public: published public records (counted and titled), the places they
 * or the crisis's disruptions cite, and the disruptions. GeoJSON follows RFC 7946: longitude first, WGS 84, no `crs`.
 */

export const MAP_LAYERS = ['records', 'places', 'disruptions'] as const;
export type MapLayer = (typeof MAP_LAYERS)[number];
/** The layers clustered on the server. */
export const POINT_LAYERS = ['records', 'places'] as const;
export type PointLayer = (typeof POINT_LAYERS)[number];

/** Supercluster's deepest zoom with clusters; deeper, points come back one by one. */
export const MAX_CLUSTER_ZOOM = 16;
/** Places listed in the summary (the text alternative); the rest are counted. */
export const SUMMARY_PLACES_MAX = 300;
/** Records named under each place in the summary. */
export const SUMMARY_RECORDS_PER_PLACE = 5;

export const MapLangSchema = z.enum(LANGS).default('en').openapi({ description: 'Language of names and titles' });

const Coord = (lo: number, hi: number) => z.number().min(lo).max(hi);

export const BboxSchema = z
  .string()
  .max(100)
  .transform((v, ctx) => {
    const n = v.split(',').map((x) => Number(x.trim()));
    const [w, s, e, north] = n;
    const ok =
      n.length === 4 &&
      n.every((x) => Number.isFinite(x)) &&
      Coord(-180, 180).safeParse(w).success &&
      Coord(-180, 180).safeParse(e).success &&
      Coord(-90, 90).safeParse(s).success &&
      Coord(-90, 90).safeParse(north).success &&
      s! <= north!;
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: 'must be west,south,east,north in degrees (south ≤ north)' });
      return z.NEVER;
    }
    return [w!, s!, e!, north!] as [number, number, number, number];
  })
  .openapi({
    type: 'string',
    example: '43.3,38.3,50.6,42.2',
    description: 'west,south,east,north in degrees; west > east crosses the antimeridian',
  });

const CategoryParam = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .openapi({ description: 'A right category, by id or code (`IND`): only records citing a right in it' });

export const PointsQuerySchema = z.object({
  layer: z.enum(POINT_LAYERS).default('records'),
  bbox: BboxSchema.optional(),
  zoom: z.coerce.number().int().min(0).max(24).default(0).openapi({ type: 'integer' }),
  category: CategoryParam,
  lang: MapLangSchema,
});
export type PointsQuery = z.infer<typeof PointsQuerySchema>;

export const LangQuerySchema = z.object({ lang: MapLangSchema });

export const StaticMapQuerySchema = z.object({
  lang: MapLangSchema,
  category: CategoryParam,
  layers: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'Comma-separated layers to draw (records, places, disruptions); all by default' }),
  width: z.coerce.number().int().min(200).max(1600).default(800).openapi({ type: 'integer' }),
  height: z.coerce.number().int().min(150).max(1200).default(520).openapi({ type: 'integer' }),
});

export const BaseQuerySchema = z.object({
  v: z.string().max(40).optional().openapi({ description: 'Cache-busting version; any value is accepted' }),
});

const Position = z.array(z.number()).min(2).max(3);

export const LocalTextSchema = z
  .object({
    text: z.string(),
    lang: z.string().openapi({ description: 'The language the text is in' }),
    fallback: z.boolean().openapi({ description: 'True when the text is not in the language asked for' }),
  })
  .openapi('MapLocalText');
export type LocalText = z.infer<typeof LocalTextSchema>;

const CategoryCounts = z
  .record(z.string(), z.number().int())
  .openapi({ description: 'Records per right category code (`none`: citing no right); a record may count in several' });

export const RecordRefSchema = z
  .object({ id: z.string(), code: z.string(), title: LocalTextSchema, href: z.string() })
  .openapi('MapRecordRef');
export type RecordRef = z.infer<typeof RecordRefSchema>;

export const ClusterPropertiesSchema = z
  .object({
    kind: z.literal('cluster'),
    id: z.string(),
    count: z.number().int().openapi({ description: 'Records (records layer) or places (places layer) inside' }),
    places: z.number().int(),
    categories: CategoryCounts,
    top: z.string().nullable().openapi({ description: 'The category with the most records inside' }),
  })
  .openapi('MapClusterProperties');

export const PlacePropertiesSchema = z
  .object({
    kind: z.literal('place'),
    id: z.string(),
    name: LocalTextSchema,
    placeType: z.string(),
    count: z.number().int().openapi({ description: 'Published public records at this place (in the category asked)' }),
    categories: CategoryCounts,
    top: z.string().nullable(),
    href: z.string().openapi({ description: 'The public records at this place (a portal address without language)' }),
    record: RecordRefSchema.nullable().openapi({ description: 'The only record here, when there is exactly one' }),
  })
  .openapi('MapPlaceProperties');
export type PlaceProperties = z.infer<typeof PlacePropertiesSchema>;

export const PointFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.literal('Point'), coordinates: Position }),
    properties: z.union([ClusterPropertiesSchema, PlacePropertiesSchema]),
  })
  .openapi('MapPointFeature');
export type PointFeature = z.infer<typeof PointFeatureSchema>;

export const PointsSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(PointFeatureSchema),
    zoom: z.number().int(),
    version: z.number().int().openapi({ description: 'Changes whenever the public data may have changed' }),
  })
  .openapi('MapPoints');
export type Points = z.infer<typeof PointsSchema>;

const GeometryLoose = z
  .object({ type: z.string(), coordinates: z.unknown() })
  .openapi('MapGeometry', { description: 'A GeoJSON geometry (RFC 7946)' });

export const FeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.string().optional(),
    geometry: GeometryLoose,
    properties: z.record(z.string(), z.unknown()),
  })
  .openapi('MapFeature');

export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    bbox: z.array(z.number()).optional(),
    features: z.array(FeatureSchema),
  })
  .passthrough()
  .openapi('MapFeatureCollection');

export const CategorySummarySchema = z
  .object({
    id: z.string().nullable().openapi({ description: 'Null for records citing no right' }),
    code: z.string(),
    name: z.string(),
    color: z.string().openapi({ description: 'The legend colour, #rrggbb' }),
    count: z.number().int(),
  })
  .openapi('MapCategory');
export type CategorySummary = z.infer<typeof CategorySummarySchema>;

export const PlaceSummarySchema = z
  .object({
    id: z.string(),
    name: LocalTextSchema,
    lon: z.number(),
    lat: z.number(),
    count: z.number().int(),
    categories: CategoryCounts,
    top: z.string().nullable(),
    href: z.string(),
    records: z.array(RecordRefSchema).openapi({ description: 'The newest records here, at most five' }),
    disruptions: z.array(z.string()).openapi({ description: 'Ids of the disruptions that cover this place' }),
  })
  .openapi('MapPlaceSummary');
export type MapPlaceSummary = z.infer<typeof PlaceSummarySchema>;

export const DisruptionSummarySchema = z
  .object({
    id: z.string(),
    service: z.string(),
    label: z.string().nullable(),
    area: z.string().nullable(),
    ongoing: z.boolean().openapi({ description: 'An interval has no end yet' }),
    severity: z.enum(['complete', 'partial']).openapi({ description: 'Of the latest interval' }),
    since: z.string().openapi({ description: 'Start of the latest interval' }),
    places: z.array(z.object({ id: z.string(), name: LocalTextSchema })),
  })
  .openapi('MapDisruption');
export type DisruptionSummary = z.infer<typeof DisruptionSummarySchema>;

export const MapSummarySchema = z
  .object({
    version: z.number().int(),
    total: z.number().int().openapi({ description: 'Published public records on the map (in the category asked)' }),
    unplaced: z.number().int().openapi({ description: 'Published public records with no place, not on the map' }),
    categories: z.array(CategorySummarySchema),
    places: z.array(PlaceSummarySchema).openapi({ description: 'By number of records, most first' }),
    placesTotal: z.number().int(),
    disruptions: z.array(DisruptionSummarySchema),
    bounds: z
      .tuple([z.number(), z.number(), z.number(), z.number()])
      .openapi({ description: 'west,south,east,north of what is shown, or the South Caucasus' }),
    tiles: z.string().nullable().openapi({
      description: 'Online raster tiles, through this server ({z}/{x}/{y}), when CORRIDOR_TILE_URL is configured',
    }),
    base: z.string().openapi({ description: 'The offline base map (versioned, immutable)' }),
    lib: z
      .object({ module: z.string(), css: z.string() })
      .openapi({ description: 'MapLibre GL on this server (versioned, immutable): the ES module and its stylesheet' }),
  })
  .openapi('MapSummary');
export type MapSummary = z.infer<typeof MapSummarySchema>;

export const TileParamSchema = z.object({
  z: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .openapi({ param: { name: 'z', in: 'path', required: true }, type: 'integer' }),
  x: z.coerce
    .number()
    .int()
    .min(0)
    .openapi({ param: { name: 'x', in: 'path', required: true }, type: 'integer' }),
  y: z.coerce
    .number()
    .int()
    .min(0)
    .openapi({ param: { name: 'y', in: 'path', required: true }, type: 'integer' }),
});

export const LibFileParamSchema = z.object({
  version: z
    .string()
    .max(40)
    .openapi({ param: { name: 'version', in: 'path' } }),
  file: z
    .string()
    .max(60)
    .openapi({ param: { name: 'file', in: 'path' } }),
});
