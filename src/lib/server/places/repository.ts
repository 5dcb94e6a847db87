import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import { escapeLike } from '../db/index.js';

export interface PlaceRecord {
  id: string;
  name: string;
  type: string;
  parentId: string | null;
  /** GeoJSON text, or null. */
  geometry: string | null;
  centroidLat: number | null;
  centroidLon: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface PlaceNameRecord {
  name: string;
  lang: string | null;
  kind: string | null;
  searchKey: string;
}

type PlaceRow = {
  id: string;
  preferred_name: string;
  type: string;
  parent_id: string | null;
  geometry: string | null;
  centroid_lat: number | null;
  centroid_lon: number | null;
  created_at: string;
  updated_at: string;
};

const toPlace = (r: PlaceRow): PlaceRecord => ({
  id: r.id,
  name: r.preferred_name,
  type: r.type,
  parentId: r.parent_id,
  geometry: r.geometry,
  centroidLat: r.centroid_lat === null ? null : Number(r.centroid_lat),
  centroidLon: r.centroid_lon === null ? null : Number(r.centroid_lon),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRow = (p: PlaceRecord): PlaceRow => ({
  id: p.id,
  preferred_name: p.name,
  type: p.type,
  parent_id: p.parentId,
  geometry: p.geometry,
  centroid_lat: p.centroidLat,
  centroid_lon: p.centroidLon,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export class PlacesRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async findById(id: string, ex: Executor = this.db): Promise<PlaceRecord | undefined> {
    const r = await ex.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toPlace(r);
  }

  async names(placeId: string, ex: Executor = this.db): Promise<PlaceNameRecord[]> {
    const rows = await ex
      .selectFrom('place_names')
      .select(['name', 'lang', 'kind', 'search_key'])
      .where('place_id', '=', placeId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({ name: r.name, lang: r.lang, kind: r.kind, searchKey: r.search_key }));
  }

  async countChildren(placeId: string, ex: Executor = this.db): Promise<number> {
    const r = await ex
      .selectFrom('places')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', placeId)
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  /**
   * Places matching the filters, by preferred name. With a folded query, a place matches when one of its names
   * starts with it, or has a word that does: keys hold words separated by single spaces.
   */
  async search(
    f: { key?: string; type?: string; parentId?: string; limit: number },
    ex: Executor = this.db,
  ): Promise<PlaceRecord[]> {
    let q = ex.selectFrom('places').selectAll();
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.parentId !== undefined) q = q.where('parent_id', '=', f.parentId);
    const key = f.key;
    if (key !== undefined) {
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('place_names')
          .select('place_id')
          .where((w) => w.or([this.keyStarts(key), this.keyHasWordStarting(key)])),
      );
    }
    const rows = await q.orderBy('preferred_name').orderBy('id').limit(f.limit).execute();
    return rows.map(toPlace);
  }

  /** For each given place, its names whose key matches the folded query, in name order. */
  async matchingNames(placeIds: string[], key: string, ex: Executor = this.db): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (placeIds.length === 0) return out;
    const rows = await ex
      .selectFrom('place_names')
      .select(['place_id', 'name'])
      .where('place_id', 'in', placeIds)
      .where((w) => w.or([this.keyStarts(key), this.keyHasWordStarting(key)]))
      .orderBy('place_id')
      .orderBy('position')
      .execute();
    for (const r of rows) out.set(r.place_id, [...(out.get(r.place_id) ?? []), r.name]);
    return out;
  }

  /** The alternative names (every name but the preferred one) of the given places, in one query. */
  async altNames(placeIds: string[], ex: Executor = this.db): Promise<Map<string, { name: string; lang: string }[]>> {
    const out = new Map<string, { name: string; lang: string }[]>();
    if (placeIds.length === 0) return out;
    const rows = await ex
      .selectFrom('place_names')
      .select(['place_id', 'name', 'lang'])
      .where('place_id', 'in', placeIds)
      .where((w) => w.or([w('kind', 'is', null), w('kind', '!=', 'preferred')]))
      .orderBy('place_id')
      .orderBy('position')
      .execute();
    for (const r of rows) {
      const names = out.get(r.place_id) ?? [];
      names.push({ name: r.name, lang: r.lang ?? 'und' });
      out.set(r.place_id, names);
    }
    return out;
  }

  // Keys and queries are already lower-cased, so the dialect's case-insensitive LIKE behaves the same on both.
  private keyStarts(key: string) {
    return this.dialect.ilike('place_names.search_key', `${escapeLike(key)}%`);
  }

  private keyHasWordStarting(key: string) {
    return this.dialect.ilike('place_names.search_key', `% ${escapeLike(key)}%`);
  }

  async insert(tx: Tx, p: PlaceRecord): Promise<void> {
    await tx.insertInto('places').values(toRow(p)).execute();
  }

  async update(tx: Tx, p: PlaceRecord): Promise<void> {
    const { id: _id, created_at: _created, ...rest } = toRow(p);
    await tx.updateTable('places').set(rest).where('id', '=', p.id).execute();
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('places').where('id', '=', id).execute();
  }

  /** Replaces every name of a place: callers run it inside their transaction, so it is all or nothing. */
  async replaceNames(tx: Tx, placeId: string, names: (PlaceNameRecord & { id: string })[]): Promise<void> {
    await tx.deleteFrom('place_names').where('place_id', '=', placeId).execute();
    if (names.length === 0) return;
    await tx
      .insertInto('place_names')
      .values(
        names.map((n, i) => ({
          id: n.id,
          place_id: placeId,
          position: i,
          name: n.name,
          lang: n.lang,
          kind: n.kind,
          search_key: n.searchKey,
        })),
      )
      .execute();
  }
}
