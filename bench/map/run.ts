/**
 * Map clustering benchmark (issue 7): 100,000 synthetic places, each with published records in right categories,
 * clustered by the map module, against a raw baseline run in the same process: a naive grid count that walks every
 * point for each query (what the map would do without an index). Prints the index build time, the query time at
 * several zooms, both as ratios against the baseline, and the size of the API's answers. The data goes through the
 * map service itself, with an in-memory repository in place of the database, so that what is timed is what a
 * request pays after its snapshot is built. Not a test: it prints figures and asserts nothing.
 *
 *   npm run bench:map [-- --points 100000 --runs 5]
 */
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { MapService, PointIndex, type WeightedPoint } from '../../src/lib/server/map/index.js';
import type { MapRepository } from '../../src/lib/server/map/repository.js';
import type { RightCategory } from '../../src/lib/server/rights/index.js';
import { seeded } from '../../src/lib/server/testing/random.js';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
});
const N = Math.max(1000, Number(values.points) || 100_000);
const RUNS = Math.max(1, Number(values.runs) || 5);
const CATEGORIES = 4;

/** Towns of the region as centres (Stepanakert, Goris, Berdzor, Shushi, Yerevan, Tbilisi), most points near them. */
const CENTRES: [number, number, number][] = [
  [46.752, 39.815, 0.3],
  [46.339, 39.511, 0.2],
  [46.546, 39.64, 0.15],
  [46.749, 39.758, 0.1],
  [44.513, 40.181, 0.15],
  [44.793, 41.715, 0.1],
];

function synthetic(n: number): WeightedPoint[] {
  const r = seeded(7);
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: n }, (_, ref) => {
    let lon: number;
    let lat: number;
    if (r() < 0.85) {
      // A spread of a few kilometres to tens of kilometres around each town.
      const [cx, cy, spread] = CENTRES[Math.floor(r() * CENTRES.length)]!;
      lon = cx + gauss() * 0.8 * spread;
      lat = cy + gauss() * 0.6 * spread;
    } else {
      lon = 40 + r() * 12;
      lat = 37 + r() * 7;
    }
    const c = new Array<number>(CATEGORIES).fill(0);
    const records = 1 + Math.floor(r() * 3);
    for (let i = 0; i < records; i++) c[Math.floor(r() * CATEGORIES)]!++;
    return { ref, lon, lat, n: records, c };
  });
}

/** The raw baseline: every point walked, binned into cells of the cluster radius at that zoom, counts summed. */
function naiveGrid(points: WeightedPoint[], bbox: [number, number, number, number], zoom: number): number {
  const [w, s, e, n] = bbox;
  // Cells of 60 px on 512-px tiles, as the index's radius: the same resolution of answer.
  const cells = (2 ** zoom * 512) / 60;
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * cells);
  const y = (lat: number) => {
    const sin = Math.sin((lat * Math.PI) / 180);
    return Math.floor((0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI) * cells);
  };
  const bins = new Map<number, { n: number; c: number[] }>();
  for (const p of points) {
    if (p.lon < w || p.lon > e || p.lat < s || p.lat > n) continue;
    const key = x(p.lon) * 1e7 + y(p.lat);
    const b = bins.get(key);
    if (b) {
      b.n += p.n;
      for (let i = 0; i < p.c.length; i++) b.c[i]! += p.c[i]!;
    } else bins.set(key, { n: p.n, c: p.c.slice() });
  }
  return bins.size;
}

/** A 1280 × 800 px viewport around a point at a zoom (256-px tiles), as the map asks for it. */
function viewport(lon: number, lat: number, zoom: number): [number, number, number, number] {
  if (zoom <= 2) return [-180, -85, 180, 85];
  const degPerPx = 360 / (256 * 2 ** zoom);
  const halfW = 640 * degPerPx;
  const halfH = 400 * degPerPx * Math.cos((lat * Math.PI) / 180);
  return [lon - halfW, lat - halfH, lon + halfW, lat + halfH];
}

function time(fn: () => unknown, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b)[Math.floor(out.length / 2)]!;
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b)[Math.floor(out.length / 2)]!;
}

