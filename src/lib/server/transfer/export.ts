import type { z } from '@hono/zod-openapi';
import type { Actor } from '../http/access.js';
import { problems, zodErrors } from '../http/problem.js';
import { Problem } from '../http/problem.js';
import type { PlacesService } from '../places/index.js';
import {
  AFFECTED_GROUPS,
  LANGS,
  type PublicRecord,
  type RecordsBulk,
  type RecordsService,
  type RecordView,
} from '../records/index.js';
import type { RightsService } from '../rights/index.js';
import { EXPORT_ONLY_COLUMNS, IMPORT_COLUMNS, LIST_SEPARATOR, RESPONSIBLE_SEPARATOR } from './columns.js';
import { csvLine } from './csv.js';
import {
  ExportQuerySchema,
  PublicExportQuerySchema,
  type ExportFormat,
  type ExportQuery,
  type PublicExportQuery,
} from './schema.js';

export interface ExportServiceDeps {
  records: Pick<RecordsService, 'searchIds' | 'getMany' | 'publicIds' | 'publicGetMany'>;
  bulk: Pick<RecordsBulk, 'externalIds'>;
  places: Pick<PlacesService, 'get'>;
  rights: Pick<RightsService, 'tree'>;
}

export interface ExportFile {
  contentType: string;
  filename: string;
  body: ReadableStream<Uint8Array>;
}

const PAGE = 200;
const CSV_COLUMNS = [
  'id',
  'code',
  'status',
  ...IMPORT_COLUMNS,
  ...EXPORT_ONLY_COLUMNS.filter((c) => !['id', 'code', 'status'].includes(c)),
];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/**
 * The public file's columns: what the portal shows of a record. No workflow state, confidentiality, author, external
 * id or verification note; places by name, rights by code.
 */
const PUBLIC_CSV_COLUMNS = [
  'id',
  'code',
  'verification',
  ...LANGS.flatMap((l) => [`title_${l}`, `summary_${l}`, `description_${l}`, `translation_status_${l}`]),
  'violation_type',
  'start_date',
  'start_precision',
  'end_date',
  'end_precision',
  'ongoing',
  'places',
  'rights',
  'tags',
  'responsible',
  ...AFFECTED_GROUPS.map((g) => `affected_${snake(g)}`),
  'published_at',
];
const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

interface Point {
  id: string;
  name: string;
  coordinates: [number, number] | null;
}

/**
 * Exports of a search of the register (the query of `GET /api/records`: words, filters, order) as CSV, JSON or
 * GeoJSON. Every matching record the caller may see is streamed, a batch of ids at a time from the records service's
 * search and then each record through its visibility rule, so a record the caller cannot see is never in the file. CSV cells are neutralised against formula
 * injection; its columns are those of the import (plus id, code, status and dates), so an export can be edited and
 * imported again.
 */
