import type { Feature, Geometry } from 'geojson';
import type { Disruption } from '../crisis/index.js';
import { problems } from '../http/problem.js';
import { LANGS, type Lang } from '../records/index.js';
import { renderStaticMap, SOUTH_CAUCASUS, type Figure, type MapArea, type MapPoint } from '../render/index.js';
import type { RightCategory } from '../rights/index.js';
import { libPath } from './assets.js';
import { PointIndex, zoomFor, type ClusterHit, type WeightedPoint } from './cluster.js';
import { bboxOf, rfc7946 } from './geo.js';
import type { MapPlaceRow, MapRepository, TitleRow } from './repository.js';
import {
  MAP_LAYERS,
  SUMMARY_PLACES_MAX,
  SUMMARY_RECORDS_PER_PLACE,
  type CategorySummary,
  type DisruptionSummary,
  type LocalText,
  type MapLayer,
  type MapPlaceSummary,
  type MapSummary,
  type PlaceProperties,
  type PointFeature,
  type Points,
  type PointsQuery,
  type RecordRef,
} from './schema.js';

export interface MapServiceDeps {
  repo: MapRepository;
  /** The records module's public rule: which of these ids the public may see. */
  visibleRecordIds: (ids: string[]) => Promise<Set<string>>;
  /** The rights taxonomy (categories with their rights). */
  rightsTree: () => Promise<RightCategory[]>;
  /** Every disruption of the crisis (all public: the counters show them), with its places. */
  disruptions: () => Promise<Disruption[]>;
  /** The online raster tiles URL template (`CORRIDOR_TILE_URL`), read when asked so a restart is not needed. */
  tileUrl?: () => string | undefined;
  /** The base map's versioned address (immutable). */
  baseUrl: () => string;
  clock?: () => Date;
}

/** Tiles go through this server: the reader's browser talks to no one else (CSP, and privacy). */
export const TILE_PATH = '/api/public/map/tiles/{z}/{x}/{y}';

/** Legend colours by category order (the default taxonomy's three), then a grey for records citing no right. */
const PALETTE = ['#b3261e', '#6a3d9a', '#1f6f8b', '#8a5a00', '#2e7d32', '#ad1457'];
const NONE_COLOR = '#5c5c5c';
/** The key of records citing no right, in category counts. */
export const NO_CATEGORY = 'none';

const NONE_NAME: Record<Lang, string> = {
  en: 'No right given',
  fr: 'Aucun droit indiqué',
  hy: 'Իրավունքը նշված չէ',
  ru: 'Право не указано',
};

interface Category {
  id: string | null;
  code: string;
  names: Record<Lang, string>;
  color: string;
}

interface PlaceInfo {
  row: MapPlaceRow;
  lon: number;
  lat: number;
  names: Map<string, string>;
  /** Published public records here, newest first (UUIDv7 ids sort by creation). */
  records: string[];
  disruptions: string[];
}

/** Everything the map shows, read once per version of the data. */
interface Snapshot {
  version: number;
  categories: Category[];
  /** Category index per published public record (several when it cites rights of several categories). */
  recordCategories: Map<string, number[]>;
  places: PlaceInfo[];
  placeIndex: Map<string, number>;
  unplaced: number;
  disruptions: Disruption[];
  indexes: Map<string, PointIndex>;
  titles: Map<string, TitleRow[]>;
  exports: Map<string, string>;
  /** Summaries by language and category: the page asks for one on every view, the static map for another. */
  summaries: Map<string, MapSummary>;
  /** Static maps drawn, by their parameters (a few hundred at most: the sizes are free). */
  figures: Map<string, Figure>;
}

const localText = (text: string, lang: string | null, asked: Lang): LocalText => ({
  text,
  lang: lang ?? asked,
  fallback: lang !== asked,
});

