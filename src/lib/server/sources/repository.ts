import type { Database, Db, Executor, SqlDialect, Tx } from '../db/index.js';
import { escapeLike } from '../db/index.js';

export type SourceRow = Database['sources'];

export interface SourceLinkRow {
  recordId: string;
  relation: string;
  quote: string;
  createdAt: string;
}

// pg returns bigint columns as numbers here (the pool's int8 parser), SQLite as numbers: normalise anyway.
const normalise = (r: SourceRow): SourceRow => ({
  ...r,
  archive_size: r.archive_size === null ? null : Number(r.archive_size),
  credibility: r.credibility === null ? null : Number(r.credibility),
});

export class SourcesRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async findById(id: string, ex: Executor = this.db): Promise<SourceRow | undefined> {
    const r = await ex.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
    return r && normalise(r);
  }

  async inquiryExists(id: string, ex: Executor = this.db): Promise<boolean> {
    return (await ex.selectFrom('inquiries').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Newest first (by date, then by creation). */
  async list(
    f: {
      type?: string;
      graded?: boolean;
      language?: string;
      q?: string | undefined;
      /** Only these (the search index's matches). */
      ids?: string[] | undefined;
      limit: number;
      offset: number;
    },
    ex: Executor = this.db,
  ): Promise<SourceRow[]> {
    if (f.ids?.length === 0) return [];
    let q = ex.selectFrom('sources').selectAll();
    if (f.ids !== undefined) q = q.where('id', 'in', f.ids);
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.graded === true) q = q.where('graded_at', 'is not', null);
    if (f.graded === false) q = q.where('graded_at', 'is', null);
    if (f.language !== undefined) q = q.where(this.dialect.ilike('language', escapeLike(f.language)));
    if (f.q !== undefined) q = q.where(this.dialect.ilike('title', `%${escapeLike(f.q)}%`));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
    return rows.map(normalise);
  }

  /** What the search index holds of every source. */
  async titles(ex: Executor = this.db): Promise<{ id: string; title: string; publisher: string | null }[]> {
    return ex.selectFrom('sources').select(['id', 'title', 'publisher']).orderBy('id').execute();
  }

  async insert(tx: Tx, row: SourceRow): Promise<void> {
    await tx.insertInto('sources').values(row).execute();
  }

  async update(tx: Tx, row: SourceRow): Promise<void> {
    const { id, created_at: _created, created_by: _by, ...rest } = row;
    await tx.updateTable('sources').set(rest).where('id', '=', id).execute();
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('sources').where('id', '=', id).execute();
  }

  /** Every link, unfiltered: callers filter the record ids by visibility before they leave the service. */
  async links(sourceId: string, ex: Executor = this.db): Promise<SourceLinkRow[]> {
    const rows = await ex
      .selectFrom('source_records')
      .select(['record_id', 'relation', 'quote', 'created_at'])
      .where('source_id', '=', sourceId)
      .orderBy('created_at')
      .orderBy('record_id')
      .orderBy('relation')
      .execute();
    return rows.map((r) => ({ recordId: r.record_id, relation: r.relation, quote: r.quote, createdAt: r.created_at }));
  }

  /** The sources linked to one record, with each link: oldest link first. */
  async sourcesOfRecord(recordId: string, ex: Executor = this.db): Promise<(SourceRow & SourceLinkRow)[]> {
    const rows = await ex
      .selectFrom('source_records')
      .innerJoin('sources', 'sources.id', 'source_records.source_id')
      .selectAll('sources')
      .select([
        'source_records.record_id',
        'source_records.relation',
        'source_records.quote',
        'source_records.created_at as linked_at',
      ])
      .where('source_records.record_id', '=', recordId)
      .orderBy('source_records.created_at')
      .orderBy('sources.id')
      .orderBy('source_records.relation')
      .execute();
    return rows.map(({ record_id, relation, quote, linked_at, ...source }) => ({
      ...normalise(source),
      recordId: record_id,
      relation,
      quote,
      createdAt: linked_at,
    }));
  }

  async hasAnyLink(sourceId: string, ex: Executor = this.db): Promise<boolean> {
    const r = await ex
      .selectFrom('source_records')
      .select('record_id')
      .where('source_id', '=', sourceId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async linkExists(tx: Tx, sourceId: string, recordId: string, relation: string): Promise<boolean> {
    const r = await tx
      .selectFrom('source_records')
      .select('record_id')
      .where('source_id', '=', sourceId)
      .where('record_id', '=', recordId)
      .where('relation', '=', relation)
      .executeTakeFirst();
    return r !== undefined;
  }

  async insertLink(
    tx: Tx,
    l: {
      sourceId: string;
      recordId: string;
      relation: string;
      quote: string;
      createdBy: string | null;
      createdAt: string;
    },
  ): Promise<void> {
    await tx
      .insertInto('source_records')
      .values({
        source_id: l.sourceId,
        record_id: l.recordId,
        relation: l.relation,
        quote: l.quote,
        created_by: l.createdBy,
        created_at: l.createdAt,
      })
      .execute();
  }

  async deleteLinks(tx: Tx, sourceId: string, recordId: string, relation?: string): Promise<SourceLinkRow[]> {
    let q = tx.selectFrom('source_records').select(['record_id', 'relation', 'quote', 'created_at']);
    q = q.where('source_id', '=', sourceId).where('record_id', '=', recordId);
    if (relation !== undefined) q = q.where('relation', '=', relation);
    const gone = await q.execute();
    let d = tx.deleteFrom('source_records').where('source_id', '=', sourceId).where('record_id', '=', recordId);
    if (relation !== undefined) d = d.where('relation', '=', relation);
    await d.execute();
    return gone.map((r) => ({ recordId: r.record_id, relation: r.relation, quote: r.quote, createdAt: r.created_at }));
  }
}
