import type { z } from '@hono/zod-openapi';
import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Db, Executor, Tx, UnitOfWork } from '../db/index.js';
import { allows, type Actor } from '../http/access.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import type { PlacesService } from '../places/index.js';
import type { RightsService } from '../rights/index.js';
import type { FacetName, PreparedDocs, SearchIndex, SearchRequest, Viewer } from '../search/index.js';
import {
  AS_NOW,
  type RecordRow,
  type RecordsRepository,
  type RevisionRow,
  type Scope,
  type SearchSourceRow,
  type TextRow,
} from './repository.js';
import { hitSnippet, labelled, searchDoc, searchRequest, viewerOf } from './search.js';
import {
  AccessSchema,
  CONTENT_FIELDS,
  CreateRecordSchema,
  LANGS,
  PUBLIC_RECORD_FACETS,
  PublicRecordQuerySchema,
  PublicTimelineQuerySchema,
  RECORD_FACETS,
  RecordQuerySchema,
  TransitionSchema,
  UpdateRecordSchema,
  dateIssues,
  type AccessInput,
  type Affected,
  type Confidentiality,
  type Content,
  type CreateRecordInput,
  type Lang,
  type PublicRecord,
  type RecordStatus,
  type FacetValue,
  type PublicRecordList,
  type PublicTimeline,
  type Precision,
  type RecordList,
  type SearchTotal,
  type RecordView,
  type RevisionSummary,
  type Snapshot,
  type Texts,
  type TransitionInput,
  type UpdateRecordInput,
} from './schema.js';

export interface RecordsServiceDeps {
  db: Db;
  repo: RecordsRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Reference data, checked through the other modules' services (before a transaction opens: see `checkRefs`). */
  places: Pick<PlacesService, 'get'>;
  rights: Pick<RightsService, 'get'>;
  /** Which of the given user ids are existing accounts. */
  knownUsers: (ids: string[]) => Promise<Set<string>>;
  /** Which of the given group ids exist. */
  knownGroups: (ids: string[]) => Promise<Set<string>>;
  /** The groups a user belongs to: with the user, the principals a restricted record can name (search tokens). */
  groupsOf: (userId: string) => Promise<string[]>;
  /** The full-text index, kept in sync in the transaction of every write that changes what it holds. */
  search: SearchIndex;
  /**
   * The PII guard, run before a record is published (people protection): throws when the public text names a
   * protected person linked to the record, or shows a phone number, e-mail or ID number, unless overridden.
   */
  publishGuard?: (record: RecordView, actor: Actor, override: { reason: string } | undefined) => Promise<unknown>;
}

/** What a search returns to other modules (exports): the API's list answer. */
export interface SearchOptions {
  /** Count facets (the API always does; a paging export need not). */
  facets?: boolean;
}

type Issue = { path: string; message: string };