/**
 * The public map: published public records clustered at their places per right category, the places that public
 * records or the crisis's disruptions cite, the disruptions' areas, the offline base map and an RFC 7946 export.
 * Its data is read once and kept until the audit chain moves (any write anywhere), so a hundred thousand points are
 * clustered once, not per request.
 */
export class MapService {
  private current: Promise<Snapshot> | undefined;
  private currentVersion = -1;
  private currentDigest = '';
  private readonly tiles = new Map<string, { tile: { body: Uint8Array<ArrayBuffer>; type: string }; until: number }>();

  constructor(private readonly deps: MapServiceDeps) {}

  /**
   * The data as of now. Nothing written since the last look (the audit head, one row): the snapshot as it is.
   * Something written: the digest of what the map is made of says whether it was public; only then is it rebuilt.
   */
  private async snapshot(): Promise<Snapshot> {
    const version = await this.deps.repo.version();
    if (this.current && this.currentVersion === version) return this.current;
    const digest = await this.deps.repo.digest();
    this.currentVersion = version;
    if (this.current && this.currentDigest === digest) return this.current;
    this.currentDigest = digest;
    const building = this.build(version);
    this.current = building;
    // A failed build is not kept: the next request tries again.
    building.catch(() => {
      if (this.current === building) {
        this.current = undefined;
        this.currentVersion = -1;
        this.currentDigest = '';
      }
    });
    return building;
  }