const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : 'n/a');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The same points as a database would give them: one published record per point and category, at its place. */
function fakeRepository(points: WeightedPoint[]): MapRepository {
  const recordPlaces: { record_id: string; place_id: string }[] = [];
  const recordRights: { record_id: string; right_id: string }[] = [];
  for (const p of points)
    for (let k = 0; k < p.n; k++) {
      const id = `r${p.ref}-${k}`;
      recordPlaces.push({ record_id: id, place_id: `p${p.ref}` });
      recordRights.push({ record_id: id, right_id: `cat${k % CATEGORIES}` });
    }
  const byId = new Map(points.map((p) => [`p${p.ref}`, p]));
  const repo = {
    version: () => Promise.resolve(1),
    digest: () => Promise.resolve('1'),
    publicRecordIds: () => Promise.resolve(recordPlaces.map((r) => r.record_id)),
    publicRecordPlaces: () => Promise.resolve(recordPlaces),
    publicRecordRights: () => Promise.resolve(recordRights),
    places: (ids: string[]) =>
      Promise.resolve(
        ids.map((id) => ({
          id,
          preferred_name: `Place ${id}`,
          type: 'village',
          geometry: null,
          centroid_lon: byId.get(id)!.lon,
          centroid_lat: byId.get(id)!.lat,
        })),
      ),
    placeNames: () => Promise.resolve([]),
    titles: (ids: string[]) =>
      Promise.resolve(
        ids.map((id) => ({
          record_id: id,
          code: `V-2023-${id}`,
          lang: 'en',
          title: `Synthetic record ${id}`,
          translation_status: 'original',
        })),
      ),
  };
  return repo as unknown as MapRepository;
}

const tree: RightCategory[] = Array.from({ length: CATEGORIES }, (_, i) => ({
  id: `cat${i}`,
  code: `C${i}`,
  kind: 'category',
  parentId: null,
  names: { en: `Category ${i}`, fr: `Catégorie ${i}`, hy: `Կատեգորիա ${i}`, ru: `Категория ${i}` },
  instruments: [],
  sortOrder: i,
  retiredAt: null,
  createdAt: '',
  updatedAt: '',
  children: [],
}));

async function main(): Promise<void> {
  const points = synthetic(N);
  console.log(`Map clustering: ${N.toLocaleString('en')} places, ${RUNS} runs each (median)\n`);

  const build = time(() => new PointIndex(points), RUNS);
  const naiveFull = time(() => naiveGrid(points, [-180, -85, 180, 85], 0), RUNS);
  console.log(
    `index build          ${f(build)} ms   vs one naive grid pass ${f(naiveFull)} ms   ratio ${ratio(build, naiveFull)}`,
  );
  const index = new PointIndex(points);

  console.log('\nzoom  features  index ms  naive ms  ratio');
  for (const zoom of [0, 4, 7, 10, 13, 16]) {
    const box = viewport(46.752, 39.815, zoom);
    const hits = index.query(box, zoom);
    const q = time(() => index.query(box, zoom), RUNS * 4);
    const naive = time(() => naiveGrid(points, box, zoom), RUNS);
    console.log(
      `${String(zoom).padStart(4)}  ${String(hits.length).padStart(8)}  ${f(q).padStart(8)}  ${f(naive).padStart(8)}  ${ratio(q, naive)}`,
    );
  }

  // The whole path of GET /api/public/map/points after the snapshot: the service's answer and its size.
  const service = new MapService({
    repo: fakeRepository(points),
    visibleRecordIds: (ids) => Promise.resolve(new Set(ids)),
    rightsTree: () => Promise.resolve(tree),
    disruptions: () => Promise.resolve([]),
    baseUrl: () => '/api/public/map/base',
  });
  const t0 = performance.now();
  await service.points({ layer: 'records', zoom: 0, lang: 'en' });
  const cold = performance.now() - t0;
  console.log(`\nservice, first answer (snapshot of ${N.toLocaleString('en')} places and index): ${f(cold)} ms`);
  console.log('zoom  features  answer ms  JSON        gzip');
  for (const zoom of [0, 7, 10, 13, 16]) {
    const box = viewport(46.752, 39.815, zoom);
    const query = { layer: 'records' as const, bbox: box, zoom, lang: 'en' as const };
    const answer = await service.points(query);
    const ms = await timeAsync(() => service.points(query), RUNS);
    const json = JSON.stringify(answer);
    console.log(
      `${String(zoom).padStart(4)}  ${String(answer.features.length).padStart(8)}  ${f(ms).padStart(9)}  ${kb(json.length).padEnd(10)}  ${kb(gzipSync(json).length)}`,
    );
  }
}

/** The other shape of real data: as many records, at few places (every record of a town at its centroid). */
async function dense(): Promise<void> {
  const places = 60;
  const per = Math.round(N / places);
  const points = synthetic(places).map((p) => ({ ...p, n: per }));
  const service = new MapService({
    repo: fakeRepository(points),
    visibleRecordIds: (ids) => Promise.resolve(new Set(ids)),
    rightsTree: () => Promise.resolve(tree),
    disruptions: () => Promise.resolve([]),
    baseUrl: () => '/api/public/map/base',
  });
  const t0 = performance.now();
  const answer = await service.points({ layer: 'records', zoom: 8, lang: 'en' });
  const cold = performance.now() - t0;
  const summary = await timeAsync(() => service.summary({ lang: 'en' }), RUNS);
  console.log(
    `\n${(places * per).toLocaleString('en')} records at ${places} places: first answer ${f(cold)} ms ` +
      `(${answer.features.length} features), summary ${f(summary)} ms`,
  );
}

main()
  .then(dense)
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
