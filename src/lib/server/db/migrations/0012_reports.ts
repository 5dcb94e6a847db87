import type { Kysely } from 'kysely';

/**
 * Reports and their editions (issue 6).
 *
 * - `reports`: a report ("Human rights violations during the blockade"): its title in language variants (JSON text
 *   `{ en?, fr?, hy?, ru? }`), the records chosen to be shown in its editions (JSON text, ids), and how many of the
 *   newest published records each right shows when none was chosen for it.
 * - `report_editions`: one build of a report as of a date, in one language. Built in the background (status
 *   `building` with a percent), then `draft` (a preview) or `failed`; a draft is published as it is (`published`).
 *   What was built is kept by content: the edition's JSON and its PDF are blobs in the data directory under their
 *   SHA-256 (`content_sha256`, `pdf_sha256`), so a published edition can never change without its hash changing.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('titles', 'text', (c) => c.notNull())
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('records_per_right', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('report_editions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    // building, draft, failed, published.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    // What the build is doing (a word for the progress bar), and why it failed.
    .addColumn('stage', 'text')
    .addColumn('failure', 'text')
    .addColumn('content_sha256', 'text')
    .addColumn('pdf_sha256', 'text')
    .addColumn('pdf_size', 'bigint')
    .addColumn('pages', 'integer')
    .addColumn('built_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('report_editions_report_idx')
    .on('report_editions')
    .columns(['report_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('report_editions_published_idx')
    .on('report_editions')
    .columns(['published_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_editions').execute();
  await db.schema.dropTable('reports').execute();
}
