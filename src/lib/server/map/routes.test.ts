import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import type { CreateRecordInput } from '../records/index.js';
import { libVersion } from './assets.js';
import { ringArea } from './geo.js';
import type { MapSummary, Points } from './schema.js';

/**
 * The public map on both databases: clusters, layers, the summary the no-JavaScript page reads, the static SVG, the
 * RFC 7946 export, the self-hosted library, and canaries. The canaries are a restricted, an internal (both published)
 * and a draft record, all at a place of their own that nothing public cites: none of them, nor that place, nor a
 * count that includes them, may appear on any map route.
 */
const CANARY = {
  restricted: 'CANARY-map-restricted-91e4',
  internal: 'CANARY-map-internal-0b7a',
  draft: 'CANARY-map-draft-55c2',
  place: 'Canaryville-map-3f1d',
};
const CANARY_LON = 45.123457;
const CANARY_LAT = 40.987653;
const WORLD = '-180,-85,180,85';

type Geometry = { type: string; coordinates: unknown };
type Feature = { type: string; id?: unknown; geometry: Geometry | null; properties: Record<string, unknown> | null };

/** The RFC 7946 rules a consumer relies on; returns what is wrong, so a failure names it. */
export function rfc7946Problems(doc: unknown): string[] {
  const out: string[] = [];
  const fc = doc as { type?: unknown; features?: unknown; crs?: unknown; bbox?: unknown };
  if (fc.type !== 'FeatureCollection') out.push('not a FeatureCollection');
  if ('crs' in (fc as object)) out.push('has a crs member (§4: removed)');
  if (!Array.isArray(fc.features)) return [...out, 'features is not an array'];
  if (fc.bbox !== undefined) {
    const b = fc.bbox as number[];
    if (!Array.isArray(b) || b.length !== 4 || b[1]! > b[3]!) out.push('bbox is not [w, s, e, n] with s ≤ n');
  }
  const position = (p: unknown, where: string) => {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((x) => typeof x === 'number' && isFinite(x)))
      return out.push(`${where}: not a position`);
    const [lon, lat] = p as number[];
    if (lon! < -180 || lon! > 180) out.push(`${where}: longitude ${lon} out of range`);
    if (lat! < -90 || lat! > 90) out.push(`${where}: latitude ${lat} out of range`);
  };
  const polygon = (rings: unknown, where: string) => {
    if (!Array.isArray(rings) || rings.length === 0) return out.push(`${where}: no rings`);
    rings.forEach((ring: unknown, i) => {
      const r = ring as number[][];
      if (!Array.isArray(r) || r.length < 4) return out.push(`${where} ring ${i}: fewer than 4 positions`);
      r.forEach((p, k) => position(p, `${where} ring ${i}[${k}]`));
      if (r[0]![0] !== r.at(-1)![0] || r[0]![1] !== r.at(-1)![1]) out.push(`${where} ring ${i}: not closed`);
      const ccw = ringArea(r) > 0;
      if (i === 0 && !ccw) out.push(`${where}: exterior ring is clockwise (§3.1.6 wants counterclockwise)`);
      if (i > 0 && ccw) out.push(`${where}: hole ${i} is counterclockwise (§3.1.6 wants clockwise)`);
    });
  };
  (fc.features as Feature[]).forEach((f, n) => {
    const where = `feature ${n}`;
    if (f.type !== 'Feature') out.push(`${where}: type is not Feature`);
    if (!('properties' in f) || (f.properties !== null && typeof f.properties !== 'object'))
      out.push(`${where}: properties missing`);
    if (f.id !== undefined && typeof f.id !== 'string' && typeof f.id !== 'number') out.push(`${where}: bad id`);
    const g = f.geometry;
    if (g === null) return;
    switch (g.type) {
      case 'Point':
        position(g.coordinates, where);
        break;
      case 'Polygon':
        polygon(g.coordinates, where);
        break;
      case 'MultiPolygon':
        (g.coordinates as unknown[]).forEach((p, k) => polygon(p, `${where} polygon ${k}`));
        break;
      default:
        out.push(`${where}: unexpected geometry ${g.type}`);
    }
  });
  return out;
}

