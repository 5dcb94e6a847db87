import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Executor, Tx, UnitOfWork } from '../db/index.js';
import { parseOr422, problems } from '../http/problem.js';
import { searchKey } from './fold.js';
import type { PlaceNameRecord, PlaceRecord, PlacesRepository } from './repository.js';
import {
  CreatePlaceSchema,
  GeometrySchema,
  PlaceQuerySchema,
  UpdatePlaceSchema,
  type AltName,
  type CreatePlaceInput,
  type Geometry,
  type Place,
  type PlaceSummary,
  type PlaceType,
  type UpdatePlaceInput,
} from './schema.js';

export interface PlacesServiceDeps {
  db: Db;
  repo: PlacesRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Called in the transaction when a place's names change: records carry them in the search index. */
  onNamesChanged?: (tx: Tx, placeId: string) => Promise<void>;
}

/** Deeper than any real hierarchy (country → region → town → site): a guard against a cycle slipping in. */
const MAX_DEPTH = 32;

const invalid = (path: string, message: string) => problems.validation([{ path, message }]);

/**
 * A point for map queries: the point itself, or the mean of the outer rings' vertices (closing vertex left out).
 * Close enough to place a marker; not a true area centroid.
 */
export function centroidOf(g: Geometry): { lat: number; lon: number } {
  if (g.type === 'Point') return { lon: g.coordinates[0], lat: g.coordinates[1] };
  const outer = g.type === 'Polygon' ? [g.coordinates[0]!] : g.coordinates.map((p) => p[0]!);
  const vertices = outer.flatMap((ring) => ring.slice(0, -1));
  const sum = vertices.reduce((s, p) => ({ lon: s.lon + p[0], lat: s.lat + p[1] }), { lon: 0, lat: 0 });
  return { lon: sum.lon / vertices.length, lat: sum.lat / vertices.length };
}

function nameRecords(name: string, altNames: AltName[]): (PlaceNameRecord & { id: string })[] {
  return [
    { id: newId(), name, lang: null, kind: 'preferred', searchKey: searchKey(name) },
    ...altNames.map((a) => ({
      id: newId(),
      name: a.name,
      lang: a.lang,
      kind: a.kind ?? null,
      searchKey: searchKey(a.name),
    })),
  ];
}

const altNamesOf = (names: PlaceNameRecord[]): AltName[] =>
  names
    .filter((n) => n.kind !== 'preferred')
    .map((n) => ({ name: n.name, lang: n.lang ?? 'und', kind: (n.kind as AltName['kind']) ?? null }));

