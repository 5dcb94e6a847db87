import type { ExpressionBuilder } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import type { Database, Db, Executor, SqlDialect, Tx } from '../db/index.js';

/**
 * Who is looking, as far as visibility goes: the public (and journalists, who are external), or a staff member.
 * See `visibleTo` for the rule.
 */
export type Scope = { kind: 'public' } | { kind: 'staff'; userId: string };

/** Rows as stored: the table's own shape, so that a new column reaches the repository without a second copy. */
export type RecordRow = Database['records'];

export interface TextRow {
  lang: string;
  title: string;
  summary: string;
  description: string | null;
  translation_status: string;
}

export interface RevisionRow {
  rev: number;
  at: string;
  actor_id: string | null;
  action: string;
  note: string | null;
  /** The record's state as JSON; or `AS_NOW` (see there). */
  snapshot: string;
}

/**
 * The snapshot of a revision that is the record as it now is: an import writes each new record's first revision so
 * (a third of what an import wrote was these copies of the record), and the next change fills it in with the state
 * before that change (`addRevision`). Only the latest revision may hold it.
 */
export const AS_NOW = '';

/** What a search document is built from (see `searchSources`). */
export interface SearchSourceRow {
  row: RecordRow;
  texts: TextRow[];
  placeIds: string[];
  /** Every name of every place, preferred and alternative. */
  placeNames: string[];
  rightIds: string[];
  categoryIds: string[];
  tags: string[];
  accessUserIds: string[];
  accessGroupIds: string[];
}

/** Ids per statement when building search documents: well under both databases' bound-parameter limits. */
const SEARCH_CHUNK = 500;

export interface ListFilter {
  status?: string;
  confidentiality?: string;
  verification?: string;
  right?: string;
  place?: string;
  tag?: string;
  from?: string;
  to?: string;
}

/** The public timeline's filters: a right, any right of a category, a place, a start year (`YYYY`). */
export interface TimelineFilter {
  right?: string;
  category?: string;
  place?: string;
  year?: string;
}

/**
 * THE visibility rule, the one place it is written. Public scope: published and public. Staff scope: public and
 * internal records in any state, and restricted ones only when the caller is their author or named in
 * record_access, or a member of a group named in record_group_access. Admins get no exception (least privilege).
 */
function visibleTo(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'records'>) => {
    if (scope.kind === 'public')
      return eb.and([eb('records.status', '=', 'published'), eb('records.confidentiality', '=', 'public')]);
    return eb.or([
      eb('records.confidentiality', 'in', ['public', 'internal']),
      eb.and([
        eb('records.confidentiality', '=', 'restricted'),
        eb.or([
          eb('records.author_id', '=', scope.userId),
          eb.exists(
            eb
              .selectFrom('record_access')
              .select('record_access.record_id')
              .whereRef('record_access.record_id', '=', 'records.id')
              .where('record_access.user_id', '=', scope.userId),
          ),
          // Membership is read here, in the rule, rather than passed in: one query, and no stale group list.
          eb.exists(
            eb
              .selectFrom('record_group_access')
              .innerJoin('group_members', 'group_members.group_id', 'record_group_access.group_id')
              .select('record_group_access.record_id')
              .whereRef('record_group_access.record_id', '=', 'records.id')
              .where('group_members.user_id', '=', scope.userId),
          ),
        ]),
      ]),
    ]);
  };
}