describe('rfc7946Problems', () => {
  it('catches what it checks for', () => {
    const clockwise = [
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
      [0, 0],
    ];
    expect(
      rfc7946Problems({
        type: 'FeatureCollection',
        crs: {},
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [clockwise] } },
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [200, 10] } },
          { type: 'Feat', properties: {}, geometry: { type: 'Point', coordinates: [10, 10] } },
        ],
      }),
    ).toEqual([
      'has a crs member (§4: removed)',
      'feature 0: exterior ring is clockwise (§3.1.6 wants counterclockwise)',
      'feature 1: longitude 200 out of range',
      'feature 2: type is not Feature',
    ]);
  });
});

describeEachApi('public map', (api) => {
  const ids: Record<string, string> = {};
  let canaryPlace = '';
  let goris = '';
  let stepanakert = '';
  let publish: (id: string) => Promise<void>;
  let unpublish: (id: string) => Promise<void>;
  let toDraft: (id: string) => Promise<void>;
  let doraSession = '';

  const get = async (path: string, init: RequestInit = {}) => {
    const res = await api().request(path, init);
    return { res, text: await res.text() };
  };
  const points = async (query: string) => {
    const { res, text } = await get(`/api/public/map/points?${query}`);
    expect(res.status, text).toBe(200);
    return JSON.parse(text) as Points;
  };
  const recordsIn = (p: Points) =>
    p.features.reduce((n, f) => n + (f.properties.kind === 'cluster' ? f.properties.count : f.properties.count), 0);

  beforeAll(async () => {
    const factory = createFactory(api());
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const rita = await factory.signedIn('rita', { role: 'reviewer' });
    doraSession = dora.session;
    goris = (await factory.place('Goris', { geometry: { type: 'Point', coordinates: [46.339, 39.511] } })).id;
    // Clockwise on purpose: the export must rewind it.
    stepanakert = (
      await factory.place('Stepanakert', {
        type: 'city',
        // A transliteration of another side's name is not the place's English name: the preferred name is shown.
        altNames: [
          { name: 'Ստեփանակերտ', lang: 'hy' },
          { name: 'Khankendi', lang: 'en', kind: 'transliteration' },
        ],
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [46.7, 39.78],
              [46.7, 39.85],
              [46.8, 39.85],
              [46.8, 39.78],
              [46.7, 39.78],
            ],
          ],
        },
      })
    ).id;
    canaryPlace = (
      await factory.place(CANARY.place, { geometry: { type: 'Point', coordinates: [CANARY_LON, CANARY_LAT] } })
    ).id;
    const life = (await api().platform.rights.findByCode('IND-LIFE'))!.id;
    const children = (await api().platform.rights.findByCode('VUL-CHILDREN'))!.id;

    const move = async (id: string, to: string, session: string) => {
      const res = await api().request(`/api/records/${id}/transitions`, {
        method: 'POST',
        session,
        json: to === 'unpublished' ? { to, reason: 'Test' } : { to },
      });
      expect(res.status, `${id} → ${to}`).toBe(200);
    };
    publish = async (id) => {
      await move(id, 'in-review', dora.session);
      await move(id, 'approved', rita.session);
      await move(id, 'published', rita.session);
    };
    unpublish = (id) => move(id, 'unpublished', rita.session);
    toDraft = (id) => move(id, 'draft', dora.session);
    const make = async (name: string, input: Partial<CreateRecordInput>, published: boolean) => {
      const r = await factory.record(name, dora, { confidentiality: 'public', ...input });
      ids[name] = r.id;
      if (input.confidentiality === 'restricted') {
        const res = await api().request(`/api/records/${r.id}/access`, {
          method: 'PUT',
          session: dora.session,
          json: { userIds: [rita.id] },
        });
        expect(res.status).toBe(200);
      }
      if (published) await publish(r.id);
    };
    await make(
      'road',
      {
        texts: {
          en: { title: 'Road closed at Goris', summary: 'According to the ombudsman, the road was closed.' },
          hy: { title: 'Ճանապարհը փակ է', summary: 'Ըստ օմբուդսմենի։', translationStatus: 'translated' },
        },
        placeIds: [goris],
        rightIds: [life],
      },
      true,
    );
    await make('school', { placeIds: [stepanakert], rightIds: [children, life] }, true);
    await make('clinic', { placeIds: [stepanakert] }, true);
    await make('unplaced', {}, true);
    await make(CANARY.restricted, { confidentiality: 'restricted', placeIds: [canaryPlace, goris] }, true);
    await make(CANARY.internal, { confidentiality: 'internal', placeIds: [canaryPlace, stepanakert] }, true);
    await make(CANARY.draft, { placeIds: [canaryPlace, goris] }, false);

    const crisis = await api().request('/api/crisis', {
      method: 'PUT',
      session: dora.session,
      json: { name: { en: 'Blockade' }, startsAt: '2022-12-12T10:30', timeZone: 'Asia/Yerevan' },
    });
    expect(crisis.status).toBe(200);
    const d = await api().request('/api/disruptions', {
      method: 'POST',
      session: dora.session,
      json: {
        service: 'gas',
        severity: 'complete',
        start: '2022-12-13',
        area: 'The whole region',
        placeIds: [stepanakert],
      },
    });
    expect(d.status, await d.clone().text()).toBe(201);
    ids.disruption = ((await d.json()) as { id: string }).id;
  });

  it('clusters the published public records and counts them per category', async () => {
    const world = await points(`bbox=${WORLD}&zoom=0`);
    expect(world.type).toBe('FeatureCollection');
    // road (Goris), school and clinic (Stepanakert): the canaries are not counted, the unplaced record is not drawn.
    expect(recordsIn(world)).toBe(3);
    expect(world.features).toHaveLength(1);
    const cluster = world.features[0]!.properties;
    expect(cluster).toMatchObject({ kind: 'cluster', count: 3, places: 2, categories: { IND: 2, VUL: 1, none: 1 } });

    const close = await points(`bbox=46,39,47.5,40.5&zoom=12&lang=hy`);
    const byId = new Map(close.features.map((f) => [f.id, f.properties]));
    expect([...byId.keys()].sort()).toEqual([goris, stepanakert].sort());
    expect(byId.get(stepanakert)).toMatchObject({
      kind: 'place',
      name: { text: 'Ստեփանակերտ', lang: 'hy', fallback: false },
      count: 2,
      record: null,
      href: `/records?place=${stepanakert}`,
    });
    expect(byId.get(goris)).toMatchObject({
      name: { text: 'Goris', fallback: true },
      count: 1,
      record: { id: ids.road, title: { text: 'Ճանապարհը փակ է', lang: 'hy', fallback: false } },
    });
    const fr = await points(`bbox=46,39,47.5,40.5&zoom=12&lang=fr`);
    const road = fr.features.find((f) => f.id === goris)!.properties;
    expect(road.kind === 'place' && road.record?.title).toEqual({
      text: 'Road closed at Goris',
      lang: 'en',
      fallback: true,
    });
  });

  it('filters by right category (id or code), and the places layer lists every cited place', async () => {
    const vul = await points(`bbox=${WORLD}&zoom=12&category=VUL`);
    expect(vul.features.map((f) => [f.id, f.properties.count])).toEqual([[stepanakert, 1]]);
    const category = (await api().platform.rights.findByCode('IND'))!.id;
    expect(recordsIn(await points(`bbox=${WORLD}&zoom=12&category=${category}`))).toBe(2);
    const places = await points(`layer=places&bbox=${WORLD}&zoom=12`);
    expect(places.features.map((f) => f.id).sort()).toEqual([goris, stepanakert].sort());
    const { res, text } = await get(`/api/public/map/points?category=NOPE`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(text).toContain('category');
  });

  it('refuses a malformed box or zoom with a problem naming the field', async () => {
    for (const [q, field] of [
      ['bbox=1,2,3', 'bbox'],
      ['bbox=0,50,10,40', 'bbox'],
      ['bbox=0,0,200,10', 'bbox'],
      ['zoom=99', 'zoom'],
      ['layer=secret', 'layer'],
    ] as const) {
      const { res, text } = await get(`/api/public/map/points?${q}`);
      expect(res.status, q).toBe(422);
      expect(
        (JSON.parse(text) as { errors: { path: string }[] }).errors.map((e) => e.path),
        q,
      ).toContain(field);
    }
  });

  it('summarises for the page: categories, places with their newest records, disruptions, bounds', async () => {
    const { res, text } = await get('/api/public/map/summary?lang=en');
    expect(res.status).toBe(200);
    const s = JSON.parse(text) as MapSummary;
    expect(s.total).toBe(3);
    expect(s.unplaced).toBe(1);
    expect(s.categories.map((c) => [c.code, c.count])).toEqual([
      ['IND', 2],
      ['VUL', 1],
      ['COL', 0],
      ['none', 1],
    ]);
    expect(s.places.map((p) => [p.name.text, p.count])).toEqual([
      ['Stepanakert', 2],
      ['Goris', 1],
    ]);
    expect(s.places[0]!.records.map((r) => r.id).sort()).toEqual([ids.school, ids.clinic].sort());
    expect(s.places[0]!.disruptions).toEqual([ids.disruption]);
    expect(s.disruptions).toEqual([
      expect.objectContaining({ service: 'gas', ongoing: true, severity: 'complete', area: 'The whole region' }),
    ]);
    expect(s.base).toMatch(/^\/api\/public\/map\/base\?v=/);
    expect(s.tiles).toBeNull();
    // Around Goris and Stepanakert, not the world.
    expect(s.bounds[0]).toBeGreaterThan(44);
    expect(s.bounds[2]).toBeLessThan(49);
  });

  it('draws the same places in the static SVG, with the disruption area', async () => {
    const { res, text } = await get('/api/public/map/static.svg?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    expect(text).toContain('role="img"');
    expect(text).toContain('Stepanakert · 2');
    expect(text).toContain('Goris · 1');
    expect(text).toContain('stroke-dasharray'); // the disruption area
    const only = await get('/api/public/map/static.svg?lang=en&layers=places');
    expect(only.text).not.toContain('· 2');
    expect(only.text).toContain('Stepanakert');
  });

  it('exports the public layer as RFC 7946 GeoJSON, as a download', async () => {
    const { res, text } = await get('/api/public/map/export.geojson?lang=hy');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="corridor-map-hy.geojson"');
    const doc = JSON.parse(text) as { features: Feature[]; bbox: number[] };
    expect(rfc7946Problems(doc)).toEqual([]);
    const layers = doc.features.map((f) => f.properties!.layer);
    expect(layers.filter((l) => l === 'record')).toHaveLength(3); // road, school, clinic; not the unplaced one
    expect(layers.filter((l) => l === 'place')).toHaveLength(2);
    expect(layers.filter((l) => l === 'disruption')).toHaveLength(1);
    const area = doc.features.find((f) => f.properties!.layer === 'disruption')!;
    expect(area.geometry!.type).toBe('Polygon');
    const road = doc.features.find((f) => f.properties!.record === ids.road)!;
    expect(road.properties).toMatchObject({ title: 'Ճանապարհը փակ է', categories: ['IND'] });
    expect(road.properties!.url).toBe(`http://localhost/hy/records/${ids.road}`);
    expect(doc.bbox).toEqual([46.339, 39.511, 46.8, 39.85]);
    const again = await get('/api/public/map/export.geojson?lang=hy', {
      headers: { 'if-none-match': res.headers.get('etag')! },
    });
    expect(again.res.status).toBe(304);
  });

  it('serves the base map and MapLibre from here, immutable', async () => {
    const base = await get('/api/public/map/base?v=1');
    expect(base.res.headers.get('cache-control')).toContain('immutable');
    const doc = JSON.parse(base.text) as { features: Feature[] };
    expect(rfc7946Problems(doc)).toEqual([]);
    expect(doc.features.some((f) => f.properties!.name === 'Armenia' && f.properties!.detail === 'high')).toBe(true);
    expect(base.text.length).toBeLessThan(600_000);

    const lib = await api().request(`/api/public/map/lib/${libVersion()}/maplibre-gl.mjs`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(lib.status).toBe(200);
    expect(lib.headers.get('content-encoding')).toBe('br');
    expect(lib.headers.get('content-type')).toContain('text/javascript');
    expect(lib.headers.get('cache-control')).toContain('immutable');
    const plain = await get(`/api/public/map/lib/${libVersion()}/maplibre-gl-worker.mjs`);
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.text).not.toContain('sourceMappingURL');
    expect((await api().request('/api/public/map/lib/0.0.1/maplibre-gl.mjs')).status).toBe(404);
    expect((await api().request(`/api/public/map/lib/${libVersion()}/package.json`)).status).toBe(404);
  });

  it('never shows restricted, internal or draft records, their only place, or counts including them', async () => {
    const bodies: [string, string][] = [];
    for (const lang of ['en', 'fr', 'hy', 'ru'])
      for (const path of [
        `/api/public/map/points?bbox=${WORLD}&zoom=0&lang=${lang}`,
        `/api/public/map/points?bbox=${WORLD}&zoom=20&lang=${lang}`,
        `/api/public/map/points?bbox=44.5,40.5,45.5,41.5&zoom=14&lang=${lang}`,
        `/api/public/map/points?layer=places&bbox=${WORLD}&zoom=0&lang=${lang}`,
        `/api/public/map/points?layer=places&bbox=${WORLD}&zoom=20&lang=${lang}`,
        `/api/public/map/points?bbox=${WORLD}&zoom=20&category=IND&lang=${lang}`,
        `/api/public/map/summary?lang=${lang}`,
        `/api/public/map/disruptions?lang=${lang}`,
        `/api/public/map/export.geojson?lang=${lang}`,
        `/api/public/map/static.svg?lang=${lang}`,
        `/api/public/map/static.svg?lang=${lang}&layers=places`,
      ]) {
        const { res, text } = await get(path);
        expect(res.status, path).toBe(200);
        bodies.push([path, text]);
      }
    const secrets = [
      ...Object.values(CANARY),
      canaryPlace,
      ids[CANARY.restricted]!,
      ids[CANARY.internal]!,
      ids[CANARY.draft]!,
      String(CANARY_LON),
      String(CANARY_LAT),
      '45.12',
    ];
    for (const [path, text] of bodies) for (const s of secrets) expect(text, `${path} shows ${s}`).not.toContain(s);
    // Counts: Goris has one public record (the restricted and draft ones are there too), Stepanakert two.
    const close = await points(`bbox=${WORLD}&zoom=20`);
    expect(Object.fromEntries(close.features.map((f) => [f.id, f.properties.count]))).toEqual({
      [goris]: 1,
      [stepanakert]: 2,
    });
    // And the SVG, which has no ids: nothing is drawn at the canary place.
    const svg = bodies.find(([p]) => p === '/api/public/map/static.svg?lang=en')![1];
    expect([...svg.matchAll(/<circle /g)]).toHaveLength(2);
  });

  it('is not rebuilt for work the public cannot see: a new draft moves the audit chain, not the map', async () => {
    await points(`bbox=${WORLD}&zoom=0`);
    const build = vi.spyOn(api().platform.map as unknown as { build: () => Promise<unknown> }, 'build');
    try {
      const dora = await createFactory(api()).signedIn('dora-draft', { role: 'documenter' });
      await createFactory(api()).record('draft-only', dora, { placeIds: [goris] });
      expect(recordsIn(await points(`bbox=${WORLD}&zoom=0`))).toBe(3);
      expect(build).not.toHaveBeenCalled();
      await unpublish(ids.road!);
      expect(recordsIn(await points(`bbox=${WORLD}&zoom=0`))).toBe(2);
      expect(build).toHaveBeenCalledTimes(1);
      await toDraft(ids.road!);
      await publish(ids.road!);
      expect(recordsIn(await points(`bbox=${WORLD}&zoom=0`))).toBe(3);
    } finally {
      build.mockRestore();
    }
  });

  it('follows publication at once: an unpublished record leaves the map, a published one arrives', async () => {
    const before = recordsIn(await points(`bbox=${WORLD}&zoom=0`));
    await unpublish(ids.clinic!);
    expect(recordsIn(await points(`bbox=${WORLD}&zoom=0`))).toBe(before - 1);
    const summary = JSON.parse((await get('/api/public/map/summary?lang=en')).text) as MapSummary;
    expect(summary.places.find((p) => p.id === stepanakert)!.count).toBe(1);
    await toDraft(ids.clinic!);
    await publish(ids.clinic!);
    expect(recordsIn(await points(`bbox=${WORLD}&zoom=0`))).toBe(before);
  });

  it('passes online tiles through this server only when CORRIDOR_TILE_URL is set', async () => {
    expect((await api().request('/api/public/map/tiles/1/0/1')).status).toBe(404);
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const asked: string[] = [];
    const upstream = createServer((req, res) => {
      asked.push(req.url!);
      if (req.url === '/1/0/1.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    vi.stubEnv('CORRIDOR_TILE_URL', `http://127.0.0.1:${port}/{z}/{x}/{y}.png`);
    try {
      const summary = JSON.parse((await get('/api/public/map/summary')).text) as MapSummary;
      expect(summary.tiles).toBe('/api/public/map/tiles/{z}/{x}/{y}');
      const tile = await api().request('/api/public/map/tiles/1/0/1');
      expect(tile.status).toBe(200);
      expect(tile.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await tile.arrayBuffer())).toEqual(png);
      // Kept: the provider is asked once.
      await api().request('/api/public/map/tiles/1/0/1');
      expect(asked).toEqual(['/1/0/1.png']);
      // Not an image, or outside the grid: nothing is passed on.
      expect((await api().request('/api/public/map/tiles/1/1/1')).status).toBe(404);
      expect((await api().request('/api/public/map/tiles/1/2/0')).status).toBe(404);
      expect((await api().request('/api/public/map/tiles/99/0/0')).status).toBe(422);
    } finally {
      vi.unstubAllEnvs();
      await new Promise((r) => upstream.close(r));
    }
  });

  it('lets a disruption cite gazetteer places: checked, replaced, kept from deletion', async () => {
    const call = (method: string, path: string, json?: unknown) =>
      api().request(`/api${path}`, { method, session: doraSession, ...(json === undefined ? {} : { json }) });
    const bad = await call('POST', '/disruptions', {
      service: 'water',
      severity: 'partial',
      start: '2023-01-05',
      placeIds: [goris, 'no-such-place'],
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['placeIds.1']);
    const made = await call('POST', '/disruptions', {
      service: 'water',
      severity: 'partial',
      start: '2023-01-05',
      placeIds: [goris, goris],
    });
    expect(made.status).toBe(201);
    const d = (await made.json()) as { id: string; placeIds: string[] };
    expect(d.placeIds).toEqual([goris]);
    const patched = await call('PATCH', `/disruptions/${d.id}`, { placeIds: [stepanakert, goris] });
    expect(((await patched.json()) as { placeIds: string[] }).placeIds).toEqual([stepanakert, goris]);
    // Other fields leave the places alone.
    const noted = await call('PATCH', `/disruptions/${d.id}`, { note: 'Checked.' });
    expect(((await noted.json()) as { placeIds: string[] }).placeIds).toEqual([stepanakert, goris]);
    const areas = JSON.parse((await get('/api/public/map/disruptions')).text) as { features: Feature[] };
    expect(areas.features.filter((f) => f.properties!.disruption === d.id).map((f) => f.properties!.place)).toEqual([
      stepanakert,
      goris,
    ]);
    // A place a disruption cites cannot be deleted from under it; once the disruption is gone, it can.
    const lone = await api().platform.places.create({ name: 'Aghavno', type: 'village' }, null);
    await call('PATCH', `/disruptions/${d.id}`, { placeIds: [lone.id, goris] });
    expect((await call('DELETE', `/places/${lone.id}`)).status).toBe(409);
    expect((await call('DELETE', `/disruptions/${d.id}`)).status).toBe(204);
    expect((await call('DELETE', `/places/${lone.id}`)).status).toBe(204);
    const after = JSON.parse((await get('/api/public/map/disruptions')).text) as { features: Feature[] };
    expect(after.features.some((f) => f.properties!.disruption === d.id)).toBe(false);
  });
});
