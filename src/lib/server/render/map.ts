import { createRequire } from 'node:module';
import { geoArea, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { escapeXml, nextFigureId, svgDocument, type Figure, type RenderLang } from './svg.js';

/**
 * A static map of the South Caucasus: Natural Earth country outlines (world-atlas, 1:50m) projected with d3-geo,
 * clipped to the region and rounded to a tenth of a pixel (about 12 KB instead of 1.8 MB unclipped), with points for
 * places. No tiles and no requests: the same SVG serves the web page, the PDF and the public portal.
 * Natural Earth has no lakes, and draws the borders of its own edition; the map is for orientation only.
 */

export interface MapPoint {
  lon: number;
  lat: number;
  label: string;
  /** Optional: bigger dots for more records. */
  weight?: number;
  /** Optional fill, #rrggbb (the map's legend colours); red by default. */
  color?: string;
  /** A small dot (a place with nothing counted) rather than a weighted one. */
  small?: boolean;
}

/** A shaded area (a disruption's place): a polygon drawn as such, a point as a ring around it. */
export interface MapArea {
  geometry: Geometry;
  label: string;
}

export interface StaticMapInput {
  points: MapPoint[];
  /** Shaded areas under the points (optional). */
  areas?: MapArea[];
  width: number;
  height: number;
  lang: RenderLang;
  /** The map's accessible name; a default in the language is used when not given. */
  title?: string;
  /** [[west, south], [east, north]] in degrees; the South Caucasus by default. */
  bounds?: [[number, number], [number, number]];
  idPrefix?: string;
}

export const SOUTH_CAUCASUS: [[number, number], [number, number]] = [
  [43.3, 38.3],
  [50.6, 42.2],
];

/** Countries named on the map, by ISO 3166 numeric code, in the four languages. */
const COUNTRY_NAMES: Record<string, Record<RenderLang, string>> = {
  '051': { en: 'Armenia', fr: 'Arménie', hy: 'Հայաստան', ru: 'Армения' },
  '031': { en: 'Azerbaijan', fr: 'Azerbaïdjan', hy: 'Ադրբեջան', ru: 'Азербайджан' },
  '268': { en: 'Georgia', fr: 'Géorgie', hy: 'Վրաստան', ru: 'Грузия' },
  '792': { en: 'Türkiye', fr: 'Turquie', hy: 'Թուրքիա', ru: 'Турция' },
  '364': { en: 'Iran', fr: 'Iran', hy: 'Իրան', ru: 'Иран' },
  '643': { en: 'Russia', fr: 'Russie', hy: 'Ռուսաստան', ru: 'Россия' },
};

const DEFAULT_TITLE: Record<RenderLang, string> = {
  en: 'Map of the South Caucasus',
  fr: 'Carte du Caucase du Sud',
  hy: 'Հարավային Կովկասի քարտեզ',
  ru: 'Карта Южного Кавказа',
};

const PLACES_SHOWN: Record<RenderLang, string> = {
  en: 'Places shown',
  fr: 'Lieux indiqués',
  hy: 'Նշված վայրեր',
  ru: 'Отмеченные места',
};

let countries: Feature<Geometry, { name: string }>[] | undefined;

function loadCountries(): Feature<Geometry, { name: string }>[] {
  if (!countries) {
    const require = createRequire(import.meta.url);
    const topo = require('world-atlas/countries-50m.json') as Topology<{
      countries: GeometryCollection<{ name: string }>;
    }>;
    countries = (feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>).features;
  }
  return countries;
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export function renderStaticMap(input: StaticMapInput): Figure {
  const { width, height, lang } = input;
  const id = input.idPrefix ?? nextFigureId();
  const [[w, s], [e, n]] = input.bounds ?? SOUTH_CAUCASUS;
  const frame: GeoPermissibleObjects = {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'Polygon',
      // Clockwise, as d3-geo reads rings on the sphere: the other way round would mean "everything but the box".
      coordinates: [
        [
          [w, s],
          [w, n],
          [e, n],
          [e, s],
          [w, s],
        ],
      ],
    },
  };
  const projection = geoMercator()
    .fitExtent(
      [
        [0, 0],
        [width, height],
      ],
      frame,
    )
    .clipExtent([
      [0, 0],
      [width, height],
    ]);
  const path = geoPath(projection).digits(1);
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#dfeaf2"/>`];
  const labels: string[] = [];
  for (const c of loadCountries()) {
    const d = path(c);
    if (!d) continue;
    parts.push(`<path d="${d}" fill="#f4f1ea" stroke="#8c8c8c" stroke-width="0.7"/>`);
    const name = c.id !== undefined ? COUNTRY_NAMES[String(c.id)]?.[lang] : undefined;
    const centre = name ? projection(geoCentreIn(c, [w, s, e, n])) : null;
    if (name && centre && centre[0] > 20 && centre[0] < width - 20 && centre[1] > 14 && centre[1] < height - 8)
      labels.push(
        `<text x="${fmt(centre[0])}" y="${fmt(centre[1])}" font-size="11" fill="#6b6b6b" text-anchor="middle" ` +
          `letter-spacing="1">${escapeXml(name.toUpperCase())}</text>`,
      );
  }
  for (const a of input.areas ?? []) {
    if (a.geometry.type === 'Point') {
      const xy = projection(a.geometry.coordinates as [number, number]);
      if (xy)
        parts.push(
          `<circle cx="${fmt(xy[0])}" cy="${fmt(xy[1])}" r="14" fill="#e8a33d" fill-opacity="0.35" stroke="#8a5a00" ` +
            `stroke-width="1.2" stroke-dasharray="4 3"/>`,
        );
      continue;
    }
    const d = path(d3Winding(a.geometry));
    if (d)
      parts.push(
        `<path d="${d}" fill="#e8a33d" fill-opacity="0.35" stroke="#8a5a00" stroke-width="1.2" stroke-dasharray="4 3"/>`,
      );
  }
  parts.push(...labels);
  const shown: string[] = [];
  for (const p of input.points) {
    const xy = projection([p.lon, p.lat]);
    if (!xy || xy[0] < 0 || xy[0] > width || xy[1] < 0 || xy[1] > height) continue;
    const r = p.small ? 3 : 4 + Math.min(6, Math.sqrt(Math.max(0, p.weight ?? 0)));
    const fill = /^#[0-9a-f]{6}$/i.test(p.color ?? '') ? p.color! : '#b3261e';
    parts.push(
      `<circle cx="${fmt(xy[0])}" cy="${fmt(xy[1])}" r="${fmt(r)}" fill="${fill}" stroke="#ffffff" stroke-width="1.5"/>`,
      `<text x="${fmt(xy[0] + r + 3)}" y="${fmt(xy[1] + 4)}" font-size="12" fill="#1a1a1a" stroke="#ffffff" ` +
        `stroke-width="3" paint-order="stroke">${escapeXml(p.label)}</text>`,
    );
    shown.push(p.label);
  }
  const title = input.title ?? DEFAULT_TITLE[lang];
  const text = shown.length > 0 ? `${PLACES_SHOWN[lang]}: ${shown.join(', ')}.` : title;
  return { svg: svgDocument({ title, desc: text, width, height, lang }, parts.join(''), id), title, text };
}

/**
 * d3-geo reads a ring on the sphere as enclosing what lies to its right (clockwise), RFC 7946 GeoJSON winds the
 * other way: an area of more than a hemisphere is a small polygon given in GeoJSON order, so its rings are reversed.
 */
function d3Winding(g: Geometry): GeoPermissibleObjects {
  if (geoArea(g as GeoPermissibleObjects) <= 2 * Math.PI) return g as GeoPermissibleObjects;
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map((r) => [...r].reverse()) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map((p) => p.map((r) => [...r].reverse())) };
  return g as GeoPermissibleObjects;
}

/**
 * Where to print a country's name: the centre of its bounding box within the visible frame, so that a large
 * neighbour (Russia, Iran) is named inside the map rather than at its own faraway centre.
 */
function geoCentreIn(f: Feature, [w, s, e, n]: number[]): [number, number] {
  const [[x0, y0], [x1, y1]] = geoPath().bounds(f as GeoPermissibleObjects) as [[number, number], [number, number]];
  const lo = [Math.max(x0, w!), Math.max(y0, s!)];
  const hi = [Math.min(x1, e!), Math.min(y1, n!)];
  return [(lo[0]! + hi[0]!) / 2, (lo[1]! + hi[1]!) / 2];
}
