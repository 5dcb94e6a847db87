import type { Executor, Tx } from '../db/index.js';

/** Portal content kept in settings rows. Values are JSON text on both dialects (the column is text). */
export class PortalRepository {
  async get(ex: Executor, key: string): Promise<string | undefined> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async put(tx: Tx, key: string, value: string, at: string): Promise<void> {
    await tx
      .insertInto('settings')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
  }
}
