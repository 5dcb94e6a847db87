import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Database, Db, Executor, Tx } from '../db/index.js';
import type { Actor } from '../http/access.js';
import type { PreparedDocs } from '../search/index.js';
import { AS_NOW, type RecordRow, type RecordsRepository, type SearchSourceRow } from './repository.js';
import {
  LANGS,
  dateIssues,
  type Confidentiality,
  type Content,
  type CreateRecordData,
  type Lang,
  type RecordStatus,
  type Texts,
} from './schema.js';
import { contentColumns, contentOf, diff, scopeOf, snapshotOf, textRows } from './service.js';

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
  /** Its content now, links left out (not imported). */
  current: Content;
  after: Content;
  verification: string;
  confidentiality: string;
}

type Decision =
  | { row: BulkRow; kind: 'create'; content: Content }
  | (Match & { kind: 'update' })
  | (Match & { kind: 'unchanged' })
  | { row: BulkRow; kind: 'error'; errors: BulkIssue[] };

/** The rows of a batch's new records, for each table (codes are given in the transaction, `code` empty here). */
interface NewRows {
  ids: Map<BulkRow, string>;
  records: RecordRow[];
  texts: Database['record_texts'][];
  places: Database['record_places'][];
  rights: Database['record_rights'][];
  tags: Database['record_tags'][];
  verifications: Database['record_verifications'][];
  revisions: Database['record_revisions'][];
  /** Place names and right categories as read for the search documents: checked again in the transaction. */
  names: Map<string, string[]>;
  parents: Map<string, string | null>;
  /** The new records' search documents, made ready. */
  index: PreparedDocs | null;
}

/**
 * A batch decided and built (`RecordsBulk.prepare`), outside the transaction that writes it: an import makes the next
 * batch ready while the background connection indexes the last one.
 */
