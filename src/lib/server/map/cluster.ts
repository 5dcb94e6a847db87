import Supercluster from 'supercluster';
import { MAX_CLUSTER_ZOOM } from './schema.js';

/**
 * Server-side clustering (supercluster) of weighted points: each input point is a place carrying how many records it
 * has and how many in each right category; a cluster sums them. Records share their place's centroid, so clustering
 * places rather than records loses nothing and keeps a place with a thousand records one point at any zoom.
 */

export interface WeightedPoint {
  /** An index into the caller's own arrays (places). */
  ref: number;
  lon: number;
  lat: number;
  /** Records here (records layer), or 1 (places layer). */
  n: number;
  /** Records per category, by the caller's category index. */
  c: number[];
}

interface Props {
  ref: number;
  n: number;
  c: number[];
}

interface Sums {
  n: number;
  c: number[];
}

export type ClusterHit =
  | {
      kind: 'cluster';
      id: number;
      lon: number;
      lat: number;
      /** Points (places) inside. */
      points: number;
      n: number;
      c: number[];
    }
  | { kind: 'point'; ref: number; lon: number; lat: number; n: number; c: number[] };

export class PointIndex {
  private readonly index: Supercluster<Props, Sums>;
  readonly size: number;

  constructor(points: WeightedPoint[], opts: { radius?: number; extent?: number } = {}) {
    this.index = new Supercluster<Props, Sums>({
      radius: opts.radius ?? 60,
      extent: opts.extent ?? 512,
      maxZoom: MAX_CLUSTER_ZOOM,
      // Sums are copied, never shared: supercluster reduces into the object `map` returns.
      map: (p) => ({ n: p.n, c: p.c.slice() }),
      reduce: (acc, p) => {
        acc.n += p.n;
        for (let i = 0; i < p.c.length; i++) acc.c[i] = (acc.c[i] ?? 0) + p.c[i]!;
      },
    });
    this.index.load(
      points.map((p) => ({
        type: 'Feature' as const,
        properties: { ref: p.ref, n: p.n, c: p.c },
        geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      })),
    );
    this.size = points.length;
  }

  /** Clusters and single points inside the box at a zoom; a box with west > east crosses the antimeridian. */
  query(bbox: [number, number, number, number], zoom: number): ClusterHit[] {
    return this.index.getClusters(bbox, Math.min(zoom, MAX_CLUSTER_ZOOM + 1)).map((f): ClusterHit => {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const p = f.properties;
      if ('cluster' in p && p.cluster) {
        const sums = p as unknown as Sums & { cluster_id: number; point_count: number };
        return {
          kind: 'cluster',
          id: sums.cluster_id,
          lon,
          lat,
          points: sums.point_count,
          n: sums.n,
          c: sums.c,
        };
      }
      const q = p as Props;
      return { kind: 'point', ref: q.ref, lon, lat, n: q.n, c: q.c };
    });
  }

  /**
   * The zoom at which a cluster splits. Not part of a query's answer: it walks the cluster's children level by level,
   * which for the few hundred clusters of a viewport cost more than the query itself.
   */
  expansionZoom(clusterId: number): number {
    return Math.min(this.index.getClusterExpansionZoom(clusterId), MAX_CLUSTER_ZOOM + 1);
  }

  /** The refs of a cluster's points, up to `limit`. */
  leaves(clusterId: number, limit: number): number[] {
    return this.index.getLeaves(clusterId, limit).map((f) => f.properties.ref);
  }
}

/** The smallest zoom at which `lonSpan` degrees fill about `pixels` pixels (256-pixel tiles, Web Mercator). */
export function zoomFor(lonSpan: number, pixels: number): number {
  return Math.max(
    0,
    Math.min(MAX_CLUSTER_ZOOM, Math.floor(Math.log2((pixels * 360) / (256 * Math.max(lonSpan, 1e-6))))),
  );
}
