import type { Kysely } from 'kysely';

/**
 * CSV import of records (issue 3).
 *
 * - `records.external_id`: the id a record has in the file it was imported from. Re-importing a row with the same
 *   id updates that record instead of adding a second one. Unique where set; records made by hand have none.
 * - `import_jobs`: one uploaded file, checked (dry run) and then imported. The file itself is kept in the data
 *   directory under its SHA-256, so that the import re-reads exactly what was checked.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('records').addColumn('external_id', 'text').execute();
  // A unique index rather than a column constraint: SQLite cannot add one with ALTER TABLE. NULLs never collide.
  await db.schema.createIndex('records_external_id_idx').on('records').column('external_id').unique().execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text', (c) => c.notNull().references('users.id'))
    // What is imported: 'records' for now.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    // checking, checked, rejected, importing, done, failed.
    .addColumn('status', 'text', (c) => c.notNull())
    // 'all' or 'valid' once an import was asked for.
    .addColumn('mode', 'text')
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('rows_invalid', 'integer', (c) => c.notNull())
    .addColumn('rows_to_create', 'integer', (c) => c.notNull())
    .addColumn('rows_to_update', 'integer', (c) => c.notNull())
    // Progress of the import: rows read so far, and what became of them.
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('rows_created', 'integer', (c) => c.notNull())
    .addColumn('rows_updated', 'integer', (c) => c.notNull())
    .addColumn('rows_unchanged', 'integer', (c) => c.notNull())
    .addColumn('rows_skipped', 'integer', (c) => c.notNull())
    // JSON text: the first row errors ({ line, column, reason }), capped; error_count has them all.
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull())
    // JSON text: the first rows as they would be imported.
    .addColumn('preview', 'text', (c) => c.notNull())
    // Why the whole file was refused (encoding, quoting, headers) or the import stopped.
    .addColumn('failure', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('import_jobs_actor_idx').on('import_jobs').columns(['actor_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_jobs').execute();
  await db.schema.dropIndex('records_external_id_idx').execute();
  await db.schema.alterTable('records').dropColumn('external_id').execute();
}
