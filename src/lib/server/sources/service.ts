import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Tx, UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { parseOr422, problems } from '../http/problem.js';
import type { VisibleRecordIds } from '../inquiries/service.js';
import type { SourceLinkRow, SourceRow, SourcesRepository } from './repository.js';
import {
  CreateSourceSchema,
  GradeSchema,
  LinkSourceRecordSchema,
  SourceQuerySchema,
  UpdateSourceSchema,
  type CreateSourceInput,
  type RecordSource,
  type Source,
  type SourceSummary,
  type UpdateSourceInput,
} from './schema.js';

export interface SourcesServiceDeps {
  db: Db;
  repo: SourcesRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The records module's visibility filter: every record id this module returns goes through it. */
  visibleRecordIds: VisibleRecordIds;
  /** The full-text index of titles and publishers; without it, `q` matches titles by substring. */
  index?: SourceIndex;
}

/** What this module needs of the search module: writes inside its transactions, and matching ids. */
export interface SourceIndex {
  upsert(tx: Tx, doc: { id: string; title: string; publisher: string | null }): Promise<void>;
  remove(tx: Tx, id: string): Promise<void>;
  /** Ids matching the search box's words (case and accents ignored), best first. */
  match(q: string, limit: number): Promise<string[]>;
}

/** A text search narrows the list to at most this many sources. */
const MATCH_MAX = 5000;

const notFound = () => problems.notFound('No such source.');

/** Sources: where what the register says comes from, graded on the Admiralty scale and linked to records. */
export class SourcesService {
  constructor(private readonly deps: SourcesServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  async list(query: Partial<z.input<typeof SourceQuerySchema>> = {}): Promise<{
    items: SourceSummary[];
    nextOffset: number | null;
  }> {
    const f = parseOr422(SourceQuerySchema, query);
    const q = f.q === undefined || f.q.trim() === '' ? undefined : f.q.trim();
    const graded = f.graded === undefined ? undefined : f.graded === 'true';
    const index = this.deps.index;
    const ids = q !== undefined && index ? await index.match(q, MATCH_MAX) : undefined;
    // One more than asked tells whether a next page exists without counting.
    const rows = await this.repo.list({ ...f, q: ids ? undefined : q, ids, graded, limit: f.limit + 1 });
    return {
      items: rows.slice(0, f.limit).map(summaryOf),
      nextOffset: rows.length > f.limit ? f.offset + f.limit : null,
    };
  }

  /** Indexes every source (after the index was cleared): `corridor search rebuild`. */
  async indexAll(tx: Tx): Promise<number> {
    const index = this.deps.index;
    if (!index) return 0;
    let n = 0;
    for (const s of await this.repo.titles(tx)) {
      await index.upsert(tx, s);
      n += 1;
    }
    return n;
  }

  /** One source, with only the record links the actor may see. */
  async get(id: string, actor: Actor | null): Promise<Source> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound();
    const links = await this.repo.links(id);
    const visible =
      links.length === 0
        ? new Set<string>()
        : await this.deps.visibleRecordIds(actor, [...new Set(links.map((l) => l.recordId))]);
    return viewOf(
      row,
      links.filter((l) => visible.has(l.recordId)),
    );
  }

  /** The sources linked to a record the actor may see (404 otherwise, as for the record itself). */
  async ofRecord(recordId: string, actor: Actor | null): Promise<RecordSource[]> {
    const visible = await this.deps.visibleRecordIds(actor, [recordId]);
    if (!visible.has(recordId)) throw problems.notFound('No such record.');
    return (await this.repo.sourcesOfRecord(recordId)).map((r) => ({
      ...summaryOf(r),
      relation: r.relation as RecordSource['relation'],
      quote: r.quote,
      linkedAt: r.createdAt,
    }));
  }

