import type { Kysely } from 'kysely';

/**
 * Groups of accounts (the press collective's strategic group and working groups, an office team), and the groups
 * that may see a restricted record besides its author and named users.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  // The visibility rule looks groups up by member.
  await db.schema.createIndex('group_members_user_idx').on('group_members').column('user_id').execute();

  // No cascade from groups: a group still named on a record cannot be deleted (the service says so first).
  await db.schema
    .createTable('record_group_access')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addPrimaryKeyConstraint('record_group_access_pk', ['record_id', 'group_id'])
    .execute();
  await db.schema.createIndex('record_group_access_group_idx').on('record_group_access').column('group_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['record_group_access', 'group_members', 'groups']) await db.schema.dropTable(t).ifExists().execute();
}