export class RecordsRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  /** Which of the ids exist and are visible in the scope. */
  async visibleIds(scope: Scope, ids: string[], ex: Executor = this.db): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await ex
      .selectFrom('records')
      .select('records.id')
      .where('records.id', 'in', [...new Set(ids)])
      .where(visibleTo(scope))
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  async findVisible(scope: Scope, id: string, ex: Executor = this.db): Promise<RecordRow | undefined> {
    return ex.selectFrom('records').selectAll().where('records.id', '=', id).where(visibleTo(scope)).executeTakeFirst();
  }

  /** The row, locked for the rest of the transaction where the database can lock rows. */
  async lockVisible(tx: Tx, scope: Scope, id: string): Promise<RecordRow | undefined> {
    let q = tx.selectFrom('records').selectAll().where('records.id', '=', id).where(visibleTo(scope));
    if (this.dialect.supportsForUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** The next number of the year, atomically: the upsert takes the counter row's lock until the transaction ends. */
  async nextNumber(tx: Tx, year: number): Promise<number> {
    const r = await tx
      .insertInto('record_code_counters')
      .values({ year, last: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`record_code_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.last);
  }

  async insert(tx: Tx, row: RecordRow): Promise<void> {
    await tx.insertInto('records').values(row).execute();
  }

  async update(tx: Tx, row: RecordRow): Promise<void> {
    const { id, created_at: _c, code: _code, ...rest } = row;
    await tx.updateTable('records').set(rest).where('id', '=', id).execute();
  }

  async list(scope: Scope, f: ListFilter, page: { limit: number; cursor?: string }): Promise<RecordRow[]> {
    let q = this.filtered(scope, f).selectAll('records');
    if (page.cursor !== undefined) q = q.where('records.id', '<', page.cursor);
    return q.orderBy('records.id', 'desc').limit(page.limit).execute();
  }

  async count(scope: Scope, f: ListFilter): Promise<number> {
    const r = await this.filtered(scope, f)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  private filtered(scope: Scope, f: ListFilter) {
    let q = this.db.selectFrom('records').where(visibleTo(scope));
    if (f.status !== undefined) q = q.where('records.status', '=', f.status);
    if (f.confidentiality !== undefined) q = q.where('records.confidentiality', '=', f.confidentiality);
    if (f.verification !== undefined) q = q.where('records.verification', '=', f.verification);
    const { right, place, tag, from, to } = f;
    if (right !== undefined)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_rights')
            .select('record_rights.record_id')
            .whereRef('record_rights.record_id', '=', 'records.id')
            .where('record_rights.right_id', '=', right),
        ),
      );
    if (place !== undefined)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_places')
            .select('record_places.record_id')
            .whereRef('record_places.record_id', '=', 'records.id')
            .where('record_places.place_id', '=', place),
        ),
      );
    if (tag !== undefined)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_tags')
            .select('record_tags.record_id')
            .whereRef('record_tags.record_id', '=', 'records.id')
            .where('record_tags.tag', '=', tag),
        ),
      );
    // Dates are ISO text of varying precision. A start compares as its lower bound as is ('2023' <= '2023-05-01');
    // an end compares as its upper bound once suffixed with '~', which sorts after digits and '-'.
    if (to !== undefined) q = q.where('records.start_date', '<=', to);
    if (from !== undefined)
      q = q.where((eb) =>
        eb.or([
          eb('records.ongoing_at', 'is not', null),
          eb(sql<string>`coalesce(records.end_date, records.start_date) || '~'`, '>=', from),
        ]),
      );
    return q;
  }

  // The public timeline: published public records only, whatever the caller; the rule is applied here, not passed in.

  /** How many published public records start in each period (`YYYY-MM`, `YYYY` when only the year is known). */
  async timelineCounts(f: TimelineFilter): Promise<{ period: string | null; n: number }[]> {
    const rows = await this.timelineBase(f)
      .select([sql<string | null>`substr(records.start_date, 1, 7)`.as('period'), (eb) => eb.fn.countAll().as('n')])
      .groupBy(sql`substr(records.start_date, 1, 7)`)
      .execute();
    return rows.map((r) => ({ period: r.period, n: this.dialect.toNumber(r.n) }));
  }

  /** The first `perPeriod` records of each period, by start date then code (one statement, a window function). */
  async timelineRows(f: TimelineFilter, perPeriod: number): Promise<RecordRow[]> {
    if (perPeriod <= 0) return [];
    const ranked = this.timelineBase(f).select([
      'records.id',
      sql<number>`row_number() over (partition by substr(records.start_date, 1, 7) order by records.start_date, records.code)`.as(
        'k',
      ),
    ]);
    const ids = await this.db.selectFrom(ranked.as('t')).select('t.id').where('t.k', '<=', perPeriod).execute();
    return this.rowsByIds(ids.map((r) => r.id));
  }

  private timelineBase(f: TimelineFilter) {
    // The register's own right and place filters, under the public rule.
    let q = this.filtered({ kind: 'public' }, { right: f.right, place: f.place });
    const { category, year } = f;
    if (category !== undefined)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('record_rights')
            .innerJoin('rights', 'rights.id', 'record_rights.right_id')
            .select('record_rights.record_id')
            .whereRef('record_rights.record_id', '=', 'records.id')
            .where('rights.parent_id', '=', category),
        ),
      );
    // '~' sorts after digits and '-': every date of the year, of any precision, is in [YYYY, YYYY~).
    if (year !== undefined) q = q.where('records.start_date', '>=', year).where('records.start_date', '<', `${year}~`);
    return q;
  }

  async countByRight(rightId: string, ex: Executor = this.db): Promise<number> {
    const r = await ex
      .selectFrom('record_rights')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('right_id', '=', rightId)
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  // Children of a record, each in its stored order.

  async texts(ids: string[], ex: Executor = this.db): Promise<Map<string, TextRow[]>> {
    const out = new Map<string, TextRow[]>();
    if (ids.length === 0) return out;
    const rows = await ex.selectFrom('record_texts').selectAll().where('record_id', 'in', ids).execute();
    for (const r of rows) out.set(r.record_id, [...(out.get(r.record_id) ?? []), r]);
    return out;
  }

  async rightIds(id: string, ex: Executor = this.db): Promise<string[]> {
    const rows = await ex
      .selectFrom('record_rights')
      .select('right_id')
      .where('record_id', '=', id)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.right_id);
  }

  async links(id: string, ex: Executor = this.db): Promise<{ kind: string; recordId: string; code: string }[]> {
    const rows = await ex
      .selectFrom('record_links')
      .innerJoin('records', 'records.id', 'record_links.target_id')
      .select(['record_links.kind', 'record_links.target_id', 'records.code'])
      .where('record_links.record_id', '=', id)
      .orderBy('records.code')
      .orderBy('record_links.kind')
      .execute();
    return rows.map((r) => ({ kind: r.kind, recordId: r.target_id, code: r.code }));
  }

  /** `links` for many records at once, in the same order for each. */
  async linksOf(
    ids: string[],
    ex: Executor = this.db,
  ): Promise<Map<string, { kind: string; recordId: string; code: string }[]>> {
    if (ids.length === 0) return new Map();
    const rows = await ex
      .selectFrom('record_links')
      .innerJoin('records', 'records.id', 'record_links.target_id')
      .select(['record_links.record_id', 'record_links.kind', 'record_links.target_id', 'records.code'])
      .where('record_links.record_id', 'in', ids)
      .orderBy('record_links.record_id')
      .orderBy('records.code')
      .orderBy('record_links.kind')
      .execute();
    return groupRows(rows, (r) => ({ kind: r.kind, recordId: r.target_id, code: r.code }));
  }

  /** The named users and groups of each record (restricted ones have them), sorted. */
  async accessOf(
    ids: string[],
    ex: Executor = this.db,
  ): Promise<{ users: Map<string, string[]>; groups: Map<string, string[]> }> {
    if (ids.length === 0) return { users: new Map(), groups: new Map() };
    const users = await ex
      .selectFrom('record_access')
      .select(['record_id', 'user_id as value'])
      .where('record_id', 'in', ids)
      .orderBy('record_id')
      .orderBy('user_id')
      .execute();
    const groups = await ex
      .selectFrom('record_group_access')
      .select(['record_id', 'group_id as value'])
      .where('record_id', 'in', ids)
      .orderBy('record_id')
      .orderBy('group_id')
      .execute();
    return { users: groupValues(users), groups: groupValues(groups) };
  }

  /** Each record's verification history, oldest first. */
  async verificationsOf(
    ids: string[],
    ex: Executor = this.db,
  ): Promise<Map<string, { status: string; note: string | null; actor_id: string | null; at: string }[]>> {
    if (ids.length === 0) return new Map();
    const rows = await ex
      .selectFrom('record_verifications')
      .select(['record_id', 'status', 'note', 'actor_id', 'at'])
      .where('record_id', 'in', ids)
      .orderBy('record_id')
      .orderBy('at')
      .orderBy('id')
      .execute();
    return groupRows(rows, ({ record_id: _, ...v }) => v);
  }

  async replaceTexts(tx: Tx, id: string, texts: TextRow[]): Promise<void> {
    await tx.deleteFrom('record_texts').where('record_id', '=', id).execute();
    if (texts.length > 0)
      await tx
        .insertInto('record_texts')
        .values(texts.map((t) => ({ ...t, record_id: id })))
        .execute();
  }

  async replacePlaces(tx: Tx, id: string, placeIds: string[]): Promise<void> {
    await tx.deleteFrom('record_places').where('record_id', '=', id).execute();
    if (placeIds.length > 0)
      await tx
        .insertInto('record_places')
        .values(placeIds.map((p, i) => ({ record_id: id, place_id: p, position: i })))
        .execute();
  }

  async replaceRights(tx: Tx, id: string, rightIds: string[]): Promise<void> {
    await tx.deleteFrom('record_rights').where('record_id', '=', id).execute();
    if (rightIds.length > 0)
      await tx
        .insertInto('record_rights')
        .values(rightIds.map((r, i) => ({ record_id: id, right_id: r, position: i })))
        .execute();
  }

  async replaceTags(tx: Tx, id: string, tags: string[]): Promise<void> {
    await tx.deleteFrom('record_tags').where('record_id', '=', id).execute();
    if (tags.length > 0)
      await tx
        .insertInto('record_tags')
        .values(tags.map((tag) => ({ record_id: id, tag })))
        .execute();
  }

  /** Replaces the links the record holds to the given targets; links to targets outside `keep` are left alone. */
  async replaceLinks(
    tx: Tx,
    id: string,
    links: { kind: string; recordId: string }[],
    keep: { kind: string; recordId: string }[],
  ): Promise<void> {
    await tx.deleteFrom('record_links').where('record_id', '=', id).execute();
    const all = [...links, ...keep];
    if (all.length > 0)
      await tx
        .insertInto('record_links')
        .values(all.map((l) => ({ record_id: id, target_id: l.recordId, kind: l.kind })))
        .execute();
  }

  async replaceAccess(tx: Tx, id: string, userIds: string[]): Promise<void> {
    await tx.deleteFrom('record_access').where('record_id', '=', id).execute();
    if (userIds.length > 0)
      await tx
        .insertInto('record_access')
        .values(userIds.map((u) => ({ record_id: id, user_id: u })))
        .execute();
  }

  async replaceGroupAccess(tx: Tx, id: string, groupIds: string[]): Promise<void> {
    await tx.deleteFrom('record_group_access').where('record_id', '=', id).execute();
    if (groupIds.length > 0)
      await tx
        .insertInto('record_group_access')
        .values(groupIds.map((g) => ({ record_id: id, group_id: g })))
        .execute();
  }

  /** Whether sources or inquiries cite the record: their links are evidence, not to be dropped by a cascade. */
  async citedBy(id: string, ex: Executor = this.db): Promise<{ sources: number; inquiries: number }> {
    const s = await ex
      .selectFrom('source_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    const i = await ex
      .selectFrom('inquiry_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    return { sources: this.dialect.toNumber(s.n), inquiries: this.dialect.toNumber(i.n) };
  }

  /** Whether the record was ever published: its revisions keep every transition, even after unpublishing. */
  async everPublished(id: string, ex: Executor = this.db): Promise<boolean> {
    const r = await ex
      .selectFrom('record_revisions')
      .select('rev')
      .where('record_id', '=', id)
      .where('action', '=', 'transition:published')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Deletes the record; its texts, places, rights, tags, links, verifications, access and revisions cascade. */
  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('records').where('id', '=', id).execute();
  }

  async addVerification(
    tx: Tx,
    v: { id: string; recordId: string; status: string; note: string | null; actorId: string | null; at: string },
  ): Promise<void> {
    await tx
      .insertInto('record_verifications')
      .values({ id: v.id, record_id: v.recordId, status: v.status, note: v.note, actor_id: v.actorId, at: v.at })
      .execute();
  }

  /**
   * Adds the next revision. `previous` is the record's state before this change, as a snapshot: it becomes the last
   * revision's snapshot when that one was written `AS_NOW`, and must then be given.
   */
  async addRevision(tx: Tx, recordId: string, r: Omit<RevisionRow, 'rev'>, previous?: string): Promise<number> {
    const last = await tx
      .selectFrom('record_revisions')
      .select(['rev', sql<number>`length(snapshot)`.as('n')])
      .where('record_id', '=', recordId)
      .orderBy('rev', 'desc')
      .limit(1)
      .executeTakeFirst();
    const rev = this.dialect.toNumber(last?.rev ?? 0) + 1;
    if (last && this.dialect.toNumber(last.n) === AS_NOW.length) {
      if (previous === undefined || previous === AS_NOW)
        throw new Error(
          `revision ${last.rev} of record ${recordId} stands for the record as it is: give its state first`,
        );
      await tx
        .updateTable('record_revisions')
        .set({ snapshot: previous })
        .where('record_id', '=', recordId)
        .where('rev', '=', last.rev)
        .execute();
    }
    await tx
      .insertInto('record_revisions')
      .values({ record_id: recordId, rev, ...r })
      .execute();
    return rev;
  }

  async revisions(recordId: string, ex: Executor = this.db): Promise<Omit<RevisionRow, 'snapshot'>[]> {
    return ex
      .selectFrom('record_revisions')
      .select(['rev', 'at', 'actor_id', 'action', 'note'])
      .where('record_id', '=', recordId)
      .orderBy('rev')
      .execute();
  }

  async revision(recordId: string, rev: number, ex: Executor = this.db): Promise<RevisionRow | undefined> {
    return ex
      .selectFrom('record_revisions')
      .select(['rev', 'at', 'actor_id', 'action', 'note', 'snapshot'])
      .where('record_id', '=', recordId)
      .where('rev', '=', rev)
      .executeTakeFirst();
  }

  // Search (docs/design/search.md): what the index holds of each record, read in the caller's transaction.

  /**
   * The rows a search document is built from, for many records at once. Place names and right categories are read
   * from the reference tables here rather than through their modules: inside a write transaction no other service
   * may be called (SQLite has one connection).
   */
  async searchSources(ids: string[], ex: Executor = this.db): Promise<SearchSourceRow[]> {
    const out: SearchSourceRow[] = [];
    for (let i = 0; i < ids.length; i += SEARCH_CHUNK) {
      const chunk = ids.slice(i, i + SEARCH_CHUNK);
      const rows = await ex.selectFrom('records').selectAll().where('id', 'in', chunk).execute();
      if (rows.length === 0) continue;
      const texts = await this.texts(chunk, ex);
      const places = await ex
        .selectFrom('record_places')
        .innerJoin('place_names', 'place_names.place_id', 'record_places.place_id')
        .select(['record_places.record_id', 'record_places.place_id', 'place_names.name'])
        .where('record_places.record_id', 'in', chunk)
        .orderBy('record_places.position')
        .orderBy('place_names.position')
        .execute();
      const rights = await ex
        .selectFrom('record_rights')
        .innerJoin('rights', 'rights.id', 'record_rights.right_id')
        .select(['record_rights.record_id', 'record_rights.right_id', 'rights.parent_id'])
        .where('record_rights.record_id', 'in', chunk)
        .orderBy('record_rights.position')
        .execute();
      const tags = await this.tagsOf(chunk, ex);
      const users = await ex
        .selectFrom('record_access')
        .select(['record_id', 'user_id as value'])
        .where('record_id', 'in', chunk)
        .execute();
      const groups = await ex
        .selectFrom('record_group_access')
        .select(['record_id', 'group_id as value'])
        .where('record_id', 'in', chunk)
        .execute();
      const userMap = groupValues(users);
      const groupMap = groupValues(groups);
      for (const row of rows) {
        const own = places.filter((p) => p.record_id === row.id);
        const cited = rights.filter((r) => r.record_id === row.id);
        out.push({
          row,
          texts: texts.get(row.id) ?? [],
          placeIds: [...new Set(own.map((p) => p.place_id))],
          placeNames: own.map((p) => p.name),
          rightIds: cited.map((r) => r.right_id),
          categoryIds: [...new Set(cited.flatMap((r) => (r.parent_id ? [r.parent_id] : [])))],
          tags: tags.get(row.id) ?? [],
          accessUserIds: userMap.get(row.id) ?? [],
          accessGroupIds: groupMap.get(row.id) ?? [],
        });
      }
    }
    return out;
  }

  /** Every name of each place, in order: a new record's search document, built without reading it back. */
  async placeNames(placeIds: string[], ex: Executor = this.db): Promise<Map<string, string[]>> {
    if (placeIds.length === 0) return new Map();
    const rows = await ex
      .selectFrom('place_names')
      .select(['place_id as record_id', 'name as value'])
      .where('place_id', 'in', placeIds)
      .orderBy('place_id')
      .orderBy('position')
      .execute();
    return groupValues(rows);
  }

  /** The category of each right (none for a category). */
  async rightParents(rightIds: string[], ex: Executor = this.db): Promise<Map<string, string | null>> {
    if (rightIds.length === 0) return new Map();
    const rows = await ex.selectFrom('rights').select(['id', 'parent_id']).where('id', 'in', rightIds).execute();
    return new Map(rows.map((r) => [r.id, r.parent_id]));
  }

  /** Records at a place: re-indexed when the place's names change. */
  async idsAtPlace(placeId: string, ex: Executor = this.db): Promise<string[]> {
    const rows = await ex.selectFrom('record_places').select('record_id').where('place_id', '=', placeId).execute();
    return rows.map((r) => r.record_id);
  }

  /** Every record id, in id order, a page at a time: for a rebuild of the index. */
  async idsAfter(after: string | null, limit: number, ex: Executor = this.db): Promise<string[]> {
    let q = ex.selectFrom('records').select('id').orderBy('id').limit(limit);
    if (after !== null) q = q.where('id', '>', after);
    return (await q.execute()).map((r) => r.id);
  }

  /** Rows by id, in no particular order, with no visibility filter: the caller has checked it. */
  async rowsByIds(ids: string[], ex: Executor = this.db): Promise<RecordRow[]> {
    if (ids.length === 0) return [];
    return ex.selectFrom('records').selectAll().where('id', 'in', ids).execute();
  }

  /** The rows of those ids that are visible in the scope, read under the rule in the same statement. */
  async visibleRows(scope: Scope, ids: string[], ex: Executor = this.db): Promise<RecordRow[]> {
    if (ids.length === 0) return [];
    return ex
      .selectFrom('records')
      .selectAll()
      .where('records.id', 'in', [...new Set(ids)])
      .where(visibleTo(scope))
      .execute();
  }

  /** Display names for facet values: rights and categories by English name, places by preferred name. */
  async facetLabels(rightIds: string[], placeIds: string[], ex: Executor = this.db): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (rightIds.length > 0)
      for (const r of await ex
        .selectFrom('rights')
        .select(['id', 'name_en', 'code'])
        .where('id', 'in', rightIds)
        .execute())
        out.set(r.id, r.name_en || r.code);
    if (placeIds.length > 0)
      for (const p of await ex
        .selectFrom('places')
        .select(['id', 'preferred_name'])
        .where('id', 'in', placeIds)
        .execute())
        out.set(p.id, p.preferred_name);
    return out;
  }

  // Bulk import (records/bulk.ts): set-based reads and writes for batches of thousands of rows.

  /** Records by their external id, visible or not: the bulk writer tells "taken" from "yours" itself. */
  async findByExternalIds(ids: string[], ex: Executor = this.db): Promise<RecordRow[]> {
    if (ids.length === 0) return [];
    let q = ex
      .selectFrom('records')
      .selectAll()
      .where('records.external_id', 'in', [...new Set(ids)]);
    if (this.dialect.supportsForUpdate && ex.isTransaction) q = q.forUpdate();
    return q.execute();
  }

  async externalIdsOf(ids: string[], ex: Executor = this.db): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await ex
      .selectFrom('records')
      .select(['id', 'external_id'])
      .where('id', 'in', ids)
      .where('external_id', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, r.external_id!]));
  }

  async placeIdsOf(ids: string[], ex: Executor = this.db): Promise<Map<string, string[]>> {
    const rows = ids.length
      ? await ex
          .selectFrom('record_places')
          .select(['record_id', 'place_id as value'])
          .where('record_id', 'in', ids)
          .orderBy('record_id')
          .orderBy('position')
          .execute()
      : [];
    return groupValues(rows);
  }

  async rightIdsOf(ids: string[], ex: Executor = this.db): Promise<Map<string, string[]>> {
    const rows = ids.length
      ? await ex
          .selectFrom('record_rights')
          .select(['record_id', 'right_id as value'])
          .where('record_id', 'in', ids)
          .orderBy('record_id')
          .orderBy('position')
          .execute()
      : [];
    return groupValues(rows);
  }

  async tagsOf(ids: string[], ex: Executor = this.db): Promise<Map<string, string[]>> {
    const rows = ids.length
      ? await ex
          .selectFrom('record_tags')
          .select(['record_id', 'tag as value'])
          .where('record_id', 'in', ids)
          .orderBy('record_id')
          .orderBy('tag')
          .execute()
      : [];
    return groupValues(rows);
  }

  /** Reserves `n` numbers of the year at once; returns the first. Same lock as `nextNumber`. */
  async reserveNumbers(tx: Tx, year: number, n: number): Promise<number> {
    const r = await tx
      .insertInto('record_code_counters')
      .values({ year, last: n })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`record_code_counters.last + ${n}` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.last) - n + 1;
  }

  /**
   * Rows of one shape (the first row's columns) in multi-row inserts, chunked under both databases' limits on bound
   * parameters. The statement for a number of rows is built
   * by Kysely once and kept: built for each chunk, its operation tree (a node per value) cost more CPU and garbage
   * collection than the insert itself (measured at 100,000 rows).
   */
  async insertMany<T extends BulkTable>(tx: Tx, table: T, rows: Database[T][]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!) as (keyof Database[T] & string)[];
    const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    for (let i = 0; i < rows.length; i += per) {
      const end = Math.min(rows.length, i + per);
      const parameters: unknown[] = [];
      for (let r = i; r < end; r++) {
        const row = rows[r]!;
        for (const c of columns) parameters.push(row[c] ?? null);
      }
      await tx.executeQuery(CompiledQuery.raw(this.insertSql(tx, table, columns, end - i), parameters));
    }
  }

  private readonly inserts = new Map<string, string>();

  private insertSql(tx: Tx, table: BulkTable, columns: string[], rows: number): string {
    const key = `${table}(${columns.join()})x${rows}`;
    let text = this.inserts.get(key);
    if (text === undefined) {
      const row = Object.fromEntries(columns.map((c) => [c, null]));
      const q = tx
        .insertInto(table)
        .values(Array.from({ length: rows }, () => row) as never)
        .compile();
      // Each value a parameter, row by row in column order: what the caller binds.
      if (q.parameters.length !== rows * columns.length) throw new Error(`unexpected insert shape for ${table}`);
      text = q.sql;
      if (this.inserts.size >= 64) this.inserts.clear();
      this.inserts.set(key, text);
    }
    return text;
  }
}

type BulkTable =
  | 'records'
  | 'record_texts'
  | 'record_places'
  | 'record_rights'
  | 'record_tags'
  | 'record_verifications'
  | 'record_revisions';

/**
 * Parameters per statement (SQLite allows 32,766, PostgreSQL 65,535). Kept well below: a statement's SQL and
 * parameter array over about 128 KB land in V8's large-object space, which only a full collection frees, and an
 * import's heap grew to four times what was live.
 */
const MAX_PARAMS = 4_000;

/** Rows of many records, grouped by record in the order read. */
function groupRows<T extends { record_id: string }, U>(rows: T[], pick: (row: T) => U): Map<string, U[]> {
  const out = new Map<string, U[]>();
  for (const r of rows) {
    const list = out.get(r.record_id);
    if (list) list.push(pick(r));
    else out.set(r.record_id, [pick(r)]);
  }
  return out;
}

const groupValues = (rows: { record_id: string; value: string }[]) => groupRows(rows, (r) => r.value);