const fail = (issues: Issue[]) => {
  if (issues.length > 0) throw problems.validation(issues);
};
const notFound = () => problems.notFound('No such record.');
const dedupe = <T>(xs: T[]): T[] => [...new Set(xs)];
const dedupeLinks = <L extends { kind: string; recordId: string }>(links: L[]): L[] => {
  const seen = new Set<string>();
  return links.filter((l) => {
    const k = `${l.kind} ${l.recordId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** The version in an `If-Match` header: `3`, `"3"` or `W/"3"`. */
const versionOf = (ifMatch: string | undefined) =>
  ifMatch === undefined ? undefined : Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));

/** Staff (register:read) see public and internal records, and restricted ones they wrote or are named on. */
export function scopeOf(actor: Actor | null): Scope {
  return actor && allows(actor, 'register:read') ? { kind: 'staff', userId: actor.userId } : { kind: 'public' };
}

/**
 * The scope of a staff view. The view carries what only staff may read (verification notes, access lists), so a
 * caller without `register:read` is refused rather than given the public's records in it.
 */
function staffScopeOf(actor: Actor): Extract<Scope, { kind: 'staff' }> {
  const scope = scopeOf(actor);
  if (scope.kind !== 'staff') throw problems.forbidden();
  return scope;
}

/**
 * The workflow: from → to → the permission it needs. Publishing also needs a reviewer who is not the author (four
 * eyes); unpublishing needs a reason.
 */
const TRANSITIONS: Partial<Record<RecordStatus, Partial<Record<RecordStatus, 'records:write' | 'records:review'>>>> = {
  draft: { 'in-review': 'records:write' },
  'in-review': { approved: 'records:review', draft: 'records:write' },
  approved: { published: 'records:review', draft: 'records:write' },
  published: { unpublished: 'records:review' },
  unpublished: { draft: 'records:write' },
};

/** Content can change only before approval, or once unpublished; approved and published records are frozen. */
const EDITABLE: readonly RecordStatus[] = ['draft', 'in-review', 'unpublished'];
/** On a frozen record these may still change: the assessment moves on, and tightening access is always safe. */
const FROZEN_EDITABLE = new Set(['version', 'verification', 'verificationNote', 'confidentiality']);
const LEVEL: Record<Confidentiality, number> = { public: 0, internal: 1, restricted: 2 };

export const AFFECTED_COLUMNS = {
  individuals: 'affected_individuals',
  children: 'affected_children',
  women: 'affected_women',
  olderPersons: 'affected_older_persons',
  personsWithDisabilities: 'affected_persons_with_disabilities',
  displaced: 'affected_displaced',
  wholePopulation: 'affected_whole_population',
} as const satisfies Record<keyof Affected, keyof RecordRow>;

export function affectedOf(row: RecordRow): Affected {
  const out = {} as Affected;
  for (const [k, col] of Object.entries(AFFECTED_COLUMNS)) out[k as keyof Affected] = row[col];
  return out;
}

/** A record's content: its row, and what it has in the other tables. */
export function contentOf(
  row: RecordRow,
  has: { texts: TextRow[]; placeIds: string[]; rightIds: string[]; tags: string[]; links: Content['links'] },
): Content {
  return {
    texts: textsOf(has.texts),
    violationType: row.violation_type as Content['violationType'],
    startDate: row.start_date,
    startPrecision: row.start_precision as Content['startPrecision'],
    endDate: row.end_date,
    endPrecision: row.end_precision as Content['endPrecision'],
    ongoing: row.ongoing_at !== null,
    affected: affectedOf(row),
    responsible: JSON.parse(row.responsible) as Content['responsible'],
    placeIds: has.placeIds,
    rightIds: has.rightIds,
    tags: has.tags,
    links: has.links,
  };
}

export function textsOf(rows: TextRow[]): Texts {
  const out: Texts = {};
  for (const lang of LANGS) {
    const t = rows.find((r) => r.lang === lang);
    if (t)
      out[lang] = {
        title: t.title,
        summary: t.summary,
        description: t.description,
        translationStatus: t.translation_status as 'original',
      };
  }
  return out;
}

export function textRows(texts: Texts): TextRow[] {
  return LANGS.flatMap((lang: Lang) => {
    const t = texts[lang];
    return t
      ? [
          {
            lang,
            title: t.title,
            summary: t.summary,
            description: t.description,
            translation_status: t.translationStatus,
          },
        ]
      : [];
  });
}

/** Field-by-field differences: objects are walked, arrays and scalars compared whole. */
export function diff(before: unknown, after: unknown, path = ''): { path: string; before: unknown; after: unknown }[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return [];
  return [{ path, before: before ?? null, after: after ?? null }];
}

/**
 * The register's records: violations and incidents, their workflow, verification history and revisions.
 * Every read goes through one visibility rule (`scopeOf` + the repository's `visibleTo`); a record the caller may
 * not see is answered 404, never 403, and never counted.
 */
export class RecordsService {
  constructor(private readonly deps: RecordsServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /**
   * Which of the given ids the actor may see: for other modules (sources, inquiries) that link to records. Ids that
   * do not exist and ids the actor may not see are both left out, so a caller cannot tell the two apart.
   */
  visibleRecordIds(actor: Actor | null, ids: string[]): Promise<Set<string>> {
    return this.repo.visibleIds(scopeOf(actor), ids);
  }

  /** How many records cite a right: the rights module's usage counter. */
  countRightUsage(rightId: string, ex: Executor): Promise<number> {
    return this.repo.countByRight(rightId, ex);
  }

  /**
   * Records the caller may see, through the full-text index: words, filters, facet counts, snippets, date or
   * relevance order, keyset pages. The index applies the visibility rule inside the match (so that nothing hidden is
   * counted); the hits are checked against the repository's rule once more before anything is read.
   */
  async list(
    actor: Actor | null,
    query: Partial<z.input<typeof RecordQuerySchema>> = {},
    opts: SearchOptions = {},
  ): Promise<RecordList> {
    const q = parseOr422(RecordQuerySchema, query);
    const scope = scopeOf(actor);
    const req = searchRequest(q, await this.viewer(scope));
    const page = await this.deps.search.search(req, {
      sort: q.sort ?? (req.query?.all.length ? 'relevance' : 'date'),
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    const ids = await this.checkedHits(
      scope,
      page.hits.map((h) => h.id),
    );
    const rows = new Map((await this.repo.rowsByIds(ids)).map((r) => [r.id, r]));
    const texts = await this.repo.texts(ids);
    const items = ids.flatMap((id) => {
      const r = rows.get(id);
      if (!r) return [];
      const t = texts.get(id) ?? [];
      return [
        {
          id: r.id,
          code: r.code,
          status: r.status as RecordStatus,
          verification: r.verification as Snapshot['verification'],
          confidentiality: r.confidentiality as Confidentiality,
          titles: Object.fromEntries(t.map((x) => [x.lang, x.title])),
          startDate: r.start_date,
          endDate: r.end_date,
          ongoing: r.ongoing_at !== null,
          updatedAt: r.updated_at,
          ...hitSnippet(req, t),
        },
      ];
    });
    const facets = await this.facets(req, page.total, RECORD_FACETS, opts.facets !== false);
    return { items, total: page.total, ...facets, sort: page.sort, nextCursor: page.nextCursor };
  }

  /** The same search, for other modules (exports, reports): `list` by another name. */
  search(actor: Actor | null, query: Partial<z.input<typeof RecordQuerySchema>> = {}, opts: SearchOptions = {}) {
    return this.list(actor, query, opts);
  }

  /** Every id the search matches for the caller, newest first, in batches (`limit` and `cursor` are ignored). */
  async *searchIds(
    actor: Actor | null,
    query: Partial<z.input<typeof RecordQuerySchema>> = {},
    batch = 1000,
  ): AsyncGenerator<string[]> {
    const q = parseOr422(RecordQuerySchema, query);
    const scope = scopeOf(actor);
    const req = searchRequest(q, await this.viewer(scope));
    for await (const ids of this.deps.search.ids(req, batch)) {
      const checked = await this.checkedHits(scope, ids);
      if (checked.length > 0) yield checked;
    }
  }

  /** Every published, public record the public search matches, newest first, in batches: the public export. */
  async *publicIds(
    query: Partial<z.input<typeof PublicRecordQuerySchema>> = {},
    batch = 1000,
  ): AsyncGenerator<string[]> {
    const q = parseOr422(PublicRecordQuerySchema, query);
    const scope: Scope = { kind: 'public' };
    for await (const ids of this.deps.search.ids(searchRequest(q, { kind: 'public' }), batch)) {
      const checked = await this.checkedHits(scope, ids);
      if (checked.length > 0) yield checked;
    }
  }

  // The index: every write that changes what it holds re-indexes the record in its own transaction.

  /** Re-indexes the given records as they now are in the transaction (removes those that no longer exist). */
  async indexRecords(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const sources = await this.repo.searchSources(ids, tx);
    await this.deps.search.upsertRecords(tx, sources.map(searchDoc));
    const found = new Set(sources.map((s) => s.row.id));
    for (const id of ids) if (!found.has(id)) await this.deps.search.removeRecord(tx, id);
  }

  /** Records about to be created, given whole by the bulk writer: their documents made ready (`insertIndex`). */
  prepareIndex(created: SearchSourceRow[]): PreparedDocs {
    return this.deps.search.prepare(created.map(searchDoc));
  }

  /** Indexes them, in the transaction that creates them: none of them is in the index yet. */
  insertIndex(tx: Tx, docs: PreparedDocs): Promise<void> {
    return this.deps.search.insertPrepared(tx, docs);
  }

  /** A place's names changed: its records carry them in the index. */
  async reindexPlace(tx: Tx, placeId: string): Promise<void> {
    await this.indexRecords(tx, await this.repo.idsAtPlace(placeId, tx));
  }

  /** Indexes every record (after the index was cleared): `corridor search rebuild`. */
  async indexAll(tx: Tx, batch = 1000): Promise<number> {
    let after: string | null = null;
    let n = 0;
    for (;;) {
      const ids = await this.repo.idsAfter(after, batch, tx);
      if (ids.length === 0) return n;
      await this.indexRecords(tx, ids);
      n += ids.length;
      after = ids[ids.length - 1]!;
    }
  }

  private async viewer(scope: Scope): Promise<Viewer> {
    return viewerOf(scope, scope.kind === 'staff' ? await this.deps.groupsOf(scope.userId) : []);
  }

  /** The hits the repository's rule also lets the caller see, in the index's order. */
  private async checkedHits(scope: Scope, ids: string[]): Promise<string[]> {
    const visible = await this.repo.visibleIds(scope, ids);
    return ids.filter((id) => visible.has(id));
  }

  private async facets<N extends FacetName>(
    req: SearchRequest,
    total: SearchTotal,
    names: readonly N[],
    wanted: boolean,
  ): Promise<{ facets: Record<N, FacetValue[]>; facetsApprox: boolean }> {
    const empty = Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<N, FacetValue[]>;
    if (!wanted) return { facets: empty, facetsApprox: false };
    const f = await this.deps.search.facets(req, total);
    const values = (n: FacetName) => (names.includes(n as N) ? f.counts[n].map((c) => c.value) : []);
    const labels = await this.repo.facetLabels([...values('right'), ...values('category')], values('place'));
    return { facets: labelled(f.counts, names, labels), facetsApprox: f.approx };
  }

  /** A record as staff see it; the public reads through `publicGet`, which shows less. */
  async get(actor: Actor, id: string): Promise<RecordView> {
    const scope = staffScopeOf(actor);
    const row = await this.repo.findVisible(scope, id);
    if (!row) throw notFound();
    return this.view(this.deps.db, scope, row);
  }

  /** The records among the ids that the caller may see, in their order (the others left out): for exports. */
  async getMany(actor: Actor, ids: string[]): Promise<RecordView[]> {
    const scope = staffScopeOf(actor);
    const found = new Map((await this.repo.visibleRows(scope, ids)).map((r) => [r.id, r]));
    return this.views(
      this.deps.db,
      scope,
      [...new Set(ids)].flatMap((id) => found.get(id) ?? []),
    );
  }

  async create(input: CreateRecordInput, actor: Actor): Promise<RecordView> {
    const data = parseOr422(CreateRecordSchema, input);
    const scope = scopeOf(actor);
    const content: Content = {
      ...pickContent(data),
      placeIds: dedupe(data.placeIds),
      rightIds: dedupe(data.rightIds),
      tags: dedupe(data.tags).sort(),
      links: dedupeLinks(data.links),
    };
    // Checked as given, so that error paths point at the caller's own indexes.
    await this.checkRefs(data, []);
    return this.deps.uow.run(async (tx) => {
      await this.checkLinks(tx, scope, content.links, null);
      const at = nowIso();
      const year = new Date(at).getUTCFullYear();
      const n = await this.repo.nextNumber(tx, year);
      const row: RecordRow = {
        id: newId(),
        code: `V-${year}-${String(n).padStart(4, '0')}`,
        status: 'draft',
        verification: data.verification,
        confidentiality: data.confidentiality,
        ...contentColumns(content, at),
        author_id: actor.userId,
        version: 1,
        created_at: at,
        updated_at: at,
        published_at: null,
      };
      await this.repo.insert(tx, row);
      await this.writeContent(tx, row.id, content, null, []);
      await this.repo.addVerification(tx, {
        id: newId(),
        recordId: row.id,
        status: data.verification,
        note: data.verificationNote ?? null,
        actorId: actor.userId,
        at,
      });
      await this.recordChange(tx, actor.userId, 'create', row, null, content, null);
      return this.view(tx, scope, row);
    });
  }

  /** Changes what is given, against the version the caller read (body `version`, or `If-Match`). */
  async update(id: string, input: UpdateRecordInput, actor: Actor, ifMatch?: string): Promise<RecordView> {
    const data = parseOr422(UpdateRecordSchema, input);
    const fromHeader = versionOf(ifMatch);
    const expected = data.version ?? fromHeader;
    if (expected === undefined || !Number.isInteger(expected))
      throw problems.validation([{ path: 'version', message: 'send the version you read (or If-Match)' }]);
    const scope = scopeOf(actor);
    const current = await this.repo.findVisible(scope, id);
    if (!current) throw notFound();
    const currentRights = await this.repo.rightIds(id);
    await this.checkRefs({ placeIds: data.placeIds ?? [], rightIds: data.rightIds ?? [] }, currentRights);
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.lockVisible(tx, scope, id);
      if (!before) throw notFound();
      if (before.version !== expected)
        throw new Problem(409, 'stale', `The record changed since version ${expected}; it is at ${before.version}.`);
      const status = before.status as RecordStatus;
      if (!EDITABLE.includes(status)) {
        const frozen = Object.keys(input as object).filter((k) => !FROZEN_EDITABLE.has(k));
        if (frozen.length > 0)
          throw new Problem(
            409,
            'not-editable',
            `A ${status} record's content is frozen (${frozen.join(', ')}): move it back to draft first.`,
          );
        if (
          data.confidentiality !== undefined &&
          LEVEL[data.confidentiality] < LEVEL[before.confidentiality as Confidentiality]
        )
          throw new Problem(409, 'not-editable', `A ${status} record's confidentiality can only be tightened.`);
      }
      // Lifting a restriction widens who sees the record: only its author or an admin may, as with the access list.
      if (
        before.confidentiality === 'restricted' &&
        data.confidentiality !== undefined &&
        data.confidentiality !== 'restricted' &&
        before.author_id !== actor.userId &&
        actor.role !== 'admin'
      )
        throw problems.forbidden('Only the record’s author or an admin can lift its restriction.');
      const beforeContent = await this.content(tx, before);
      const given: Partial<Content> = {};
      for (const k of CONTENT_FIELDS) if (data[k] !== undefined) Object.assign(given, { [k]: data[k] });
      if (given.placeIds) given.placeIds = dedupe(given.placeIds);
      if (given.rightIds) given.rightIds = dedupe(given.rightIds);
      if (given.tags) given.tags = dedupe(given.tags).sort();
      if (given.links) given.links = dedupeLinks(given.links);
      const after: Content = { ...beforeContent, ...given };
      fail(dateIssues(after));
      const hidden = given.links ? await this.hiddenLinks(tx, scope, beforeContent.links) : [];
      if (given.links) {
        await this.checkLinks(tx, scope, given.links, id);
        after.links = [...given.links, ...hidden];
      }
      const verification = data.verification ?? before.verification;
      const verificationChanged = verification !== before.verification || (data.verificationNote ?? null) !== null;
      const row: RecordRow = {
        ...before,
        ...contentColumns(after, before.ongoing_at ?? nowIso()),
        verification,
        confidentiality: data.confidentiality ?? before.confidentiality,
      };
      if (
        !verificationChanged &&
        JSON.stringify(row) === JSON.stringify(before) &&
        diff(beforeContent, after).length === 0
      )
        return this.view(tx, scope, before);
      const at = nowIso();
      row.version = before.version + 1;
      row.updated_at = at;
      await this.repo.update(tx, row);
      await this.writeContent(tx, id, after, given, hidden);
      if (verificationChanged)
        await this.repo.addVerification(tx, {
          id: newId(),
          recordId: id,
          status: verification,
          note: data.verificationNote ?? null,
          actorId: actor.userId,
          at,
        });
      await this.recordChange(tx, actor.userId, 'update', row, before, after, beforeContent);
      return this.view(tx, scope, row);
    });
  }

  async transition(id: string, input: TransitionInput, actor: Actor): Promise<RecordView> {
    const t = parseOr422(TransitionSchema, input);
    const scope = scopeOf(actor);
    if (t.to === 'published' && this.deps.publishGuard) {
      // Before the transaction, which re-checks everything: the guard's decryptions stay audited even when the
      // publication is refused. The cheap refusals come first, so that they never cost a decryption.
      const view = await this.get(actor, id);
      if (TRANSITIONS[view.status]?.published && allows(actor, 'records:review') && view.authorId !== actor.userId)
        await this.deps.publishGuard(view, actor, t.piiOverride);
    }
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.lockVisible(tx, scope, id);
      if (!before) throw notFound();
      const from = before.status as RecordStatus;
      const needs = TRANSITIONS[from]?.[t.to];
      if (!needs) throw new Problem(409, 'invalid-transition', `A ${from} record cannot move to ${t.to}.`);
      if (!allows(actor, needs)) throw problems.forbidden(`Moving a record to ${t.to} needs a reviewer.`);
      if (t.to === 'published' && before.author_id === actor.userId)
        throw new Problem(403, 'four-eyes', 'Four eyes: a reviewer other than the author must publish this record.');
      if (t.to === 'unpublished' && !t.reason)
        throw problems.validation([{ path: 'reason', message: 'say why the record is unpublished' }]);
      const at = nowIso();
      const row: RecordRow = {
        ...before,
        status: t.to,
        version: before.version + 1,
        updated_at: at,
        published_at: t.to === 'published' ? at : t.to === 'unpublished' ? null : before.published_at,
      };
      await this.repo.update(tx, row);
      const content = await this.content(tx, row);
      await this.recordChange(tx, actor.userId, `transition:${t.to}`, row, before, content, content, {
        note: t.reason ?? t.note ?? null,
      });
      return this.view(tx, scope, row);
    });
  }

  /**
   * Restores the content of a revision (texts, dates, places, rights, who, tags, links) as a new revision. The
   * workflow state, verification status and confidentiality stay as they are now: restoring old text must not
   * re-publish or widen access. Links to records the caller cannot see are kept as they are now.
   */
  async restore(id: string, rev: number, actor: Actor): Promise<RecordView> {
    const scope = scopeOf(actor);
    const current = await this.repo.findVisible(scope, id);
    if (!current) throw notFound();
    const revision = await this.repo.revision(id, rev);
    if (!revision) throw problems.notFound('No such revision.');
    const snap = await this.revisionSnapshot(current, revision);
    const content = pickContent(snap);
    await this.checkRefs(content, await this.repo.rightIds(id));
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.lockVisible(tx, scope, id);
      if (!before) throw notFound();
      if (!EDITABLE.includes(before.status as RecordStatus))
        throw new Problem(409, 'not-editable', `A ${before.status} record is frozen: move it back to draft first.`);
      const beforeContent = await this.content(tx, before);
      const visible = await this.repo.visibleIds(
        scope,
        content.links.map((l) => l.recordId),
        tx,
      );
      const hidden = await this.hiddenLinks(tx, scope, beforeContent.links);
      const restored = content.links.filter((l) => visible.has(l.recordId) && l.recordId !== id);
      const after: Content = { ...content, links: [...restored, ...hidden] };
      const at = nowIso();
      const row: RecordRow = {
        ...before,
        ...contentColumns(after, before.ongoing_at ?? at),
        version: before.version + 1,
        updated_at: at,
      };
      await this.repo.update(tx, row);
      await this.writeContent(tx, id, after, null, hidden, restored);
      await this.recordChange(tx, actor.userId, 'restore', row, before, after, beforeContent, {
        note: `restored revision ${rev}`,
      });
      return this.view(tx, scope, row);
    });
  }

  /** Names who may see the record when restricted. Only its author or an admin, and only if they can see it. */
  async setAccess(id: string, input: AccessInput, actor: Actor): Promise<{ userIds: string[]; groupIds: string[] }> {
    const data = parseOr422(AccessSchema, input);
    const scope = scopeOf(actor);
    const current = await this.repo.findVisible(scope, id);
    if (!current) throw notFound();
    if (current.author_id !== actor.userId && actor.role !== 'admin')
      throw problems.forbidden('Only the record’s author or an admin can name who may see it.');
    const userIds = dedupe(data.userIds).sort();
    const groupIds = dedupe(data.groupIds).sort();
    const knownUsers = await this.deps.knownUsers(userIds);
    const knownGroups = await this.deps.knownGroups(groupIds);
    fail([
      ...data.userIds.flatMap((u, i) => (knownUsers.has(u) ? [] : [{ path: `userIds.${i}`, message: 'no such user' }])),
      ...data.groupIds.flatMap((g, i) =>
        knownGroups.has(g) ? [] : [{ path: `groupIds.${i}`, message: 'no such group' }],
      ),
    ]);
    return this.deps.uow.run(async (tx) => {
      const before = await this.repo.lockVisible(tx, scope, id);
      if (!before) throw notFound();
      const access = await this.repo.accessOf([id], tx);
      const previous = { userIds: access.users.get(id) ?? [], groupIds: access.groups.get(id) ?? [] };
      await this.repo.replaceAccess(tx, id, userIds);
      await this.repo.replaceGroupAccess(tx, id, groupIds);
      await this.indexRecords(tx, [id]);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'records.access',
        entityType: 'record',
        entityId: id,
        change: { before: previous, after: { userIds, groupIds } },
      });
      return { userIds, groupIds };
    });
  }

  /**
   * Deletes a record that was never published: a mistaken or duplicate entry. Once published, a record is part of
   * the public account and can only be unpublished (with a reason) or retracted. The author may delete their own;
   * a reviewer or admin any they can see. Records cited by sources or inquiries are refused: unlink them first.
   * The audit chain keeps the code and the last snapshot's hash.
   */
  async delete(id: string, actor: Actor, ifMatch?: string): Promise<void> {
    const scope = scopeOf(actor);
    const expected = versionOf(ifMatch);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.lockVisible(tx, scope, id);
      if (!before) throw notFound();
      if (before.author_id !== actor.userId && !allows(actor, 'records:review'))
        throw problems.forbidden('Only the record’s author, a reviewer or an admin can delete it.');
      if (expected !== undefined && before.version !== expected)
        throw new Problem(409, 'stale', `The record changed since version ${expected}; it is at ${before.version}.`);
      if (before.published_at !== null || (await this.repo.everPublished(id, tx)))
        throw new Problem(
          409,
          'published',
          'This record has been published: unpublish it with a reason, or mark it retracted, instead of deleting it.',
        );
      const cited = await this.repo.citedBy(id, tx);
      if (cited.sources > 0 || cited.inquiries > 0)
        throw problems.conflict('Sources or inquiries cite this record: unlink them first.');
      const content = await this.content(tx, before);
      await this.repo.delete(tx, id);
      await this.deps.search.removeRecord(tx, id);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'records.delete',
        entityType: 'record',
        entityId: id,
        change: { before: { code: before.code, status: before.status, version: before.version, content } },
      });
    });
  }

  async revisions(actor: Actor | null, id: string): Promise<RevisionSummary[]> {
    if (!(await this.repo.findVisible(scopeOf(actor), id))) throw notFound();
    return (await this.repo.revisions(id)).map((r) => ({
      rev: r.rev,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      note: r.note,
    }));
  }

  async revision(actor: Actor | null, id: string, rev: number) {
    const scope = scopeOf(actor);
    const row = await this.repo.findVisible(scope, id);
    if (!row) throw notFound();
    const r = await this.repo.revision(id, rev);
    if (!r) throw problems.notFound('No such revision.');
    return {
      rev: r.rev,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      note: r.note,
      snapshot: await this.redact(scope, await this.revisionSnapshot(row, r)),
    };
  }

  /**
   * A revision's snapshot; for one written `AS_NOW`, the record as it is, read and then checked to be still so: the
   * change that would fill it in writes the state before it in the same transaction.
   */
  private async revisionSnapshot(row: RecordRow, r: RevisionRow): Promise<Snapshot> {
    if (r.snapshot !== AS_NOW) return JSON.parse(r.snapshot) as Snapshot;
    const now = snapshotOf(row, await this.content(this.deps.db, row));
    const again = await this.repo.revision(row.id, r.rev);
    if (!again) throw problems.notFound('No such revision.');
    return again.snapshot === AS_NOW ? now : (JSON.parse(again.snapshot) as Snapshot);
  }

  async diff(actor: Actor | null, id: string, from: number, to: number) {
    const a = await this.revision(actor, id, from);
    const b = await this.revision(actor, id, to);
    return { from, to, changes: diff(a.snapshot, b.snapshot) };
  }

  /** Published, public records through the same search; no confidentiality or workflow facets. */
  async publicList(query: Partial<z.input<typeof PublicRecordQuerySchema>> = {}): Promise<PublicRecordList> {
    const q = parseOr422(PublicRecordQuerySchema, query);
    const scope: Scope = { kind: 'public' };
    const req = searchRequest(q, { kind: 'public' });
    const page = await this.deps.search.search(req, {
      sort: q.sort ?? (req.query?.all.length ? 'relevance' : 'date'),
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    const ids = await this.checkedHits(
      scope,
      page.hits.map((h) => h.id),
    );
    const texts = await this.repo.texts(ids);
    const items: PublicRecordList['items'] = (await this.publicGetMany(ids)).map((r) => ({
      ...r,
      ...hitSnippet(req, texts.get(r.id) ?? []),
    }));
    const facets = await this.facets(req, page.total, PUBLIC_RECORD_FACETS, true);
    return { items, total: page.total, ...facets, sort: page.sort, nextCursor: page.nextCursor };
  }

  /**
   * Published public records per month of their start (the year alone when that is all that is known; undated last),
   * each period with its count and its first records. The repository applies the public rule itself, so nothing
   * else is ever counted. `years` counts under the other filters, so that a year filter can offer every year.
   */
  async publicTimeline(query: Partial<z.input<typeof PublicTimelineQuerySchema>> = {}): Promise<PublicTimeline> {
    const q = parseOr422(PublicTimelineQuerySchema, query);
    const filter = {
      ...(q.right ? { right: q.right } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.place ? { place: q.place } : {}),
    };
    const counts = await this.repo.timelineCounts(filter);
    const years = new Map<string, number>();
    for (const c of counts) if (c.period) years.set(c.period.slice(0, 4), (years.get(c.period.slice(0, 4)) ?? 0) + c.n);
    const periods = counts
      .filter((c) => q.year === undefined || c.period?.startsWith(q.year))
      // Oldest first; a year alone ('2023') sorts before its months ('2023-01'); undated at the end.
      .sort((a, b) =>
        a.period === b.period ? 0 : a.period === null ? 1 : b.period === null ? -1 : a.period < b.period ? -1 : 1,
      );
    const rows = await this.repo.timelineRows({ ...filter, ...(q.year ? { year: q.year } : {}) }, q.perPeriod);
    const texts = await this.repo.texts(rows.map((r) => r.id));
    const byPeriod = new Map<string | null, PublicTimeline['groups'][number]['items']>();
    rows.sort((a, b) => (a.start_date ?? '').localeCompare(b.start_date ?? '') || a.code.localeCompare(b.code));
    for (const r of rows) {
      const period = r.start_date?.slice(0, 7) ?? null;
      const t = texts.get(r.id) ?? [];
      const original = LANGS.find((l) => t.some((x) => x.lang === l && x.translation_status === 'original'));
      byPeriod.set(period, [
        ...(byPeriod.get(period) ?? []),
        {
          id: r.id,
          code: r.code,
          titles: Object.fromEntries(t.map((x) => [x.lang, x.title])),
          originalLang: original ?? LANGS.find((l) => t.some((x) => x.lang === l)) ?? null,
          verification: r.verification as PublicTimeline['groups'][number]['items'][number]['verification'],
          startDate: r.start_date,
          startPrecision: r.start_precision as Precision | null,
          endDate: r.end_date,
          ongoing: r.ongoing_at !== null,
        },
      ]);
    }
    return {
      total: periods.reduce((n, p) => n + p.n, 0),
      groups: periods.map((p) => ({ period: p.period, count: p.n, items: byPeriod.get(p.period) ?? [] })),
      years: [...years].sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, count]) => ({ value, count })),
    };
  }

  async publicGet(id: string): Promise<PublicRecord> {
    const [record] = await this.publicGetMany([id]);
    if (!record) throw notFound();
    return record;
  }

  /**
   * The published, public records among the ids, in their order (the others left out), read under the public rule
   * with one query per table for them all: the portal's pages and the public export read many at once.
   */
  async publicGetMany(ids: string[]): Promise<PublicRecord[]> {
    const ex = this.deps.db;
    const found = new Map((await this.repo.visibleRows({ kind: 'public' }, ids, ex)).map((r) => [r.id, r]));
    const rows = [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
    const contents = await this.contents(ex, rows);
    const links = await this.visibleLinks(ex, { kind: 'public' }, contents);
    const places = new Map<string, PublicRecord['places'][number]>();
    for (const placeId of new Set(contents.flatMap((c) => c.content.placeIds)))
      try {
        const p = await this.deps.places.get(placeId);
        places.set(placeId, { id: p.id, name: p.name });
      } catch (err) {
        if (!(err instanceof Problem && err.status === 404)) throw err;
      }
    return rows.map((row, i) => {
      const c = contents[i]!.content;
      return {
        id: row.id,
        code: row.code,
        verification: row.verification as PublicRecord['verification'],
        texts: c.texts,
        violationType: c.violationType,
        startDate: c.startDate,
        startPrecision: c.startPrecision,
        endDate: c.endDate,
        endPrecision: c.endPrecision,
        ongoing: c.ongoing,
        affected: c.affected,
        responsible: c.responsible,
        places: c.placeIds.flatMap((id) => places.get(id) ?? []),
        rightIds: c.rightIds,
        tags: c.tags,
        links: links[i]!,
        publishedAt: row.published_at,
      };
    });
  }

  // Internals.

  private async content(ex: Executor, row: RecordRow): Promise<Content> {
    return (await this.contents(ex, [row]))[0]!.content;
  }

  /** Each row's content, and its links with their codes: one query per table for all the rows. */
  private async contents(
    ex: Executor,
    rows: RecordRow[],
  ): Promise<{ content: Content; links: { kind: string; recordId: string; code: string }[] }[]> {
    const ids = rows.map((r) => r.id);
    const [texts, places, rights, tags, links] = await Promise.all([
      this.repo.texts(ids, ex),
      this.repo.placeIdsOf(ids, ex),
      this.repo.rightIdsOf(ids, ex),
      this.repo.tagsOf(ids, ex),
      this.repo.linksOf(ids, ex),
    ]);
    return rows.map((row) => ({
      content: contentOf(row, {
        texts: texts.get(row.id) ?? [],
        placeIds: places.get(row.id) ?? [],
        rightIds: rights.get(row.id) ?? [],
        tags: tags.get(row.id) ?? [],
        links: (links.get(row.id) ?? []).map((l) => ({
          kind: l.kind as Content['links'][number]['kind'],
          recordId: l.recordId,
        })),
      }),
      links: links.get(row.id) ?? [],
    }));
  }

  private async view(ex: Executor, scope: Scope, row: RecordRow): Promise<RecordView> {
    return (await this.views(ex, scope, [row]))[0]!;
  }

  /** The rows as the scope sees them, in their order: one query per table for them all. */
  private async views(ex: Executor, scope: Scope, rows: RecordRow[]): Promise<RecordView[]> {
    const ids = rows.map((r) => r.id);
    const [contents, verifications, access] = await Promise.all([
      this.contents(ex, rows),
      this.repo.verificationsOf(ids, ex),
      this.repo.accessOf(ids, ex),
    ]);
    const links = await this.visibleLinks(ex, scope, contents);
    return rows.map((row, i) => {
      const { content } = contents[i]!;
      return {
        id: row.id,
        code: row.code,
        status: row.status as RecordStatus,
        verification: row.verification as RecordView['verification'],
        confidentiality: row.confidentiality as Confidentiality,
        ...content,
        links: links[i]!,
        verificationHistory: (verifications.get(row.id) ?? []).map((v) => ({
          status: v.status as RecordView['verification'],
          note: v.note,
          actorId: v.actor_id,
          at: v.at,
        })),
        accessUserIds: access.users.get(row.id) ?? [],
        accessGroupIds: access.groups.get(row.id) ?? [],
        authorId: row.author_id,
        version: row.version,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        publishedAt: row.published_at,
      };
    });
  }

  /** Each record's links that the scope may see, with their targets' codes (one query for them all). */
  private async visibleLinks(
    ex: Executor,
    scope: Scope,
    contents: { links: { kind: string; recordId: string; code: string }[] }[],
  ): Promise<RecordView['links'][]> {
    const visible = await this.repo.visibleIds(
      scope,
      contents.flatMap((c) => c.links.map((l) => l.recordId)),
      ex,
    );
    return contents.map((c) =>
      c.links
        .filter((l) => visible.has(l.recordId))
        .map((l) => ({ kind: l.kind as RecordView['links'][number]['kind'], recordId: l.recordId, code: l.code })),
    );
  }

  /** A snapshot as the caller may see it: links to records hidden from them are left out. */
  private async redact(scope: Scope, snap: Snapshot): Promise<Snapshot> {
    const visible = await this.repo.visibleIds(
      scope,
      snap.links.map((l) => l.recordId),
    );
    return { ...snap, links: snap.links.filter((l) => visible.has(l.recordId)) };
  }

  /** The record's current links to records the caller cannot see: an edit by that caller leaves them untouched. */
  private async hiddenLinks(ex: Executor, scope: Scope, links: Content['links']): Promise<Content['links']> {
    const visible = await this.repo.visibleIds(
      scope,
      links.map((l) => l.recordId),
      ex,
    );
    return links.filter((l) => !visible.has(l.recordId));
  }

  /**
   * Places and rights must exist; a retired right may stay on a record that already cites it but not be added.
   * Runs before the transaction opens: the other modules' services read on their own connection, which on SQLite
   * (one connection) would wait forever for ours.
   */
  private async checkRefs(c: Pick<Content, 'placeIds' | 'rightIds'>, currentRights: string[]): Promise<void> {
    const issues: Issue[] = [];
    for (const [i, placeId] of c.placeIds.entries()) {
      try {
        await this.deps.places.get(placeId);
      } catch (err) {
        if (!(err instanceof Problem && err.status === 404)) throw err;
        issues.push({ path: `placeIds.${i}`, message: 'no such place' });
      }
    }
    for (const [i, rightId] of c.rightIds.entries()) {
      try {
        const right = await this.deps.rights.get(rightId);
        if (right.kind !== 'right')
          issues.push({ path: `rightIds.${i}`, message: 'a category: cite one of its rights' });
        else if (right.retiredAt !== null && !currentRights.includes(rightId))
          issues.push({ path: `rightIds.${i}`, message: 'this right is retired' });
      } catch (err) {
        if (!(err instanceof Problem && err.status === 404)) throw err;
        issues.push({ path: `rightIds.${i}`, message: 'no such right' });
      }
    }
    fail(issues);
  }

  /** Link targets must exist, be visible to the caller, and not be the record itself. */
  private async checkLinks(tx: Tx, scope: Scope, links: Content['links'], selfId: string | null): Promise<void> {
    const visible = await this.repo.visibleIds(
      scope,
      links.map((l) => l.recordId),
      tx,
    );
    fail(
      links.flatMap((l, i): Issue[] =>
        l.recordId === selfId
          ? [{ path: `links.${i}.recordId`, message: 'a record cannot link to itself' }]
          : visible.has(l.recordId)
            ? []
            : [{ path: `links.${i}.recordId`, message: 'no such record' }],
      ),
    );
  }

  /** Writes the child rows of the fields given (all of them when `given` is null). */
  private async writeContent(
    tx: Tx,
    id: string,
    c: Content,
    given: Partial<Content> | null,
    hidden: Content['links'],
    links: Content['links'] = given?.links ?? c.links,
  ): Promise<void> {
    if (!given || given.texts) await this.repo.replaceTexts(tx, id, textRows(c.texts));
    if (!given || given.placeIds) await this.repo.replacePlaces(tx, id, c.placeIds);
    if (!given || given.rightIds) await this.repo.replaceRights(tx, id, c.rightIds);
    if (!given || given.tags) await this.repo.replaceTags(tx, id, c.tags);
    if (!given || given.links) await this.repo.replaceLinks(tx, id, links, hidden);
  }

  /** A revision with the full snapshot, and the audit entry, in the caller's transaction. */
  private async recordChange(
    tx: Tx,
    actorId: string | null,
    action: string,
    row: RecordRow,
    beforeRow: RecordRow | null,
    after: Content,
    before: Content | null,
    extra: { note?: string | null } = {},
  ): Promise<void> {
    const snapshot = snapshotOf(row, after);
    await this.indexRecords(tx, [row.id]);
    const rev = await this.repo.addRevision(
      tx,
      row.id,
      { at: row.updated_at, actor_id: actorId, action, note: extra.note ?? null, snapshot: JSON.stringify(snapshot) },
      beforeRow && before ? JSON.stringify(snapshotOf(beforeRow, before)) : undefined,
    );
    await this.deps.audit.record(tx, {
      actorId,
      action: `records.${action}`,
      entityType: 'record',
      entityId: row.id,
      change: {
        rev,
        before:
          beforeRow && before ? { ...before, status: beforeRow.status, verification: beforeRow.verification } : null,
        after: snapshot,
      },
    });
  }
}

