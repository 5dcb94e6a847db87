import type { Kysely } from 'kysely';

/**
 * Durable jobs (issue 4): work that must finish even if the process dies half-way, such as image derivatives.
 *
 * A worker claims a job by writing its name and a lease expiry; a job whose lease has run out is claimed again, so a
 * crash mid-job is retried and several worker processes can share the table. A failed attempt is retried after a
 * growing delay until `max_attempts`. `dedupe_key` keeps one live job per piece of work (unique where set).
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON text.
    .addColumn('payload', 'text', (c) => c.notNull())
    // queued, running, done, failed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_after']).execute();
  await db.schema.createIndex('jobs_dedupe_idx').on('jobs').column('dedupe_key').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').ifExists().execute();
}
