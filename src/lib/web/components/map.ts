/**
 * Equirectangular projection of GeoJSON into an SVG viewBox: longitude to x, latitude to -y, with x shrunk by the
 * cosine of the middle latitude so that shapes near 40° N are not stretched. No tiles and no external requests.
 */
export type Position = number[];
export type MapGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface MapFeature {
  id: string;
  label: string;
  geometry?: MapGeometry | null;
  centroid?: { lat: number; lon: number } | null;
  highlight?: boolean;
}

export interface ProjectedFeature {
  id: string;
  label: string;
  highlight: boolean;
  /** SVG path for polygons; absent for a point. */
  path?: string;
  /** Where the dot (and the label) goes. */
  x: number;
  y: number;
}

const WIDTH = 400;

function positionsOf(f: MapFeature): Position[] {
  const g = f.geometry;
  if (g?.type === 'Point') return [g.coordinates];
  if (g?.type === 'Polygon') return g.coordinates.flat();
  if (g?.type === 'MultiPolygon') return g.coordinates.flat(2);
  return f.centroid ? [[f.centroid.lon, f.centroid.lat]] : [];
}

export function project(features: MapFeature[]): {
  width: number;
  height: number;
  features: ProjectedFeature[];
} | null {
  const all = features.flatMap(positionsOf);
  if (all.length === 0) return null;
  const lons = all.map((p) => p[0]!);
  const lats = all.map((p) => p[1]!);
  let [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  // A single point (or a tiny area) gets a window of about 20 km around it.
  const pad = Math.max((maxLon - minLon) * 0.1, (maxLat - minLat) * 0.1, 0.1);
  [minLon, maxLon, minLat, maxLat] = [minLon - pad, maxLon + pad, minLat - pad, maxLat + pad];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * k;
  const spanY = maxLat - minLat;
  const scale = WIDTH / spanX;
  const height = Math.max(120, Math.min(600, Math.round(spanY * scale)));
  const sy = height / spanY;
  const xy = (p: Position): [number, number] => [round((p[0]! - minLon) * k * scale), round((maxLat - p[1]!) * sy)];
  const ring = (r: Position[]) => r.map((p, i) => `${i ? 'L' : 'M'}${xy(p).join(' ')}`).join('') + 'Z';

  const out = features.flatMap((f): ProjectedFeature[] => {
    const g = f.geometry;
    const base = { id: f.id, label: f.label, highlight: !!f.highlight };
    let path: string | undefined;
    if (g?.type === 'Polygon') path = g.coordinates.map(ring).join('');
    if (g?.type === 'MultiPolygon') path = g.coordinates.map((poly) => poly.map(ring).join('')).join('');
    const at = f.centroid
      ? ([f.centroid.lon, f.centroid.lat] as Position)
      : g?.type === 'Point'
        ? g.coordinates
        : positionsOf(f)[0];
    if (!at) return [];
    const [x, y] = xy(at);
    return [{ ...base, path, x, y }];
  });
  return { width: WIDTH, height, features: out };
}

const round = (n: number) => Math.round(n * 10) / 10;