export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  /** Checks the query and reads the first page before answering, so that a bad query is a 422, not a cut file. */
  async export(actor: Actor, query: ExportQuery): Promise<ExportFile> {
    const parsed = ExportQuerySchema.safeParse(query);
    if (!parsed.success) throw problems.validation(zodErrors(parsed.error));
    const { format, ...filter } = parsed.data;
    return file(format, 'records', this.pages(actor, filter), (records) => this.render(format, records));
  }

  /**
   * The published, public records of a portal search (the filters of `GET /api/public/records`), for anyone: each
   * record as the public API shows it, never more.
   */
  async exportPublic(query: PublicExportQuery): Promise<ExportFile> {
    const parsed = PublicExportQuerySchema.safeParse(query);
    if (!parsed.success) throw problems.validation(zodErrors(parsed.error));
    const { format, ...filter } = parsed.data;
    return file(format, 'public-records', this.publicPages(filter), (records) => this.renderPublic(format, records));
  }

  /** Batches of whole records, each with its external id. */
  private async *pages(
    actor: Actor,
    filter: Omit<z.output<typeof ExportQuerySchema>, 'format'>,
  ): AsyncGenerator<(RecordView & { externalId: string | null })[]> {
    for await (const ids of this.deps.records.searchIds(actor, filter, PAGE)) {
      const external = await this.deps.bulk.externalIds(ids);
      // Deleted or hidden between the search and the read: left out, like any record the caller cannot see.
      yield (await this.deps.records.getMany(actor, ids)).map((r) => ({
        ...r,
        externalId: external.get(r.id) ?? null,
      }));
    }
  }

  /** Batches of public records, each read through the public rule again. */
  private async *publicPages(
    filter: Omit<z.output<typeof PublicExportQuerySchema>, 'format'>,
  ): AsyncGenerator<PublicRecord[]> {
    // Unpublished or deleted between the search and the read: left out.
    for await (const ids of this.deps.records.publicIds(filter, PAGE)) yield await this.deps.records.publicGetMany(ids);
  }

  private async *render(format: ExportFormat, records: AsyncIterable<RecordView & { externalId: string | null }>) {
    switch (format) {
      case 'csv': {
        const codes = await this.rightCodes();
        yield '\uFEFF' + csvLine(CSV_COLUMNS);
        for await (const r of records) yield csvLine(csvRow(r, codes));
        return;
      }
      case 'json': {
        yield '[';
        let first = true;
        for await (const r of records) {
          yield (first ? '\n' : ',\n') + JSON.stringify(r);
          first = false;
        }
        yield '\n]\n';
        return;
      }
      case 'geojson':
        yield* this.features(records, (r) => r.placeIds);
        return;
    }
  }

  private async *renderPublic(format: ExportFormat, records: AsyncIterable<PublicRecord>) {
    switch (format) {
      case 'csv': {
        const codes = await this.rightCodes();
        yield '\uFEFF' + csvLine(PUBLIC_CSV_COLUMNS);
        for await (const r of records) yield csvLine(publicCsvRow(r, codes));
        return;
      }
      case 'json': {
        yield '[';
        let first = true;
        for await (const r of records) {
          yield (first ? '\n' : ',\n') + JSON.stringify(r);
          first = false;
        }
        yield '\n]\n';
        return;
      }
      case 'geojson':
        yield* this.features(records, (r) => r.places.map((p) => p.id));
        return;
    }
  }

  /** A GeoJSON FeatureCollection: one point feature per record and place that has a geometry. */
  private async *features<R extends Mapped>(records: AsyncIterable<R>, placeIdsOf: (r: R) => string[]) {
    const codes = await this.rightCodes();
    const places = new Map<string, Point>();
    yield '{"type":"FeatureCollection","features":[';
    let first = true;
    for await (const r of records)
      for (const placeId of placeIdsOf(r)) {
        const place = await this.point(places, placeId);
        if (!place?.coordinates) continue;
        const feature = {
          type: 'Feature',
          id: `${r.id}/${place.id}`,
          geometry: { type: 'Point', coordinates: place.coordinates },
          properties: publicProperties(r, place, codes),
        };
        yield (first ? '\n' : ',\n') + JSON.stringify(feature);
        first = false;
      }
    yield '\n]}\n';
  }

  private async rightCodes(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const c of await this.deps.rights.tree({ includeRetired: true }))
      for (const n of [c, ...c.children]) out.set(n.id, n.code);
    return out;
  }

  /** A place as one point: a point geometry as it is, an area by its centroid; null when it has no geometry. */
  private async point(cache: Map<string, Point>, id: string): Promise<Point | undefined> {
    if (!cache.has(id)) {
      try {
        const p = await this.deps.places.get(id);
        cache.set(id, {
          id: p.id,
          name: p.name,
          coordinates: p.centroid === null ? null : [p.centroid.lon, p.centroid.lat],
        });
      } catch (err) {
        if (!(err instanceof Problem && err.status === 404)) throw err;
        return undefined;
      }
    }
    return cache.get(id);
  }
}

