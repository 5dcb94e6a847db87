import type { Database, Db, Executor, Tx } from '../db/index.js';

export type GroupRow = Database['groups'];

export class GroupsRepository {
  constructor(private readonly db: Db) {}

  async list(ex: Executor = this.db): Promise<GroupRow[]> {
    return ex.selectFrom('groups').selectAll().orderBy('name').execute();
  }

  async find(id: string, ex: Executor = this.db): Promise<GroupRow | undefined> {
    return ex.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async members(groupIds: string[], ex: Executor = this.db): Promise<{ group_id: string; user_id: string }[]> {
    if (groupIds.length === 0) return [];
    return ex
      .selectFrom('group_members')
      .select(['group_id', 'user_id'])
      .where('group_id', 'in', groupIds)
      .orderBy('user_id')
      .execute();
  }

  async groupIdsOf(userId: string, ex: Executor = this.db): Promise<string[]> {
    const rows = await ex
      .selectFrom('group_members')
      .select('group_id')
      .where('user_id', '=', userId)
      .orderBy('group_id')
      .execute();
    return rows.map((r) => r.group_id);
  }

  async existing(ids: string[], ex: Executor = this.db): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await ex.selectFrom('groups').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  async insert(tx: Tx, row: GroupRow): Promise<void> {
    await tx.insertInto('groups').values(row).execute();
  }

  async update(tx: Tx, row: GroupRow): Promise<void> {
    const { id, created_at: _c, ...rest } = row;
    await tx.updateTable('groups').set(rest).where('id', '=', id).execute();
  }

  async replaceMembers(tx: Tx, groupId: string, userIds: string[], at: string): Promise<void> {
    await tx.deleteFrom('group_members').where('group_id', '=', groupId).execute();
    if (userIds.length > 0)
      await tx
        .insertInto('group_members')
        .values(userIds.map((user_id) => ({ group_id: groupId, user_id, added_at: at })))
        .execute();
  }

  /** Takes the group off every record's access list; the ids of those records, for the audit entry. */
  async removeFromRecords(tx: Tx, groupId: string): Promise<string[]> {
    const rows = await tx
      .deleteFrom('record_group_access')
      .where('group_id', '=', groupId)
      .returning('record_id')
      .execute();
    return rows.map((r) => r.record_id);
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('groups').where('id', '=', id).execute();
  }
}