export interface PreparedBatch {
  /** The rows it was made of: `write` uses it only for these. */
  rows: BulkRow[];
  at: string;
  /** None of its external ids was in use: only then is it written as prepared (else decided again). */
  allNew: boolean;
  decisions: Decision[];
  created: NewRows;
}

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
    return (await this.decideWith(this.db, actor, rows, given, opts)).decisions.map(outcome);
  }

  /**
   * Decides what the rows would do and builds what they would write, outside any transaction (reads only): hand the
   * result to `write`, which checks that it still holds.
   */
  async prepare(actor: Actor, rows: BulkRow[], given: BulkFields, opts: BulkWriteOptions): Promise<PreparedBatch> {
    return this.build(this.db, actor, rows, given, opts, nowIso());
  }

  /**
   * Writes the rows in the caller's transaction, deciding again on the state inside it; or, given the batch
   * `prepare` made of them, as prepared when it still holds (none of its external ids in use, its places' names and
   * rights' categories unchanged). Rows that cannot be written are reported and skipped; the others are written
   * together with one audit entry.
   */
  async write(
    tx: Tx,
    actor: Actor,
    rows: BulkRow[],
    given: BulkFields,
    opts: BulkWriteOptions,
    prepared?: PreparedBatch,
  ): Promise<BulkOutcome[]> {
    const batch =
      prepared && prepared.rows === rows && (await this.holds(tx, prepared))
        ? prepared
        : await this.build(tx, actor, rows, given, opts, nowIso());
    const { decisions, created, at } = batch;
    await this.insertNew(tx, created, at);
    const updated: string[] = [];
    for (const d of decisions) if (d.kind === 'update') updated.push(await this.update(tx, actor, d, opts.note, at));
    await this.written(tx, created.index, updated);
    if (created.records.length > 0 || updated.length > 0)
      await this.audit.record(tx, {
        actorId: actor.userId,
        action: 'records.import',
        entityType: opts.audit.entityType,
        entityId: opts.audit.entityId,
        change: { ...opts.audit.change, created: created.records.map((r) => r.id), updated },
      });
    return decisions.map((d) => {
      const o = outcome(d);
      return d.kind === 'create' ? { ...o, recordId: created.ids.get(d.row) ?? null } : o;
    });
  }

  /**
   * Called in the transaction once a batch is written, with the new records' search documents (`prepareIndex`) and
   * the ids of the updated ones. Nothing here; the module's index keeps the search index in sync through it
   * (index.ts).
   */
  protected async written(_tx: Tx, _created: PreparedDocs | null, _updated: string[]): Promise<void> {}

  /** The new records' search documents made ready, from what is about to be inserted (not read back). */
  protected prepareIndex(_created: SearchSourceRow[]): PreparedDocs | null {
    return null;
  }

  private async build(
    ex: Executor,
    actor: Actor,
    rows: BulkRow[],
    given: BulkFields,
    opts: BulkWriteOptions,
    at: string,
  ): Promise<PreparedBatch> {
    const { decisions, existing } = await this.decideWith(ex, actor, rows, given, opts);
    const created = await this.newRows(
      ex,
      actor,
      decisions.flatMap((d) => (d.kind === 'create' ? [d] : [])),
      opts.note,
      at,
    );
    return { rows, at, allNew: existing === 0, decisions, created };
  }

  /** Whether a prepared batch still holds in the transaction. */
  private async holds(tx: Tx, p: PreparedBatch): Promise<boolean> {
    if (!p.allNew) return false;
    const inUse = await this.repo.findByExternalIds(
      p.rows.map((r) => r.externalId),
      tx,
    );
    if (inUse.length > 0) return false;
    const { names, parents } = p.created;
    const same = <V>(a: Map<string, V>, b: Map<string, V>) =>
      a.size === b.size && [...a].every(([k, v]) => JSON.stringify(b.get(k)) === JSON.stringify(v));
    return (
      same(names, await this.repo.placeNames([...names.keys()], tx)) &&
      same(parents, await this.repo.rightParents([...parents.keys()], tx))
    );
  }

  private async decideWith(
    ex: Executor,
    actor: Actor,
    rows: BulkRow[],
    given: BulkFields,
    opts: BulkOptions,
  ): Promise<{ decisions: Decision[]; existing: number }> {
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

    const decisions = rows.map((row): Decision => {
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

      const beforeContent = contentOf(before, {
        texts: texts.get(before.id) ?? [],
        placeIds: places.get(before.id) ?? [],
        rightIds: rights.get(before.id) ?? [],
        tags: sorted(tags.get(before.id) ?? []),
        // Not imported, so never compared: loaded only for the revision of a record that changes.
        links: [],
      });
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
      const decided = { row, before, current: beforeContent, after, verification, confidentiality };
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
    return { decisions, existing: existing.size };
  }

  /** New drafts' rows for each table, and their search documents; codes are left for `insertNew`. */
  private async newRows(
    ex: Executor,
    actor: Actor,
    decisions: Extract<Decision, { kind: 'create' }>[],
    note: string,
    at: string,
  ): Promise<NewRows> {
    const out: NewRows = {
      ids: new Map(),
      records: [],
      texts: [],
      places: [],
      rights: [],
      tags: [],
      verifications: [],
      revisions: [],
      names: new Map(),
      parents: new Map(),
      index: null,
    };
    if (decisions.length === 0) return out;
    for (const { row, content } of decisions) {
      const id = newId();
      out.ids.set(row, id);
      const record: RecordRow = {
        id,
        code: '',
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
      out.records.push(record);
      for (const t of textRows(content.texts)) out.texts.push({ ...t, record_id: id });
      content.placeIds.forEach((p, position) => out.places.push({ record_id: id, place_id: p, position }));
      content.rightIds.forEach((r, position) => out.rights.push({ record_id: id, right_id: r, position }));
      for (const tag of content.tags) out.tags.push({ record_id: id, tag });
      out.verifications.push({
        id: newId(),
        record_id: id,
        status: row.data.verification,
        note: row.data.verificationNote ?? null,
        actor_id: actor.userId,
        at,
      });
      out.revisions.push({
        record_id: id,
        rev: 1,
        at,
        actor_id: actor.userId,
        action: 'create',
        note: `${note}, line ${row.line}`,
        // The record as it is: filled in by its next change (`RecordsRepository.addRevision`).
        snapshot: AS_NOW,
      });
    }
    // The search sources, as `RecordsRepository.searchSources` would read them back: a new record has no access
    // list yet, and place names and right categories are looked up once for the batch.
    out.names = await this.repo.placeNames(dedupe(out.places.map((p) => p.place_id)), ex);
    out.parents = await this.repo.rightParents(dedupe(out.rights.map((r) => r.right_id)), ex);
    const sources = decisions.map(({ content }, i): SearchSourceRow => {
      const row = out.records[i]!;
      return {
        row,
        texts: textRows(content.texts),
        placeIds: content.placeIds,
        placeNames: content.placeIds.flatMap((p) => out.names.get(p) ?? []),
        rightIds: content.rightIds,
        categoryIds: dedupe(content.rightIds.flatMap((r) => out.parents.get(r) ?? [])),
        tags: content.tags,
        accessUserIds: [],
        accessGroupIds: [],
      };
    });
    out.index = this.prepareIndex(sources);
    return out;
  }

  /** The new drafts written: their codes reserved as one range, each table with multi-row inserts. */
  private async insertNew(tx: Tx, rows: NewRows, at: string): Promise<void> {
    if (rows.records.length === 0) return;
    const year = new Date(at).getUTCFullYear();
    const first = await this.repo.reserveNumbers(tx, year, rows.records.length);
    rows.records.forEach((r, i) => (r.code = `V-${year}-${String(first + i).padStart(4, '0')}`));
    await this.repo.insertMany(tx, 'records', rows.records);
    await this.repo.insertMany(tx, 'record_texts', rows.texts);
    await this.repo.insertMany(tx, 'record_places', rows.places);
    await this.repo.insertMany(tx, 'record_rights', rows.rights);
    await this.repo.insertMany(tx, 'record_tags', rows.tags);
    await this.repo.insertMany(tx, 'record_verifications', rows.verifications);
    await this.repo.insertMany(tx, 'record_revisions', rows.revisions);
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
    const previous = JSON.stringify(snapshotOf(before, { ...d.current, links }));
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
    await this.repo.addRevision(
      tx,
      before.id,
      {
        at,
        actor_id: actor.userId,
        action: 'update',
        note: `${note}, line ${row.line}`,
        snapshot: JSON.stringify(snapshotOf(record, after)),
      },
      previous,
    );
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