/** The gazetteer: places with every name they go by, a geometry, a type and a parent area. */
export class PlacesService {
  constructor(private readonly deps: PlacesServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /**
   * Places by any of their names: case- and diacritics-insensitive, matching the start of a name or of any word in
   * it (`stepan`, `Ստեփան`, `khank` find Stepanakert; `kert` does not).
   */
  async list(query: Partial<z.input<typeof PlaceQuerySchema>> = {}): Promise<PlaceSummary[]> {
    const f = parseOr422(PlaceQuerySchema, query);
    const key = f.q === undefined || f.q.trim() === '' ? undefined : searchKey(f.q);
    if (key === '') return [];
    const places = await this.repo.search({ key, type: f.type, parentId: f.parent, limit: f.limit });
    const ids = places.map((p) => p.id);
    // One query each for the whole page, never one per place.
    const [matched, altNames] = await Promise.all([
      key === undefined ? new Map<string, string[]>() : this.repo.matchingNames(ids, key),
      this.repo.altNames(ids),
    ]);
    return places.map((p) => {
      const names = matched.get(p.id) ?? [];
      return {
        id: p.id,
        name: p.name,
        type: p.type as PlaceType,
        parentId: p.parentId,
        centroid: p.centroidLat === null || p.centroidLon === null ? null : { lat: p.centroidLat, lon: p.centroidLon },
        matchedName: key === undefined ? null : names.includes(p.name) ? p.name : (names[0] ?? null),
        altNames: altNames.get(p.id) ?? [],
      };
    });
  }

  async get(id: string, ex: Executor = this.deps.db): Promise<Place> {
    const p = await this.repo.findById(id, ex);
    if (!p) throw problems.notFound('No such place.');
    const parents: Place['parents'] = [];
    let next = p.parentId;
    while (next !== null && parents.length < MAX_DEPTH) {
      const parent = await this.repo.findById(next, ex);
      if (!parent) break;
      parents.push({ id: parent.id, name: parent.name, type: parent.type as PlaceType });
      next = parent.parentId;
    }
    return {
      id: p.id,
      name: p.name,
      type: p.type as PlaceType,
      parentId: p.parentId,
      parents,
      altNames: altNamesOf(await this.repo.names(id, ex)),
      geometry: p.geometry === null ? null : GeometrySchema.parse(JSON.parse(p.geometry)),
      centroid: p.centroidLat === null || p.centroidLon === null ? null : { lat: p.centroidLat, lon: p.centroidLon },
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  async create(input: CreatePlaceInput, actorId: string | null): Promise<Place> {
    const data = parseOr422(CreatePlaceSchema, input);
    return this.deps.uow.run(async (tx) => {
      const parentId = data.parentId ?? null;
      if (parentId !== null) await this.checkParent(tx, null, parentId);
      const at = nowIso();
      const geometry = data.geometry ?? null;
      const centroid = geometry && centroidOf(geometry);
      const place: PlaceRecord = {
        id: newId(),
        name: data.name,
        type: data.type,
        parentId,
        geometry: geometry && JSON.stringify(geometry),
        centroidLat: centroid?.lat ?? null,
        centroidLon: centroid?.lon ?? null,
        createdAt: at,
        updatedAt: at,
      };
      await this.repo.insert(tx, place);
      await this.repo.replaceNames(tx, place.id, nameRecords(data.name, data.altNames));
      const view = await this.get(place.id, tx);
      await this.audit(tx, actorId, 'places.create', place.id, { after: view });
      return view;
    });
  }

  /** Changes what is given; `altNames`, when given, replaces all alternative names in the same transaction. */
  async update(id: string, input: UpdatePlaceInput, actorId: string | null): Promise<Place> {
    const data = parseOr422(UpdatePlaceSchema, input);
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw problems.notFound('No such place.');
      const beforeView = await this.get(id, tx);
      const parentId = data.parentId === undefined ? before.parentId : data.parentId;
      if (parentId !== null && parentId !== before.parentId) await this.checkParent(tx, id, parentId);
      let geometry = before.geometry;
      let centroid = { lat: before.centroidLat, lon: before.centroidLon };
      if (data.geometry !== undefined) {
        geometry = data.geometry && JSON.stringify(data.geometry);
        centroid = data.geometry ? centroidOf(data.geometry) : { lat: null, lon: null };
      }
      const after: PlaceRecord = {
        ...before,
        name: data.name ?? before.name,
        type: data.type ?? before.type,
        parentId,
        geometry,
        centroidLat: centroid.lat,
        centroidLon: centroid.lon,
        updatedAt: nowIso(),
      };
      await this.repo.update(tx, after);
      if (data.name !== undefined || data.altNames !== undefined) {
        await this.repo.replaceNames(tx, id, nameRecords(after.name, data.altNames ?? beforeView.altNames));
        await this.deps.onNamesChanged?.(tx, id);
      }
      const view = await this.get(id, tx);
      await this.audit(tx, actorId, 'places.update', id, { before: beforeView, after: view });
      return view;
    });
  }

  /** Deletes a place that no other place lies within (409 otherwise). */
  async delete(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw problems.notFound('No such place.');
      if ((await this.repo.countChildren(id, tx)) > 0)
        throw problems.conflict('Other places lie within this one: move or delete them first.');
      const beforeView = await this.get(id, tx);
      await this.repo.delete(tx, id);
      await this.audit(tx, actorId, 'places.delete', id, { before: beforeView });
    });
  }

  /** The parent must exist, and must not be the place itself or lie within it. */
  private async checkParent(tx: Tx, selfId: string | null, parentId: string): Promise<void> {
    if (parentId === selfId) throw invalid('parentId', 'a place cannot be its own parent');
    let cursor: string | null = parentId;
    for (let depth = 0; cursor !== null; depth++) {
      if (depth > MAX_DEPTH) throw invalid('parentId', 'the parent chain is too deep');
      const node = await this.repo.findById(cursor, tx);
      if (!node) throw invalid('parentId', depth === 0 ? 'no such place' : 'the parent chain is broken');
      if (node.id === selfId) throw invalid('parentId', 'this would make a cycle: the parent lies within this place');
      cursor = node.parentId;
    }
  }

  private async audit(tx: Tx, actorId: string | null, action: string, id: string, change: unknown): Promise<void> {
    await this.deps.audit.record(tx, { actorId, action, entityType: 'place', entityId: id, change });
  }
}
