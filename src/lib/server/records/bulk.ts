import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Executor, Tx } from '../db/index.js';
import type { Actor } from '../http/access.js';
import type { RecordRow, RecordsRepository, SearchSourceRow } from './repository.js';
import {
  LANGS,
  dateIssues,
  type Confidentiality,
  type Content,
  type CreateRecordData,
  type Lang,
  type RecordStatus,
  type Snapshot,
  type Texts,
} from './schema.js';
import { affectedOf, contentColumns, diff, scopeOf, textRows, textsOf } from './service.js';

/**
 * The records module's batched write path, for imports: thousands of rows per transaction, multi-row inserts, one
 * audit entry per batch. Each row is still a whole record with its first revision, so history works as for a record
 * made by hand. Rows are upserted by `externalId`: a row whose record exists updates it (a new revision only when
 * something changed), else it creates one as a draft written by the importing actor.
 *
 * The rules that differ from `RecordsService.update`, and why:
 * - approved and published records are frozen here entirely: an import that would change one is refused for that
 *   row (move the record back to draft first), so that nothing reaches the public without the four-eyes workflow;
 * - a verification note alone is not a change (re-importing the same file must change nothing); a verification
 *   event is added only when the status moves;
 * - links are not imported: a record keeps the links it has.
 */

/** A row checked against `CreateRecordSchema`, with its places and rights resolved to ids. */
export interface BulkRow {
  /** Where the row is in its file, for error reports. */
  line: number;
  externalId: string;
  data: CreateRecordData;
}

/** Which fields the file gives (its columns): an update replaces those and keeps the others. */
export interface BulkFields {
  langs: ReadonlySet<Lang>;
  fields: ReadonlySet<BulkField>;
}
export type BulkField = Exclude<keyof Content, 'texts' | 'links'> | 'verification' | 'confidentiality';

export interface BulkIssue {
  /** A field path as in the records API (`endDate`, `rightIds.1`), or `externalId`. */
  path: string;
  message: string;
}

export type BulkOutcome =
  | { line: number; externalId: string; action: 'create' | 'update' | 'unchanged'; recordId: string | null }
  | { line: number; externalId: string; action: 'error'; errors: BulkIssue[] };

export interface BulkOptions {
  /** Retired rights: kept on a record that cites them, never added. */
  retiredRightIds: ReadonlySet<string>;
}

export interface BulkWriteOptions extends BulkOptions {
  /** The revision note of each written record, e.g. the file it came from. */
  note: string;
  /** The batch's one audit entry; the ids created and updated are added to its change. */
  audit: { entityType: string; entityId: string; change: Record<string, unknown> };
}

/** An existing record the row matches: its state and what the row would make of it. */
interface Match {
  row: BulkRow;
  before: RecordRow;
  after: Content;
  verification: string;
  confidentiality: string;
}

type Decision =
  | { row: BulkRow; kind: 'create'; content: Content }
  | (Match & { kind: 'update' })
  | (Match & { kind: 'unchanged' })
  | { row: BulkRow; kind: 'error'; errors: BulkIssue[] };

const EDITABLE: readonly RecordStatus[] = ['draft', 'in-review', 'unpublished'];
const LEVEL: Record<Confidentiality, number> = { public: 0, internal: 1, restricted: 2 };
const dedupe = <T>(xs: T[]): T[] => [...new Set(xs)];
const sorted = (xs: string[]) => [...xs].sort();

