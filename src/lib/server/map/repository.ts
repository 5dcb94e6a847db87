import type { Db } from '../db/index.js';

/**
 * The map's read model: whole-table reads shaped for clustering 100,000 points, which the other modules' services
 * (one record or one page at a time) cannot serve in the time a map needs. It only reads.
 *
 * Records are pre-filtered here with the public rule (published and public) so that nothing else is even loaded;
 * the service then passes every id through the records module's own rule (`visibleRecordIds`), which decides.
 */

/** Ids per statement: within SQLite's and PostgreSQL's bound-parameter limits with room to spare. */
const CHUNK = 5_000;

async function chunked<T>(ids: string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

export interface RecordPlaceRow {
  record_id: string;
  place_id: string;
}

export interface RecordRightRow {
  record_id: string;
  right_id: string;
}

export interface MapPlaceRow {
  id: string;
  preferred_name: string;
  type: string;
  geometry: string | null;
  centroid_lat: number | null;
  centroid_lon: number | null;
}

export interface PlaceNameRow {
  place_id: string;
  name: string;
  lang: string | null;
}

export interface TitleRow {
  record_id: string;
  code: string;
  lang: string;
  title: string;
  translation_status: string;
}

export class MapRepository {
  constructor(private readonly db: Db) {}

  /**
   * A number that changes with every write anywhere: the audit chain's head. Every write is audited in its own
   * transaction, so a cache keyed on it is never stale once the write has committed, and reading it is one row.
   */
  async version(): Promise<number> {
    const h = await this.db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
    return Number(h?.seq ?? 0);
  }

  /**
   * What the public map is made of, summed up: published records (count, latest change, versions), places, rights,
   * disruptions and their intervals and places. Every change the map can show moves one of these (a transition or
   * edit bumps a record's version and time; a place, a right or a disruption its time or a count), while a draft
   * being edited moves none, so the map is not rebuilt for work the public cannot see.
   */
  async digest(): Promise<string> {
    const agg = async (table: 'places' | 'rights' | 'disruptions') =>
      this.db
        .selectFrom(table)
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('at')])
        .executeTakeFirstOrThrow();
    const [records, places, rights, disruptions, intervals, disruptionPlaces] = await Promise.all([
      this.db
        .selectFrom('records')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('at'), eb.fn.sum('version').as('v')])
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow(),
      agg('places'),
      agg('rights'),
      agg('disruptions'),
      this.db
        .selectFrom('disruption_intervals')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('created_at').as('at')])
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('disruption_places')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return JSON.stringify([
      [Number(records.n), records.at, Number(records.v ?? 0)],
      ...[places, rights, disruptions, intervals].map((r) => [Number(r.n), r.at]),
      Number(disruptionPlaces.n),
    ]);
  }

  /** Published public records. */
  async publicRecordIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('records')
      .select('id')
      .where('status', '=', 'published')
      .where('confidentiality', '=', 'public')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Published public records and their places. */
  async publicRecordPlaces(): Promise<RecordPlaceRow[]> {
    return this.db
      .selectFrom('record_places')
      .innerJoin('records', 'records.id', 'record_places.record_id')
      .select(['record_places.record_id', 'record_places.place_id'])
      .where('records.status', '=', 'published')
      .where('records.confidentiality', '=', 'public')
      .orderBy('record_places.record_id')
      .orderBy('record_places.position')
      .execute();
  }

  /** Published public records and the rights they cite. */
  async publicRecordRights(): Promise<RecordRightRow[]> {
    return this.db
      .selectFrom('record_rights')
      .innerJoin('records', 'records.id', 'record_rights.record_id')
      .select(['record_rights.record_id', 'record_rights.right_id'])
      .where('records.status', '=', 'published')
      .where('records.confidentiality', '=', 'public')
      .execute();
  }

  places(ids: string[]): Promise<MapPlaceRow[]> {
    return chunked(ids, (part) =>
      this.db
        .selectFrom('places')
        .select(['id', 'preferred_name', 'type', 'geometry', 'centroid_lat', 'centroid_lon'])
        .where('id', 'in', part)
        .execute(),
    );
  }

  /**
   * Names with a language tag, except transliterations and historical names: a place is shown in the reader's
   * language when it has a name of its own in it, else by its preferred name (a transliteration of another side's
   * name is not the place's name in that language).
   */
  placeNames(ids: string[]): Promise<PlaceNameRow[]> {
    return chunked(ids, (part) =>
      this.db
        .selectFrom('place_names')
        .select(['place_id', 'name', 'lang'])
        .where('place_id', 'in', part)
        .where('lang', 'is not', null)
        .where((eb) => eb.or([eb('kind', 'is', null), eb('kind', 'not in', ['transliteration', 'historical'])]))
        .orderBy('place_id')
        .orderBy('position')
        .execute(),
    );
  }

  /** Titles and codes of the given records (already known to be visible), every language. */
  titles(recordIds: string[]): Promise<TitleRow[]> {
    return chunked(recordIds, (part) =>
      this.db
        .selectFrom('record_texts')
        .innerJoin('records', 'records.id', 'record_texts.record_id')
        .select([
          'record_texts.record_id',
          'records.code',
          'record_texts.lang',
          'record_texts.title',
          'record_texts.translation_status',
        ])
        .where('record_texts.record_id', 'in', part)
        .where('records.status', '=', 'published')
        .where('records.confidentiality', '=', 'public')
        .execute(),
    );
  }
}