  private async build(version: number): Promise<Snapshot> {
    const [publicIds, pairs, rights, tree, disruptions] = await Promise.all([
      this.deps.repo.publicRecordIds(),
      this.deps.repo.publicRecordPlaces(),
      this.deps.repo.publicRecordRights(),
      this.deps.rightsTree(),
      this.deps.disruptions(),
    ]);
    // The records module's own rule decides; the repository's filter only kept the rest from being loaded.
    const candidates = publicIds;
    const visible = new Set<string>();
    for (let i = 0; i < candidates.length; i += 5_000)
      for (const id of await this.deps.visibleRecordIds(candidates.slice(i, i + 5_000))) visible.add(id);

    const categories: Category[] = tree.map((c, i) => ({
      id: c.id,
      code: c.code,
      names: c.names,
      color: PALETTE[i % PALETTE.length]!,
    }));
    categories.push({ id: null, code: NO_CATEGORY, names: NONE_NAME, color: NONE_COLOR });
    const noneIndex = categories.length - 1;
    const categoryOfRight = new Map<string, number>();
    tree.forEach((c, i) => {
      categoryOfRight.set(c.id, i);
      for (const r of c.children) categoryOfRight.set(r.id, i);
    });
    const recordCategories = new Map<string, number[]>();
    for (const r of rights) {
      if (!visible.has(r.record_id)) continue;
      const k = categoryOfRight.get(r.right_id);
      if (k === undefined) continue;
      const list = recordCategories.get(r.record_id) ?? [];
      if (!list.includes(k)) list.push(k);
      recordCategories.set(r.record_id, list);
    }

    const byPlace = new Map<string, string[]>();
    const placed = new Set<string>();
    for (const p of pairs) {
      if (!visible.has(p.record_id)) continue;
      if (!recordCategories.has(p.record_id)) recordCategories.set(p.record_id, [noneIndex]);
      const here = byPlace.get(p.place_id);
      if (here) here.push(p.record_id);
      else byPlace.set(p.place_id, [p.record_id]);
      placed.add(p.record_id);
    }
    let unplaced = 0;
    for (const id of visible) {
      if (!recordCategories.has(id)) recordCategories.set(id, [noneIndex]);
      if (!placed.has(id)) unplaced++;
    }
    const disruptionsAt = new Map<string, string[]>();
    for (const d of disruptions)
      for (const p of d.placeIds) disruptionsAt.set(p, [...(disruptionsAt.get(p) ?? []), d.id]);

    // Only places that something public cites: a place used by restricted records alone never reaches the map.
    const placeIds = [...new Set([...byPlace.keys(), ...disruptionsAt.keys()])];
    const [rows, names] = await Promise.all([this.deps.repo.places(placeIds), this.deps.repo.placeNames(placeIds)]);
    const namesOf = new Map<string, Map<string, string>>();
    for (const n of names) {
      const lang = (n.lang ?? '').toLowerCase().split('-')[0]!;
      const m = namesOf.get(n.place_id) ?? new Map<string, string>();
      // The first name tagged with the bare language wins over a script variant (`hy` before `hy-Latn`).
      if (!m.has(lang) || n.lang === lang) m.set(lang, n.name);
      namesOf.set(n.place_id, m);
    }
    const places: PlaceInfo[] = [];
    for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (row.centroid_lat === null || row.centroid_lon === null) continue;
      places.push({
        row,
        lon: row.centroid_lon,
        lat: row.centroid_lat,
        names: namesOf.get(row.id) ?? new Map(),
        records: (byPlace.get(row.id) ?? []).sort().reverse(),
        disruptions: disruptionsAt.get(row.id) ?? [],
      });
    }
    return {
      version,
      categories,
      recordCategories,
      places,
      placeIndex: new Map(places.map((p, i) => [p.row.id, i])),
      unplaced,
      disruptions,
      indexes: new Map(),
      titles: new Map(),
      exports: new Map(),
      summaries: new Map(),
      figures: new Map(),
    };
  }

  /** The category asked for, by id or code; 422 when there is no such category. */
  private category(s: Snapshot, wanted: string | undefined): number | null {
    if (wanted === undefined) return null;
    const i = s.categories.findIndex((c) => c.id === wanted || c.code === wanted);
    if (i < 0) throw problems.validation([{ path: 'category', message: 'no such right category' }]);
    return i;
  }

  /** Per-place weights, in one category or all of them. */
  private weights(s: Snapshot, layer: 'records' | 'places', category: number | null): WeightedPoint[] {
    const out: WeightedPoint[] = [];
    s.places.forEach((p, ref) => {
      const c = new Array<number>(s.categories.length).fill(0);
      let n = 0;
      for (const id of p.records) {
        const cats = s.recordCategories.get(id) ?? [];
        if (category !== null && !cats.includes(category)) continue;
        n++;
        for (const k of cats) if (category === null || k === category) c[k]!++;
      }
      if (layer === 'records' && n === 0) return;
      out.push({ ref, lon: p.lon, lat: p.lat, n: layer === 'records' ? n : 1, c });
    });
    return out;
  }

  private index(s: Snapshot, layer: 'records' | 'places', category: number | null): PointIndex {
    const key = `${layer}:${category ?? ''}`;
    let idx = s.indexes.get(key);
    if (!idx) {
      idx = new PointIndex(this.weights(s, layer, category));
      s.indexes.set(key, idx);
    }
    return idx;
  }

  private counts(s: Snapshot, c: number[]): { categories: Record<string, number>; top: string | null } {
    const categories: Record<string, number> = {};
    let top: string | null = null;
    let best = 0;
    c.forEach((n, i) => {
      if (n <= 0) return;
      const code = s.categories[i]!.code;
      categories[code] = n;
      if (n > best) {
        best = n;
        top = code;
      }
    });
    return { categories, top };
  }

  private placeName(p: PlaceInfo, lang: Lang): LocalText {
    const own = p.names.get(lang);
    return own ? localText(own, lang, lang) : { text: p.row.preferred_name, lang: 'und', fallback: true };
  }

  /** Titles of records, read when first shown and kept with the snapshot. */
  private async loadTitles(s: Snapshot, ids: string[]): Promise<void> {
    const missing = ids.filter((id) => !s.titles.has(id));
    if (missing.length === 0) return;
    for (const id of missing) s.titles.set(id, []);
    for (const t of await this.deps.repo.titles(missing)) s.titles.get(t.record_id)!.push(t);
  }

  private recordRef(s: Snapshot, id: string, lang: Lang): RecordRef | null {
    const texts = s.titles.get(id) ?? [];
    if (texts.length === 0) return null;
    const own = texts.find((t) => t.lang === lang);
    const shown =
      own ??
      texts.find((t) => t.translation_status === 'original') ??
      LANGS.map((l) => texts.find((t) => t.lang === l)).find((t) => t !== undefined)!;
    return { id, code: shown.code, title: localText(shown.title, shown.lang, lang), href: `/records/${id}` };
  }

  private placeHref(id: string): string {
    return `/records?place=${encodeURIComponent(id)}`;
  }

  /** Clusters and single places in a box at a zoom, for the interactive map. */
  async points(q: PointsQuery): Promise<Points> {
    const s = await this.snapshot();
    const category = this.category(s, q.category);
    const idx = this.index(s, q.layer, q.layer === 'records' ? category : null);
    const hits = idx.query(q.bbox ?? [-180, -85, 180, 85], q.zoom);
    const singles = hits.flatMap((h) => (h.kind === 'point' ? [s.places[h.ref]!] : []));
    await this.loadTitles(
      s,
      singles.filter((p) => p.records.length === 1).map((p) => p.records[0]!),
    );
    return {
      type: 'FeatureCollection',
      features: hits.map((h) => this.feature(s, h, q.layer, q.lang)),
      zoom: q.zoom,
      version: s.version,
    };
  }

  private feature(s: Snapshot, h: ClusterHit, layer: 'records' | 'places', lang: Lang): PointFeature {
    const geometry = { type: 'Point' as const, coordinates: [h.lon, h.lat] };
    if (h.kind === 'cluster')
      return {
        type: 'Feature',
        id: `c${h.id}`,
        geometry,
        properties: {
          kind: 'cluster',
          id: `c${h.id}`,
          count: h.n,
          places: h.points,
          ...this.counts(s, h.c),
        },
      };
    const p = s.places[h.ref]!;
    const properties: PlaceProperties = {
      kind: 'place',
      id: p.row.id,
      name: this.placeName(p, lang),
      placeType: p.row.type,
      // The places layer weighs each place 1; a place's count is still the records there.
      count: layer === 'records' ? h.n : p.records.length,
      ...this.counts(s, h.c),
      href: this.placeHref(p.row.id),
      record: p.records.length === 1 ? this.recordRef(s, p.records[0]!, lang) : null,
    };
    return { type: 'Feature', id: p.row.id, geometry, properties };
  }

  /** What the page lists and the static map draws: categories, places with their newest records, disruptions. */
  async summary(q: { lang: Lang; category?: string | undefined }): Promise<MapSummary> {
    const s = await this.snapshot();
    const category = this.category(s, q.category);
    const tiles = this.deps.tileUrl?.() ? TILE_PATH : null;
    const key = `${q.lang} ${category ?? ''} ${tiles ?? ''}`;
    const cached = s.summaries.get(key);
    if (cached) return cached;
    const summary = await this.makeSummary(s, q.lang, category, tiles);
    s.summaries.set(key, summary);
    return summary;
  }

  private async makeSummary(
    s: Snapshot,
    lang: Lang,
    category: number | null,
    tiles: string | null,
  ): Promise<MapSummary> {
    const q = { lang };
    const weights = this.weights(s, 'records', category);
    // Records on the map per category (the legend), and in the category asked: a record at two places counts once.
    const totals = new Array<number>(s.categories.length).fill(0);
    const onMap = new Set(s.places.flatMap((p) => p.records));
    let total = 0;
    for (const id of onMap) {
      const cats = s.recordCategories.get(id) ?? [];
      for (const k of cats) totals[k]!++;
      if (category === null || cats.includes(category)) total++;
    }
    // Disruption-only places are listed too (no records), after those with records.
    const listed = [
      ...weights.sort((a, b) => b.n - a.n || a.ref - b.ref).map((w) => ({ ref: w.ref, n: w.n, c: w.c })),
      ...(category === null
        ? s.places.flatMap((p, ref) =>
            p.records.length === 0 && p.disruptions.length > 0
              ? [{ ref, n: 0, c: new Array<number>(s.categories.length).fill(0) }]
              : [],
          )
        : []),
    ];
    const shown = listed.slice(0, SUMMARY_PLACES_MAX);
    const newest = (p: PlaceInfo) =>
      p.records
        .filter((id) => category === null || s.recordCategories.get(id)?.includes(category))
        .slice(0, SUMMARY_RECORDS_PER_PLACE);
    await this.loadTitles(
      s,
      shown.flatMap((w) => newest(s.places[w.ref]!)),
    );
    const places: MapPlaceSummary[] = shown.map((w) => {
      const p = s.places[w.ref]!;
      return {
        id: p.row.id,
        name: this.placeName(p, q.lang),
        lon: p.lon,
        lat: p.lat,
        count: w.n,
        ...this.counts(s, w.c),
        href: this.placeHref(p.row.id),
        records: newest(p).flatMap((id) => {
          const r = this.recordRef(s, id, q.lang);
          return r ? [r] : [];
        }),
        disruptions: p.disruptions,
      };
    });
    const categories: CategorySummary[] = s.categories.map((c, i) => ({
      id: c.id,
      code: c.code,
      name: c.names[q.lang],
      color: c.color,
      count: totals[i]!,
    }));
    const bounds = this.bounds(
      s,
      listed.map((w) => w.ref),
    );
    return {
      version: s.version,
      total,
      unplaced: category === null ? s.unplaced : 0,
      categories,
      places,
      placesTotal: listed.length,
      disruptions: this.disruptionSummaries(s, q.lang),
      bounds,
      tiles,
      base: this.deps.baseUrl(),
      lib: { module: libPath('maplibre-gl.mjs'), css: libPath('maplibre-gl.css') },
    };
  }

  /** The box around the given places, padded, never smaller than about 2° × 1.2°; the South Caucasus when empty. */
  private bounds(s: Snapshot, refs: number[]): [number, number, number, number] {
    const box = bboxOf(refs.map((r) => ({ type: 'Point', coordinates: [s.places[r]!.lon, s.places[r]!.lat] })));
    if (!box) {
      const [[w, so], [e, n]] = SOUTH_CAUCASUS;
      return [w, so, e, n];
    }
    const [w, so, e, n] = box;
    const cx = (w + e) / 2;
    const cy = (so + n) / 2;
    const hw = Math.max((e - w) * 0.6, 1);
    const hh = Math.max((n - so) * 0.6, 0.6);
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    return [clamp(cx - hw, -180, 180), clamp(cy - hh, -85, 85), clamp(cx + hw, -180, 180), clamp(cy + hh, -85, 85)];
  }

  private disruptionSummaries(s: Snapshot, lang: Lang): DisruptionSummary[] {
    return s.disruptions.map((d) => {
      const latest = [...d.intervals].sort((a, b) => (a.start < b.start ? 1 : -1))[0];
      return {
        id: d.id,
        service: d.service,
        label: d.label,
        area: d.area,
        ongoing: d.intervals.some((i) => i.end === null),
        severity: latest?.severity ?? 'complete',
        since: latest?.start ?? '',
        places: d.placeIds.flatMap((id) => {
          const ref = s.placeIndex.get(id);
          return ref === undefined ? [] : [{ id, name: this.placeName(s.places[ref]!, lang) }];
        }),
      };
    });
  }

  /**
   * One raster tile from `CORRIDOR_TILE_URL`, fetched by the server and kept in memory for a while, so that readers'
   * addresses never reach the tile provider and the page's CSP stays 'self'. Null when none is configured, or when
   * the provider does not answer with an image.
   */
  async tile(z: number, x: number, y: number): Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | null> {
    const template = this.deps.tileUrl?.();
    if (!template || x >= 2 ** z || y >= 2 ** z) return null;
    const url = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    const cached = this.tiles.get(url);
    if (cached && cached.until > Date.now()) return cached.tile;
    const res = await fetch(url, {
      signal: AbortSignal.timeout(10_000),
      headers: { 'user-agent': 'Corridor map' },
    }).catch(() => null);
    const type = res?.headers.get('content-type') ?? '';
    if (!res?.ok || !/^image\/(png|jpeg|webp)$/.test(type.split(';')[0]!.trim())) return null;
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > 1_000_000) return null;
    const tile = { body, type };
    if (this.tiles.size >= 2_000) this.tiles.delete(this.tiles.keys().next().value!);
    this.tiles.set(url, { tile, until: Date.now() + 24 * 3600_000 });
    return tile;
  }

  /** A place's shape when the gazetteer has one, else its centroid. */
  private placeGeometry(p: PlaceInfo): Geometry {
    if (p.row.geometry) {
      try {
        return rfc7946(JSON.parse(p.row.geometry) as Geometry);
      } catch {
        // A stored geometry that does not parse is drawn as its centroid.
      }
    }
    return rfc7946({ type: 'Point', coordinates: [p.lon, p.lat] });
  }

  /** Disruption areas: one feature per disruption and place it covers. */
  async disruptions(lang: Lang): Promise<{ type: 'FeatureCollection'; features: Feature[] }> {
    const s = await this.snapshot();
    return { type: 'FeatureCollection', features: this.disruptionFeatures(s, lang) };
  }

  private disruptionFeatures(s: Snapshot, lang: Lang): Feature[] {
    return this.disruptionSummaries(s, lang).flatMap((d) =>
      d.places.map((pl) => {
        const p = s.places[s.placeIndex.get(pl.id)!]!;
        return {
          type: 'Feature' as const,
          id: `disruption/${d.id}/${pl.id}`,
          geometry: this.placeGeometry(p),
          properties: {
            layer: 'disruption',
            disruption: d.id,
            service: d.service,
            label: d.label,
            area: d.area,
            ongoing: d.ongoing,
            severity: d.severity,
            since: d.since,
            place: pl.id,
            placeName: pl.name.text,
          },
        };
      }),
    );
  }

  /**
   * The public layer as one RFC 7946 FeatureCollection: a point per published public record and place, each place
   * (its shape when known), and each disruption's places. Links are absolute under `origin`.
   */
  async exportGeoJson(lang: Lang, origin: string): Promise<string> {
    const s = await this.snapshot();
    const key = `${lang} ${origin}`;
    const cached = s.exports.get(key);
    if (cached) return cached;
    await this.loadTitles(s, [...new Set(s.places.flatMap((p) => p.records))]);
    const url = (path: string) => `${origin}/${lang}${path}`;
    const features: Feature[] = [];
    for (const p of s.places) {
      const name = this.placeName(p, lang).text;
      for (const id of p.records) {
        const ref = this.recordRef(s, id, lang);
        if (!ref) continue;
        features.push({
          type: 'Feature',
          id: `record/${id}/${p.row.id}`,
          geometry: rfc7946({ type: 'Point', coordinates: [p.lon, p.lat] }),
          properties: {
            layer: 'record',
            record: id,
            code: ref.code,
            title: ref.title.text,
            titleLang: ref.title.lang,
            categories: (s.recordCategories.get(id) ?? []).map((k) => s.categories[k]!.code),
            place: p.row.id,
            placeName: name,
            url: url(ref.href),
          },
        });
      }
    }
    for (const p of s.places)
      features.push({
        type: 'Feature',
        id: `place/${p.row.id}`,
        geometry: this.placeGeometry(p),
        properties: {
          layer: 'place',
          place: p.row.id,
          name: this.placeName(p, lang).text,
          placeType: p.row.type,
          records: p.records.length,
          url: url(this.placeHref(p.row.id)),
        },
      });
    features.push(...this.disruptionFeatures(s, lang));
    const bbox = bboxOf(features.map((f) => f.geometry));
    const json = JSON.stringify({ type: 'FeatureCollection', ...(bbox ? { bbox } : {}), features });
    s.exports.set(key, json);
    return json;
  }

  /**
   * The map without JavaScript: the same clusters the interactive map shows at the zoom that fits the box, the
   * disruption areas and the places, drawn by the shared static renderer.
   */
  async staticMap(q: {
    lang: Lang;
    category?: string | undefined;
    layers?: string | undefined;
    width: number;
    height: number;
  }): Promise<Figure> {
    const layers = parseLayers(q.layers);
    const summary = await this.summary({ lang: q.lang, category: q.category });
    const s = await this.snapshot();
    const category = this.category(s, q.category);
    const key = [q.lang, category ?? '', [...layers].sort().join(','), q.width, q.height].join(' ');
    const drawnBefore = s.figures.get(key);
    if (drawnBefore) return drawnBefore;
    if (s.figures.size >= 300) s.figures.clear();
    const figure = this.drawStaticMap(s, summary, layers, category, q);
    s.figures.set(key, figure);
    return figure;
  }

  private drawStaticMap(
    s: Snapshot,
    summary: MapSummary,
    layers: Set<MapLayer>,
    category: number | null,
    q: { lang: Lang; width: number; height: number },
  ): Figure {
    const [w, so, e, n] = summary.bounds;
    const points: MapPoint[] = [];
    const drawn = new Set<number>();
    if (layers.has('records')) {
      const hits = this.index(s, 'records', category).query([w, so, e, n], zoomFor(e - w, q.width));
      for (const h of hits) {
        const { top } = this.counts(s, h.c);
        const color = s.categories.find((c) => c.code === top)?.color ?? NONE_COLOR;
        if (h.kind === 'point') {
          drawn.add(h.ref);
          points.push({
            lon: h.lon,
            lat: h.lat,
            label: `${this.placeName(s.places[h.ref]!, q.lang).text} · ${h.n}`,
            weight: h.n,
            color,
          });
        } else {
          const refs = this.index(s, 'records', category).leaves(h.id, 1);
          const first = refs[0] === undefined ? '' : this.placeName(s.places[refs[0]]!, q.lang).text;
          points.push({ lon: h.lon, lat: h.lat, label: `${first} +${h.points - 1} · ${h.n}`, weight: h.n, color });
        }
      }
    }
    if (layers.has('places'))
      for (const p of summary.places) {
        const ref = s.placeIndex.get(p.id)!;
        if (drawn.has(ref)) continue;
        points.push({ lon: p.lon, lat: p.lat, label: p.name.text, color: NONE_COLOR, small: true });
      }
    const areas: MapArea[] = [];
    if (layers.has('disruptions'))
      for (const f of this.disruptionFeatures(s, q.lang))
        areas.push({ geometry: f.geometry, label: String(f.properties!.placeName) });
    return renderStaticMap({
      points,
      areas,
      width: q.width,
      height: q.height,
      lang: q.lang,
      bounds: [
        [w, so],
        [e, n],
      ],
      // Fixed ids: the same data draws the same bytes (ETags), and the page inlines one map only.
      idPrefix: 'map-static',
    });
  }
}

/** `records,places` → the set; unknown names are ignored, none given means all. */
export function parseLayers(value: string | undefined): Set<MapLayer> {
  if (value === undefined) return new Set(MAP_LAYERS);
  return new Set(
    value
      .split(',')
      .map((v) => v.trim())
      .filter((v): v is MapLayer => (MAP_LAYERS as readonly string[]).includes(v)),
  );
}
