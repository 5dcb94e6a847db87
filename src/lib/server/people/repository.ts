import type { Db, Executor, Tx } from '../db/index.js';

export interface PersonRow {
  id: string;
  pseudonym: string;
  pseudonym_key: string;
  pseudonym_lang: string;
  roles: string;
  key_id: string;
  wrapped_key: string;
  identity: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export class PeopleRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string, ex: Executor = this.db): Promise<PersonRow | undefined> {
    return ex.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIds(ids: string[], ex: Executor = this.db): Promise<PersonRow[]> {
    if (ids.length === 0) return [];
    return ex.selectFrom('persons').selectAll().where('id', 'in', ids).execute();
  }

  async list(ex: Executor = this.db): Promise<PersonRow[]> {
    return ex.selectFrom('persons').selectAll().orderBy('pseudonym_key').execute();
  }

  async pseudonymTaken(key: string, exceptId: string | null, ex: Executor = this.db): Promise<boolean> {
    let q = ex.selectFrom('persons').select('id').where('pseudonym_key', '=', key);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async insert(tx: Tx, row: PersonRow): Promise<void> {
    await tx.insertInto('persons').values(row).execute();
  }

  async update(
    tx: Tx,
    id: string,
    patch: Partial<Pick<PersonRow, 'pseudonym' | 'pseudonym_key' | 'roles' | 'identity' | 'updated_at'>>,
  ): Promise<void> {
    await tx.updateTable('persons').set(patch).where('id', '=', id).execute();
  }

  async rewrap(tx: Tx, id: string, fromKeyId: string, keyId: string, wrapped: string): Promise<boolean> {
    const r = await tx
      .updateTable('persons')
      .set({ key_id: keyId, wrapped_key: wrapped })
      .where('id', '=', id)
      .where('key_id', '=', fromKeyId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The master keys the stored data keys are wrapped with. */
  async keyIdsInUse(ex: Executor = this.db): Promise<string[]> {
    return (await ex.selectFrom('persons').select('key_id').distinct().execute()).map((r) => r.key_id);
  }

  /** Persons whose data key is not wrapped with `keyId`, a page at a time. */
  async wrappedOtherThan(
    keyId: string,
    after: string,
    limit: number,
  ): Promise<Pick<PersonRow, 'id' | 'key_id' | 'wrapped_key'>[]> {
    return this.db
      .selectFrom('persons')
      .select(['id', 'key_id', 'wrapped_key'])
      .where('key_id', '!=', keyId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async accessOf(personId: string, ex: Executor = this.db): Promise<string[]> {
    return (
      await ex
        .selectFrom('person_access')
        .select('user_id')
        .where('person_id', '=', personId)
        .orderBy('user_id')
        .execute()
    ).map((r) => r.user_id);
  }

  async accessibleBy(userId: string, ex: Executor = this.db): Promise<Set<string>> {
    const rows = await ex.selectFrom('person_access').select('person_id').where('user_id', '=', userId).execute();
    return new Set(rows.map((r) => r.person_id));
  }

  async hasAccess(personId: string, userId: string, ex: Executor = this.db): Promise<boolean> {
    const r = await ex
      .selectFrom('person_access')
      .select('user_id')
      .where('person_id', '=', personId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async setAccess(tx: Tx, personId: string, userIds: string[], grantedBy: string | null, at: string): Promise<void> {
    await tx.deleteFrom('person_access').where('person_id', '=', personId).execute();
    if (userIds.length)
      await tx
        .insertInto('person_access')
        .values(userIds.map((u) => ({ person_id: personId, user_id: u, granted_by: grantedBy, granted_at: at })))
        .execute();
  }
}
