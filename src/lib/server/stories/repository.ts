import { sql } from 'kysely';
import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import type { StoryLinkKind } from './schema.js';

export interface StoryRow {
  id: string;
  code: string;
  person_id: string;
  interview_source_id: string | null;
  status: string;
  author_id: string;
  version: number;
  published_at: string | null;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoryTextRow {
  story_id: string;
  lang: string;
  title: string;
  narrative: string;
  translation: string;
}

export interface ConsentRow {
  id: string;
  story_id: string;
  scopes: string;
  given_on: string;
  expires_on: string | null;
  withdrawn_on: string | null;
  withdrawal_note: string | null;
  evidence: string;
  evidence_note: string;
  witness: string | null;
  form_sha256: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface StoryBundle {
  row: StoryRow;
  texts: StoryTextRow[];
  links: { kind: string; target_id: string }[];
  consents: ConsentRow[];
}

export class StoriesRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async nextNumber(tx: Tx, year: number): Promise<number> {
    const r = await tx
      .insertInto('story_code_counters')
      .values({ year, last: 1 })
      .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`story_code_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.last);
  }

  async findById(id: string, ex: Executor = this.db): Promise<StoryRow | undefined> {
    return ex.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async bundles(rows: StoryRow[], ex: Executor = this.db): Promise<StoryBundle[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [texts, links, consents] = await Promise.all([
      ex.selectFrom('story_texts').selectAll().where('story_id', 'in', ids).execute(),
      ex.selectFrom('story_links').selectAll().where('story_id', 'in', ids).orderBy('target_id').execute(),
      ex.selectFrom('story_consents').selectAll().where('story_id', 'in', ids).orderBy('created_at').execute(),
    ]);
    return rows.map((row) => ({
      row,
      texts: texts.filter((t) => t.story_id === row.id),
      links: links.filter((l) => l.story_id === row.id),
      consents: consents.filter((c) => c.story_id === row.id),
    }));
  }

  async list(f: { status?: string; personId?: string }, ex: Executor = this.db): Promise<StoryRow[]> {
    let q = ex.selectFrom('stories').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.personId) q = q.where('person_id', '=', f.personId);
    return q.orderBy('updated_at', 'desc').limit(500).execute();
  }

  async published(ex: Executor = this.db): Promise<StoryRow[]> {
    return ex
      .selectFrom('stories')
      .selectAll()
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .execute();
  }

  async insert(tx: Tx, row: StoryRow): Promise<void> {
    await tx.insertInto('stories').values(row).execute();
  }

  /** Optimistic: changes the row only if it is still at `version`. */
  async update(tx: Tx, id: string, version: number, patch: Partial<StoryRow>): Promise<boolean> {
    const r = await tx
      .updateTable('stories')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async replaceTexts(tx: Tx, storyId: string, texts: Omit<StoryTextRow, 'story_id'>[]): Promise<void> {
    await tx.deleteFrom('story_texts').where('story_id', '=', storyId).execute();
    if (texts.length)
      await tx
        .insertInto('story_texts')
        .values(texts.map((t) => ({ ...t, story_id: storyId })))
        .execute();
  }

  async replaceLinks(tx: Tx, storyId: string, kind: StoryLinkKind, targets: string[]): Promise<void> {
    await tx.deleteFrom('story_links').where('story_id', '=', storyId).where('kind', '=', kind).execute();
    if (targets.length)
      await tx
        .insertInto('story_links')
        .values(targets.map((t) => ({ story_id: storyId, kind, target_id: t })))
        .execute();
  }

  /** Persons of the stories that link to a record or a photo: the PII guard checks its texts against them too. */
  async personsLinkedTo(kind: 'record' | 'photo', targetId: string, ex: Executor = this.db): Promise<string[]> {
    const rows = await ex
      .selectFrom('stories')
      .innerJoin('story_links', 'story_links.story_id', 'stories.id')
      .select('stories.person_id')
      .distinct()
      .where('story_links.kind', '=', kind)
      .where('story_links.target_id', '=', targetId)
      .execute();
    return rows.map((r) => r.person_id);
  }

  async insertConsent(tx: Tx, row: ConsentRow): Promise<void> {
    await tx.insertInto('story_consents').values(row).execute();
  }

  async findConsent(storyId: string, id: string, ex: Executor = this.db): Promise<ConsentRow | undefined> {
    return ex
      .selectFrom('story_consents')
      .selectAll()
      .where('story_id', '=', storyId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async withdrawConsent(tx: Tx, id: string, on: string, note: string): Promise<void> {
    await tx
      .updateTable('story_consents')
      .set({ withdrawn_on: on, withdrawal_note: note })
      .where('id', '=', id)
      .execute();
  }
}
