import type { Database, Db, Executor, SqlDialect, Tx } from '../db/index.js';

export type SavedSearchRow = Database['saved_searches'];

/** Saved searches; the search index itself lives in sqlite/ and postgres/. */
export class SavedSearchesRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async listByUser(userId: string, ex: Executor = this.db): Promise<SavedSearchRow[]> {
    return ex
      .selectFrom('saved_searches')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async countByUser(userId: string, ex: Executor = this.db): Promise<number> {
    const r = await ex
      .selectFrom('saved_searches')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  async find(id: string, ex: Executor = this.db): Promise<SavedSearchRow | undefined> {
    return ex.selectFrom('saved_searches').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(tx: Tx, row: SavedSearchRow): Promise<void> {
    await tx.insertInto('saved_searches').values(row).execute();
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('saved_searches').where('id', '=', id).execute();
  }
}