export class RecordsBulk {
  constructor(
    private readonly db: Db,
    private readonly repo: RecordsRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The external ids of the given records, for those that have one (exports carry them). */
  externalIds(ids: string[]): Promise<Map<string, string>> {
    return this.repo.externalIdsOf(ids);
  }

  /** What writing the rows would do, row by row, without writing anything (the dry run). */
  async plan(actor: Actor, rows: BulkRow[], given: BulkFields, opts: BulkOptions): Promise<BulkOutcome[]> {
    return (await this.decide(this.db, actor, rows, given, opts)).map(outcome);
  }

  /**
   * Writes the rows in the caller's transaction, deciding again on the state inside it. Rows that cannot be written
   * are reported and skipped; the others are written together with one audit entry.
   */
  async write(
    tx: Tx,
    actor: Actor,
    rows: BulkRow[],
    given: BulkFields,
    opts: BulkWriteOptions,
  ): Promise<BulkOutcome[]> {
    const decisions = await this.decide(tx, actor, rows, given, opts);
    const at = nowIso();
    const { ids: created, sources } = await this.create(
      tx,
      actor,
      decisions.flatMap((d) => (d.kind === 'create' ? [d] : [])),
      opts.note,
      at,
    );
    const updated: string[] = [];
    for (const d of decisions) if (d.kind === 'update') updated.push(await this.update(tx, actor, d, opts.note, at));
    await this.written(tx, sources, updated);
    if (created.size > 0 || updated.length > 0)
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'records.import',
        entityType: opts.audit.entityType,
        entityId: opts.audit.entityId,
        change: { ...opts.audit.change, created: [...created.values()], updated },
      });
    return decisions.map((d) => {
      const o = outcome(d);
      return d.kind === 'create' ? { ...o, recordId: created.get(d.row) ?? null } : o;
    });
  }

  /**
   * Called in the transaction once a batch is written: the new records as search sources (built from what was just
   * inserted, so that they need not be read back) and the ids of the updated ones. Nothing here; the module's
   * index keeps the search index in sync through it (index.ts).
   */
  protected async written(_tx: Tx, _created: SearchSourceRow[], _updated: string[]): Promise<void> {}

  private async decide(
    ex: Executor,
    actor: Actor,
    rows: BulkRow[],
    given: BulkFields,
    opts: BulkOptions,
  ): Promise<Decision[]> {
    const existing = new Map(
      (
        await this.repo.findByExternalIds(
          rows.map((r) => r.externalId),
          ex,
        )
      ).map((r) => [r.external_id!, r]),
    );
    const ids = [...existing.values()].map((r) => r.id);
    const visible = await this.repo.visibleIds(scopeOf(actor), ids, ex);
    const [texts, places, rights, tags] = await Promise.all([
      this.repo.texts(ids, ex),
      this.repo.placeIdsOf(ids, ex),
      this.repo.rightIdsOf(ids, ex),
      this.repo.tagsOf(ids, ex),
    ]);

    return rows.map((row): Decision => {
      const fresh = normalised(row.data);
      const before = existing.get(row.externalId);
      if (!before) {
        const retired = fresh.rightIds.flatMap((id, i) =>
          opts.retiredRightIds.has(id) ? [{ path: `rightIds.${i}`, message: 'this right is retired' }] : [],
        );
        return retired.length ? { row, kind: 'error', errors: retired } : { row, kind: 'create', content: fresh };
      }
      if (!visible.has(before.id))
        return { row, kind: 'error', errors: [{ path: 'externalId', message: 'already used by another record' }] };

      const beforeContent: Content = {
        texts: textsOf(texts.get(before.id) ?? []),
        violationType: before.violation_type as Content['violationType'],
        startDate: before.start_date,
        startPrecision: before.start_precision as Content['startPrecision'],
        endDate: before.end_date,
        endPrecision: before.end_precision as Content['endPrecision'],
        ongoing: before.ongoing_at !== null,
        affected: affectedOf(before),
        responsible: JSON.parse(before.responsible) as Content['responsible'],
        placeIds: places.get(before.id) ?? [],
        rightIds: rights.get(before.id) ?? [],
        tags: sorted(tags.get(before.id) ?? []),
        // Not imported, so never compared: loaded only for the revision of a record that changes.
        links: [],
      };
      const after = merge(beforeContent, fresh, given);
      const errors: BulkIssue[] = [
        ...dateIssues(after),
        ...after.rightIds.flatMap((id, i) =>
          opts.retiredRightIds.has(id) && !beforeContent.rightIds.includes(id)
            ? [{ path: `rightIds.${i}`, message: 'this right is retired' }]
            : [],
        ),
      ];
      if (errors.length) return { row, kind: 'error', errors };

      const verification = given.fields.has('verification') ? row.data.verification : before.verification;
      const confidentiality = given.fields.has('confidentiality') ? row.data.confidentiality : before.confidentiality;
      const changed =
        verification !== before.verification ||
        confidentiality !== before.confidentiality ||
        diff(beforeContent, after).length > 0;
      const decided = { row, before, after, verification, confidentiality };
      if (!changed) return { ...decided, kind: 'unchanged' };

      const status = before.status as RecordStatus;
      if (!EDITABLE.includes(status))
        return {
          row,
          kind: 'error',
          errors: [
            {
              path: 'externalId',
              message: `record ${before.code} is ${status}: move it back to draft before importing a change`,
            },
          ],
        };
      if (
        LEVEL[confidentiality as Confidentiality] < LEVEL[before.confidentiality as Confidentiality] &&
        before.confidentiality === 'restricted' &&
        before.author_id !== actor.userId &&
        actor.role !== 'admin'
      )
        return {
          row,
          kind: 'error',
          errors: [
            { path: 'confidentiality', message: 'only the record’s author or an admin can lift its restriction' },
          ],
        };
      return { ...decided, kind: 'update' };
    });
  }

  /** New drafts: codes reserved as one range, each table written with multi-row inserts. */
  private async create(
    tx: Tx,
    actor: Actor,
    decisions: Extract<Decision, { kind: 'create' }>[],
    note: string,
    at: string,
  ): Promise<{ ids: Map<BulkRow, string>; sources: SearchSourceRow[] }> {
    const ids = new Map<BulkRow, string>();
    if (decisions.length === 0) return { ids, sources: [] };
    const year = new Date(at).getUTCFullYear();
    const first = await this.repo.reserveNumbers(tx, year, decisions.length);
    const records: RecordRow[] = [];
    const texts: {
      record_id: string;
      lang: string;
      title: string;
      summary: string;
      description: string | null;
      translation_status: string;
    }[] = [];
    const places: { record_id: string; place_id: string; position: number }[] = [];
    const rights: { record_id: string; right_id: string; position: number }[] = [];
    const tags: { record_id: string; tag: string }[] = [];
    const verifications: {
      id: string;
      record_id: string;
      status: string;
      note: string | null;
      actor_id: string | null;
      at: string;
    }[] = [];
    const revisions: {
      record_id: string;
      rev: number;
      at: string;
      actor_id: string | null;
      action: string;
      note: string | null;
      snapshot: string;
    }[] = [];

    decisions.forEach(({ row, content }, i) => {
      const id = newId();
      ids.set(row, id);
      const record: RecordRow = {
        id,
        code: `V-${year}-${String(first + i).padStart(4, '0')}`,
        status: 'draft',
        verification: row.data.verification,
        confidentiality: row.data.confidentiality,
        ...contentColumns(content, at),
        author_id: actor.userId,
        version: 1,
        created_at: at,
        updated_at: at,
        published_at: null,
        external_id: row.externalId,
      };
      records.push(record);
      for (const t of textRows(content.texts)) texts.push({ ...t, record_id: id });
      content.placeIds.forEach((p, position) => places.push({ record_id: id, place_id: p, position }));
      content.rightIds.forEach((r, position) => rights.push({ record_id: id, right_id: r, position }));
      for (const tag of content.tags) tags.push({ record_id: id, tag });
      verifications.push({
        id: newId(),
        record_id: id,
        status: row.data.verification,
        note: row.data.verificationNote ?? null,
        actor_id: actor.userId,
        at,
      });
      revisions.push({
        record_id: id,
        rev: 1,
        at,
        actor_id: actor.userId,
        action: 'create',
        note: `${note}, line ${row.line}`,
        snapshot: JSON.stringify(snapshotOf(record, content)),
      });
    });
    await this.repo.insertMany(tx, 'records', records);
    await this.repo.insertMany(tx, 'record_texts', texts);
    await this.repo.insertMany(tx, 'record_places', places);
    await this.repo.insertMany(tx, 'record_rights', rights);
    await this.repo.insertMany(tx, 'record_tags', tags);
    await this.repo.insertMany(tx, 'record_verifications', verifications);
    await this.repo.insertMany(tx, 'record_revisions', revisions);

    // The search sources, as `RecordsRepository.searchSources` would read them back: a new record has no access
    // list yet, and place names and right categories are looked up once for the batch.
    const names = await this.repo.placeNames(dedupe(places.map((p) => p.place_id)), tx);
    const parents = await this.repo.rightParents(dedupe(rights.map((r) => r.right_id)), tx);
    const sources = decisions.map(({ content }, i): SearchSourceRow => {
      const row = records[i]!;
      return {
        row,
        texts: textRows(content.texts),
        placeIds: content.placeIds,
        placeNames: content.placeIds.flatMap((p) => names.get(p) ?? []),
        rightIds: content.rightIds,
        categoryIds: dedupe(content.rightIds.flatMap((r) => parents.get(r) ?? [])),
        tags: content.tags,
        accessUserIds: [],
        accessGroupIds: [],
      };
    });
    return { ids, sources };
  }

  /** One changed record: fewer than new ones in an import, so written one by one with the ordinary methods. */
  private async update(
    tx: Tx,
    actor: Actor,
    d: Extract<Decision, { kind: 'update' }>,
    note: string,
    at: string,
  ): Promise<string> {
    const { row, before, verification } = d;
    const links = (await this.repo.links(before.id, tx)).map((l) => ({
      kind: l.kind as Content['links'][number]['kind'],
      recordId: l.recordId,
    }));
    const after: Content = { ...d.after, links };
    const record: RecordRow = {
      ...before,
      ...contentColumns(after, before.ongoing_at ?? at),
      verification,
      confidentiality: d.confidentiality,
      version: before.version + 1,
      updated_at: at,
    };
    await this.repo.update(tx, record);
    await this.repo.replaceTexts(tx, before.id, textRows(after.texts));
    await this.repo.replacePlaces(tx, before.id, after.placeIds);
    await this.repo.replaceRights(tx, before.id, after.rightIds);
    await this.repo.replaceTags(tx, before.id, after.tags);
    if (verification !== before.verification)
      await this.repo.addVerification(tx, {
        id: newId(),
        recordId: before.id,
        status: verification,
        note: row.data.verificationNote ?? null,
        actorId: actor.userId,
        at,
      });
    await this.repo.addRevision(tx, before.id, {
      at,
      actor_id: actor.userId,
      action: 'update',
      note: `${note}, line ${row.line}`,
      snapshot: JSON.stringify(snapshotOf(record, after)),
    });
    return before.id;
  }
}