function pickContent(d: Content): Content {
  return {
    texts: d.texts,
    violationType: d.violationType,
    startDate: d.startDate,
    startPrecision: d.startPrecision,
    endDate: d.endDate,
    endPrecision: d.endPrecision,
    ongoing: d.ongoing,
    affected: d.affected,
    responsible: d.responsible,
    placeIds: d.placeIds,
    rightIds: d.rightIds,
    tags: d.tags,
    links: d.links,
  };
}

/** A revision's snapshot: the content with the workflow state, verification and confidentiality of `row`. */
export function snapshotOf(row: RecordRow, content: Content): Snapshot {
  return {
    ...content,
    status: row.status as RecordStatus,
    verification: row.verification as Snapshot['verification'],
    confidentiality: row.confidentiality as Confidentiality,
  };
}

/** The record's own columns that hold content; `ongoingSince` is kept when the record was already ongoing. */
export function contentColumns(c: Content, ongoingSince: string) {
  const cols = {
    violation_type: c.violationType,
    start_date: c.startDate,
    start_precision: c.startPrecision,
    end_date: c.endDate,
    end_precision: c.endPrecision,
    ongoing_at: c.ongoing ? ongoingSince : null,
    responsible: JSON.stringify(c.responsible),
  } as Pick<RecordRow, 'violation_type' | 'start_date' | 'start_precision' | 'end_date' | 'end_precision'> &
    Partial<RecordRow>;
  for (const [k, col] of Object.entries(AFFECTED_COLUMNS)) cols[col] = c.affected[k as keyof Affected];
  return cols as Pick<
    RecordRow,
    | 'violation_type'
    | 'start_date'
    | 'start_precision'
    | 'end_date'
    | 'end_precision'
    | 'ongoing_at'
    | 'responsible'
    | (typeof AFFECTED_COLUMNS)[keyof typeof AFFECTED_COLUMNS]
  >;
}
