import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';

export interface ReportRow {
  id: string;
  titles: string;
  selection: string;
  records_per_right: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface EditionRow {
  id: string;
  report_id: string;
  lang: string;
  as_of: string;
  status: string;
  progress: number;
  stage: string | null;
  failure: string | null;
  content_sha256: string | null;
  pdf_sha256: string | null;
  pdf_size: number | null;
  pages: number | null;
  built_by: string | null;
  created_at: string;
  updated_at: string;
  built_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

export type EditionPatch = Partial<Omit<EditionRow, 'id' | 'report_id' | 'lang' | 'as_of' | 'created_at'>>;

export class ReportsRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async listReports(ex: Executor = this.db): Promise<ReportRow[]> {
    return ex.selectFrom('reports').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  }

  async findReport(id: string, ex: Executor = this.db): Promise<ReportRow | undefined> {
    return ex.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertReport(tx: Tx, row: ReportRow): Promise<void> {
    await tx.insertInto('reports').values(row).execute();
  }

  async updateReport(tx: Tx, row: ReportRow): Promise<void> {
    const { id, created_at: _at, created_by: _by, ...rest } = row;
    await tx.updateTable('reports').set(rest).where('id', '=', id).execute();
  }

  async deleteReport(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('report_editions').where('report_id', '=', id).execute();
    await tx.deleteFrom('reports').where('id', '=', id).execute();
  }

  /** Editions of the given reports (all when not given), newest first. */
  async editions(reportIds?: string[], ex: Executor = this.db): Promise<EditionRow[]> {
    if (reportIds?.length === 0) return [];
    let q = ex.selectFrom('report_editions').selectAll();
    if (reportIds) q = q.where('report_id', 'in', reportIds);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map((r) => this.edition(r));
  }

  /** Published editions, newest publication first. */
  async published(f: { reportId?: string; lang?: string }, ex: Executor = this.db): Promise<EditionRow[]> {
    let q = ex.selectFrom('report_editions').selectAll().where('status', '=', 'published');
    if (f.reportId !== undefined) q = q.where('report_id', '=', f.reportId);
    if (f.lang !== undefined) q = q.where('lang', '=', f.lang);
    const rows = await q.orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map((r) => this.edition(r));
  }

  async findEdition(id: string, ex: Executor = this.db): Promise<EditionRow | undefined> {
    const r = await ex.selectFrom('report_editions').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.edition(r);
  }

  async insertEdition(tx: Tx, row: EditionRow): Promise<void> {
    await tx.insertInto('report_editions').values(row).execute();
  }

  async updateEdition(ex: Executor, id: string, patch: EditionPatch): Promise<void> {
    await ex.updateTable('report_editions').set(patch).where('id', '=', id).execute();
  }

  /**
   * Moves an edition from one status to another only if it still has the first (compare-and-set): two publishers,
   * or a publish racing a delete, cannot both succeed.
   */
  async moveEdition(tx: Tx, id: string, from: string, patch: EditionPatch): Promise<boolean> {
    const r = await tx
      .updateTable('report_editions')
      .set(patch)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteEdition(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('report_editions').where('id', '=', id).execute();
  }

  /** Whether a blob is still used by another edition (content or PDF), before deleting it. */
  async blobInUse(sha256: string, exceptEditionId: string, ex: Executor = this.db): Promise<boolean> {
    const r = await ex
      .selectFrom('report_editions')
      .select('id')
      .where('id', '!=', exceptEditionId)
      .where((eb) => eb.or([eb('content_sha256', '=', sha256), eb('pdf_sha256', '=', sha256)]))
      .executeTakeFirst();
    return r !== undefined;
  }

  private edition(r: Omit<EditionRow, 'pdf_size'> & { pdf_size: number | string | null }): EditionRow {
    return { ...r, pdf_size: r.pdf_size === null ? null : this.dialect.toNumber(r.pdf_size) };
  }
}