  async create(input: CreateSourceInput, actorId: string | null): Promise<Source> {
    const data = parseOr422(CreateSourceSchema, input);
    const at = nowIso();
    const row: SourceRow = {
      id: newId(),
      type: data.type,
      title: data.title,
      date: data.date ?? null,
      date_precision: data.datePrecision ?? null,
      language: data.language ?? null,
      publisher: data.publisher ?? null,
      person_ref: data.personRef ?? null,
      url: data.url ?? null,
      captured_at: data.capturedAt ?? null,
      archive_sha256: data.archive?.sha256 ?? null,
      archive_media_type: data.archive?.mediaType ?? null,
      archive_size: data.archive?.size ?? null,
      inquiry_id: data.inquiryId ?? null,
      reliability: null,
      credibility: null,
      graded_by: null,
      graded_at: null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    };
    return this.deps.uow.run(async (tx) => {
      await this.check(tx, row);
      await this.repo.insert(tx, row);
      await this.deps.index?.upsert(tx, { id: row.id, title: row.title, publisher: row.publisher });
      const view = viewOf(row, []);
      await this.audit(tx, actorId, 'sources.create', row.id, { after: view });
      return view;
    });
  }

  /** Changes what is given; `null` clears an optional field. Grades are not changed here (see `grade`). */
  async update(id: string, input: UpdateSourceInput, actor: Actor): Promise<Source> {
    const data = parseOr422(UpdateSourceSchema, input);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      const pick = <K extends keyof typeof data>(k: K, old: unknown) => (data[k] === undefined ? old : data[k]);
      const archive =
        data.archive === undefined
          ? {
              archive_sha256: before.archive_sha256,
              archive_media_type: before.archive_media_type,
              archive_size: before.archive_size,
            }
          : {
              archive_sha256: data.archive?.sha256 ?? null,
              archive_media_type: data.archive?.mediaType ?? null,
              archive_size: data.archive?.size ?? null,
            };
      const after: SourceRow = {
        ...before,
        type: data.type ?? before.type,
        title: data.title ?? before.title,
        date: pick('date', before.date) as string | null,
        date_precision: pick('datePrecision', before.date_precision) as string | null,
        language: pick('language', before.language) as string | null,
        publisher: pick('publisher', before.publisher) as string | null,
        person_ref: pick('personRef', before.person_ref) as string | null,
        url: pick('url', before.url) as string | null,
        captured_at: pick('capturedAt', before.captured_at) as string | null,
        ...archive,
        inquiry_id: pick('inquiryId', before.inquiry_id) as string | null,
        updated_at: nowIso(),
      };
      // Clearing the date clears its precision with it.
      if (data.date === null && data.datePrecision === undefined) after.date_precision = null;
      await this.check(tx, after);
      await this.repo.update(tx, after);
      await this.deps.index?.upsert(tx, { id, title: after.title, publisher: after.publisher });
      await this.audit(tx, actor.userId, 'sources.update', id, {
        before: viewOf(before, []),
        after: viewOf(after, []),
      });
    });
    return this.get(id, actor);
  }

  /** Grades on the Admiralty scale, recording who graded and when. A separate permission from editing. */
  async grade(id: string, input: z.input<typeof GradeSchema>, actor: Actor): Promise<Source> {
    const data = parseOr422(GradeSchema, input);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      const at = nowIso();
      const after: SourceRow = {
        ...before,
        reliability: data.reliability,
        credibility: data.credibility,
        graded_by: actor.userId,
        graded_at: at,
        updated_at: at,
      };
      await this.repo.update(tx, after);
      await this.audit(tx, actor.userId, 'sources.grade', id, {
        before: { reliability: before.reliability, credibility: before.credibility },
        after: { reliability: after.reliability, credibility: after.credibility },
      });
    });
    return this.get(id, actor);
  }

  /** Deletes a source linked to no record (409 otherwise). */
  async delete(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.findById(id, tx);
      if (!before) throw notFound();
      if (await this.repo.hasAnyLink(id, tx))
        throw problems.conflict('This source is linked to records: remove the links first.');
      await this.repo.delete(tx, id);
      await this.deps.index?.remove(tx, id);
      await this.audit(tx, actorId, 'sources.delete', id, { before: viewOf(before, []) });
    });
  }

  /**
   * Links a record, saying whether the source supports or contradicts it and quoting the claim. A record the actor
   * cannot see answers 404 exactly like one that does not exist; the visibility check runs before the transaction
   * (SQLite has one connection: another module's read inside it would wait forever).
   */
  async linkRecord(id: string, input: z.input<typeof LinkSourceRecordSchema>, actor: Actor): Promise<Source> {
    const data = parseOr422(LinkSourceRecordSchema, input);
    await this.requireVisible(actor, data.recordId);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      if (await this.repo.linkExists(tx, id, data.recordId, data.relation))
        throw problems.conflict(
          `This source already ${data.relation === 'supports' ? 'supports' : 'contradicts'} this record.`,
        );
      await this.repo.insertLink(tx, { sourceId: id, ...data, createdBy: actor.userId, createdAt: nowIso() });
      await this.audit(tx, actor.userId, 'sources.link-record', id, { link: data });
    });
    return this.get(id, actor);
  }

  /** Removes the links to a record (only the given relation when one is named). */
  async unlinkRecord(id: string, recordId: string, relation: string | undefined, actor: Actor): Promise<void> {
    await this.requireVisible(actor, recordId);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.findById(id, tx))) throw notFound();
      const gone = await this.repo.deleteLinks(tx, id, recordId, relation);
      if (gone.length === 0) throw problems.notFound('This record is not linked to this source.');
      await this.audit(tx, actor.userId, 'sources.unlink-record', id, { unlink: gone });
    });
  }

  private async requireVisible(actor: Actor, recordId: string): Promise<void> {
    const visible = await this.deps.visibleRecordIds(actor, [recordId]);
    if (!visible.has(recordId)) throw problems.notFound('No such record.');
  }

  /** Rules across fields, checked on the source as it would be stored. */
  private async check(tx: Tx, r: SourceRow): Promise<void> {
    const errors: { path: string; message: string }[] = [];
    if (r.type === 'open-source' && r.url === null)
      errors.push({ path: 'url', message: 'an open source needs its URL' });
    if (r.person_ref !== null && r.type !== 'interview')
      errors.push({ path: 'personRef', message: 'only an interview refers to a person' });
    if (r.date_precision !== null && r.date === null)
      errors.push({ path: 'datePrecision', message: 'a precision needs a date' });
    if (r.inquiry_id !== null) {
      if (r.type !== 'inquiry') errors.push({ path: 'inquiryId', message: 'only a source of type inquiry has one' });
      else if (!(await this.repo.inquiryExists(r.inquiry_id, tx)))
        errors.push({ path: 'inquiryId', message: 'no such inquiry' });
    }
    if (errors.length > 0) throw problems.validation(errors);
    if (r.date !== null && r.date_precision === null) r.date_precision = 'day';
  }

  private async audit(tx: Tx, actorId: string | null, action: string, id: string, change: unknown): Promise<void> {
    await this.deps.audit.record(tx, { actorId, action, entityType: 'source', entityId: id, change });
  }
}

function summaryOf(r: SourceRow): SourceSummary {
  return {
    id: r.id,
    type: r.type as SourceSummary['type'],
    title: r.title,
    date: r.date,
    datePrecision: r.date_precision as SourceSummary['datePrecision'],
    language: r.language,
    publisher: r.publisher,
    reliability: r.reliability as SourceSummary['reliability'],
    credibility: r.credibility,
  };
}

function viewOf(r: SourceRow, links: SourceLinkRow[]): Source {
  return {
    ...summaryOf(r),
    personRef: r.person_ref,
    url: r.url,
    capturedAt: r.captured_at,
    archive:
      r.archive_sha256 === null
        ? null
        : { sha256: r.archive_sha256, mediaType: r.archive_media_type ?? '', size: r.archive_size ?? 0 },
    inquiryId: r.inquiry_id,
    gradedBy: r.graded_by,
    gradedAt: r.graded_at,
    records: links.map((l) => ({ ...l, relation: l.relation as 'supports' | 'contradicts' })),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