function csvRow(r: RecordView & { externalId: string | null }, codes: Map<string, string>): (string | number | null)[] {
  const values = {
    ...contentCells(r, codes),
    status: r.status,
    external_id: r.externalId,
    places: r.placeIds.join(LIST_SEPARATOR),
    verification_note: null,
    confidentiality: r.confidentiality,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
  return CSV_COLUMNS.map((c) => values[c as keyof typeof values] ?? null);
}

/** The public file's row: places by name. */
function publicCsvRow(r: PublicRecord, codes: Map<string, string>): (string | number | null)[] {
  const values = { ...contentCells(r, codes), places: r.places.map((p) => p.name).join(LIST_SEPARATOR) };
  return PUBLIC_CSV_COLUMNS.map((c) => values[c as keyof typeof values] ?? null);
}

/** The cells both files write alike, by column: a record's content, verification and publication date. */
function contentCells(r: Cells, codes: Map<string, string>): Record<string, string | number | null> {
  const values: Record<string, string | number | null> = {
    id: r.id,
    code: r.code,
    verification: r.verification,
    violation_type: r.violationType,
    start_date: r.startDate,
    start_precision: r.startPrecision,
    end_date: r.endDate,
    end_precision: r.endPrecision,
    ongoing: r.ongoing ? 'true' : 'false',
    rights: r.rightIds.map((id) => codes.get(id) ?? id).join(LIST_SEPARATOR),
    tags: r.tags.join(LIST_SEPARATOR),
    responsible: r.responsible.map((p) => `${p.name}${RESPONSIBLE_SEPARATOR}${p.attribution}`).join(LIST_SEPARATOR),
    published_at: r.publishedAt,
  };
  for (const lang of LANGS) {
    const t = r.texts[lang];
    values[`title_${lang}`] = t?.title ?? null;
    values[`summary_${lang}`] = t?.summary ?? null;
    values[`description_${lang}`] = t?.description ?? null;
    values[`translation_status_${lang}`] = t ? t.translationStatus : null;
  }
  for (const g of AFFECTED_GROUPS) values[`affected_${snake(g)}`] = r.affected[g];
  return values;
}

/** The fields both CSV files write alike: a staff record and a public one have them. */
type Cells = Mapped & Pick<PublicRecord, 'responsible'>;

/** The fields a map feature shows: both a staff record and a public one have them. */
type Mapped = Pick<
  PublicRecord,
  | 'id'
  | 'code'
  | 'texts'
  | 'violationType'
  | 'startDate'
  | 'startPrecision'
  | 'endDate'
  | 'endPrecision'
  | 'ongoing'
  | 'verification'
  | 'affected'
  | 'rightIds'
  | 'tags'
  | 'publishedAt'
>;

/** What a map may show of a record: no author, access list, workflow state or confidentiality. */
function publicProperties(r: Mapped, place: Point, codes: Map<string, string>) {
  return {
    recordId: r.id,
    code: r.code,
    titles: Object.fromEntries(LANGS.flatMap((l) => (r.texts[l] ? [[l, r.texts[l].title]] : []))),
    summaries: Object.fromEntries(LANGS.flatMap((l) => (r.texts[l] ? [[l, r.texts[l].summary]] : []))),
    violationType: r.violationType,
    startDate: r.startDate,
    startPrecision: r.startPrecision,
    endDate: r.endDate,
    endPrecision: r.endPrecision,
    ongoing: r.ongoing,
    verification: r.verification,
    affected: r.affected,
    rights: r.rightIds.map((id) => codes.get(id) ?? id),
    tags: r.tags,
    placeId: place.id,
    placeName: place.name,
    publishedAt: r.publishedAt,
  };
}

/** A streamed file of rendered records; the first page is read before answering, so a bad query is a 422. */
async function file<R>(
  format: ExportFormat,
  name: string,
  pages: AsyncGenerator<R[]>,
  render: (records: AsyncIterable<R>) => AsyncGenerator<string>,
): Promise<ExportFile> {
  const first = await pages.next();
  const records = (async function* () {
    if (first.done) return;
    yield* first.value;
    for await (const page of pages) yield* page;
  })();
  const encoder = new TextEncoder();
  const chunks = render(records);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return { contentType: CONTENT_TYPES[format], filename: `${name}-${day}.${format}`, body };
}
