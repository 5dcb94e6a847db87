import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';

/** Pure GeoJSON helpers for the map: RFC 7946 winding, rounding, bounding boxes, the offline base map. */

type Ring = Position[];

/** Twice the signed area in the plane of lon/lat: positive when the ring turns counterclockwise. */
export function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return a;
}

const orient = (ring: Ring, ccw: boolean): Ring => (ringArea(ring) > 0 === ccw ? ring : [...ring].reverse());

/** RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise. */
export function rewindPolygon(rings: Ring[]): Ring[] {
  return rings.map((r, i) => orient(r, i === 0));
}

const round = (p: Position, digits: number): Position => {
  const f = 10 ** digits;
  return p.slice(0, 2).map((x) => Math.round(x * f) / f);
};

/**
 * A geometry as RFC 7946 wants it: right-hand winding, two coordinates (altitude dropped: the gazetteer's is never
 * surveyed), rounded to `digits` decimals (6 is about 10 cm). Only the types the gazetteer stores are handled.
 */
export function rfc7946(g: Geometry, digits = 6): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: round(g.coordinates, digits) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: rewindPolygon(g.coordinates.map((r) => r.map((p) => round(p, digits)))) };
    case 'MultiPolygon': {
      const polys = g.coordinates.map((poly) => rewindPolygon(poly.map((r) => r.map((p) => round(p, digits)))));
      // Rounding can flatten a sliver to nothing: a ring of no area has no winding, and no reader needs it.
      const kept = polys.filter((poly) => ringArea(poly[0]!) !== 0);
      return { type: 'MultiPolygon', coordinates: kept.length > 0 ? kept : polys };
    }
    default:
      return g;
  }
}

/** [west, south, east, north] of every position, or null when there is none. */
export function bboxOf(geometries: Geometry[]): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      w = Math.min(w, x!);
      e = Math.max(e, x!);
      s = Math.min(s, y!);
      n = Math.max(n, y!);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const g of geometries) if ('coordinates' in g) visit(g.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

/** Sutherland–Hodgman against an axis-aligned box in degrees: fine for filled land, not for measuring. */
function clipRing(ring: Ring, [w, s, e, n]: number[]): Ring {
  const edges: [(p: Position) => boolean, (a: Position, b: Position) => Position][] = [
    [(p) => p[0]! >= w!, (a, b) => at(a, b, 0, w!)],
    [(p) => p[0]! <= e!, (a, b) => at(a, b, 0, e!)],
    [(p) => p[1]! >= s!, (a, b) => at(a, b, 1, s!)],
    [(p) => p[1]! <= n!, (a, b) => at(a, b, 1, n!)],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cross(prev, cur));
    }
    if (out.length === 0) return [];
  }
  return out.length >= 3 ? [...out, out[0]!] : [];
}

function at(a: Position, b: Position, axis: 0 | 1, v: number): Position {
  const t = (v - a[axis]!) / (b[axis]! - a[axis]!);
  const p = [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)];
  p[axis] = v;
  return p;
}

function clipPolygons(polys: Position[][][], box: number[]): Position[][][] {
  return polys.flatMap((rings) => {
    const clipped = rings.map((r) => clipRing(r, box));
    if (clipped[0]!.length === 0) return [];
    return [[clipped[0]!, ...clipped.slice(1).filter((r) => r.length > 0)]];
  });
}

/** Where the 1:50m outlines are kept: the South Caucasus and its neighbours; the 1:110m world does the rest. */
export const DETAIL_BOX: [number, number, number, number] = [36, 34, 54, 46];

export interface BaseMap {
  json: string;
  etag: string;
  /** Changes with the data: the immutable URL's version. */
  version: string;
}

let base: BaseMap | undefined;

/**
 * The offline base map: Natural Earth countries (world-atlas) as one FeatureCollection, the world at 1:110m
 * (`detail: "low"`) and the region at 1:50m clipped to `DETAIL_BOX` (`detail: "high"`), rounded to about 100 m,
 * in RFC 7946 winding. About 80 KB compressed; made once per process.
 */
export function baseMap(): BaseMap {
  if (base) return base;
  const require = createRequire(import.meta.url);
  const load = (file: string) => {
    const topo = require(`world-atlas/${file}`) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    return (feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>).features;
  };
  const features: Feature[] = [];
  const add = (
    f: Feature<Geometry, { name: string }>,
    detail: 'low' | 'high',
    polys: Position[][][],
    digits: number,
  ) => {
    if (polys.length === 0) return;
    const g: Polygon | MultiPolygon =
      polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
    features.push({
      type: 'Feature',
      id: `${detail}-${String(f.id ?? f.properties.name)}`,
      properties: { name: f.properties.name, detail },
      geometry: rfc7946(g, digits),
    });
  };
  const polygonsOf = (g: Geometry): Position[][][] =>
    g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const f of load('countries-110m.json')) add(f, 'low', polygonsOf(f.geometry), 2);
  for (const f of load('countries-50m.json')) add(f, 'high', clipPolygons(polygonsOf(f.geometry), DETAIL_BOX), 3);
  const pkg = require('world-atlas/package.json') as { version: string };
  const json = JSON.stringify({ type: 'FeatureCollection', features });
  const hash = createHash('sha256').update(json).digest('base64url').slice(0, 16);
  base = { json, etag: `"${hash}"`, version: `${pkg.version}-${hash.slice(0, 8)}` };
  return base;
}
