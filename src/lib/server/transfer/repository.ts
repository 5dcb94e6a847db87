import type { Database, Db, Executor, SqlDialect, Tx } from '../db/index.js';

export type ImportJobRow = Database['import_jobs'];

export type JobProgress = Pick<
  ImportJobRow,
  'rows_done' | 'rows_created' | 'rows_updated' | 'rows_unchanged' | 'rows_skipped' | 'errors' | 'error_count'
>;

/** Import jobs: one row per uploaded file, updated as it is checked and imported. */
export class TransferRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async insert(tx: Tx, row: ImportJobRow): Promise<void> {
    await tx.insertInto('import_jobs').values(row).execute();
  }

  async find(id: string, ex: Executor = this.db): Promise<ImportJobRow | undefined> {
    const row = await ex.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { ...row, file_size: this.dialect.toNumber(row.file_size) };
  }

  async update(ex: Executor, id: string, set: Partial<Omit<ImportJobRow, 'id'>>): Promise<void> {
    await ex.updateTable('import_jobs').set(set).where('id', '=', id).execute();
  }

  /** Moves a job from one status to another; false when it was not in `from` (someone else moved it first). */
  async move(tx: Tx, id: string, from: string, set: Partial<Omit<ImportJobRow, 'id'>>): Promise<boolean> {
    const r = await tx
      .updateTable('import_jobs')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Whether another job still refers to the file. */
  async fileInUse(sha256: string, exceptJobId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('import_jobs')
      .select('id')
      .where('file_sha256', '=', sha256)
      .where('id', '!=', exceptJobId)
      .where('status', '!=', 'rejected')
      .executeTakeFirst();
    return row !== undefined;
  }
}