function outcome(d: Decision): BulkOutcome {
  const base = { line: d.row.line, externalId: d.row.externalId };
  if (d.kind === 'error') return { ...base, action: 'error', errors: d.errors };
  return { ...base, action: d.kind, recordId: d.kind === 'create' ? null : d.before.id };
}

function normalised(data: CreateRecordData): Content {
  return {
    texts: data.texts as Texts,
    violationType: data.violationType,
    startDate: data.startDate,
    startPrecision: data.startPrecision,
    endDate: data.endDate,
    endPrecision: data.endPrecision,
    ongoing: data.ongoing,
    affected: data.affected,
    responsible: data.responsible,
    placeIds: dedupe(data.placeIds),
    rightIds: dedupe(data.rightIds),
    tags: dedupe(data.tags).sort(),
    links: [],
  };
}

/** The record's content after the row: the file's fields replace, the others stay; a language given replaces. */
function merge(before: Content, fresh: Content, given: BulkFields): Content {
  const texts: Texts = { ...before.texts };
  for (const lang of LANGS) {
    if (!given.langs.has(lang)) continue;
    if (fresh.texts[lang]) texts[lang] = fresh.texts[lang];
    else delete texts[lang];
  }
  const out: Content = { ...before, texts };
  for (const f of given.fields)
    if (f !== 'verification' && f !== 'confidentiality') Object.assign(out, { [f]: fresh[f] });
  return out;
}

function snapshotOf(row: RecordRow, content: Content): Snapshot {
  return {
    ...content,
    status: row.status as RecordStatus,
    verification: row.verification as Snapshot['verification'],
    confidentiality: row.confidentiality as Confidentiality,
  };
}
