import type { Kysely } from 'kysely';

/**
 * Sources and inquiries to state bodies (issue 3), and their links to records.
 *
 * - No file bytes are stored yet: an open source's archived copy and an inquiry's attachments keep only their
 *   metadata (SHA-256, media type, size). The files themselves arrive with the storage module (issue 4).
 * - `sources.person_ref` is the hook for the people-protection module (issue 5): an opaque id, never a name.
 * - An inquiry's status (sent / answered / overdue) is computed from its dates, never stored.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inquiries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The state body the inquiry went to.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // ISO dates (YYYY-MM-DD).
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('responded_on', 'text')
    .addColumn('response_summary', 'text')
    .addColumn('reference', 'text')
    // JSON array of { name, sha256, mediaType, size }, as text: metadata only until the storage module.
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inquiries_due_idx').on('inquiries').column('due_on').execute();
  await db.schema.createIndex('inquiries_sent_idx').on('inquiries').column('sent_on').execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // inquiry, interview, open-source, official-document, study-report, media-report.
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    // ISO date (YYYY-MM-DD) and how much of it is meant: day, month, year, approximate.
    .addColumn('date', 'text')
    .addColumn('date_precision', 'text')
    // BCP 47 language tag.
    .addColumn('language', 'text')
    .addColumn('publisher', 'text')
    // The hook for the people-protection module (issue 5): an opaque id, never a name.
    .addColumn('person_ref', 'text')
    .addColumn('url', 'text')
    .addColumn('captured_at', 'text')
    // The archived copy's metadata; the file itself arrives with the storage module (issue 4).
    .addColumn('archive_sha256', 'text')
    .addColumn('archive_media_type', 'text')
    .addColumn('archive_size', 'bigint')
    .addColumn('inquiry_id', 'text', (c) => c.references('inquiries.id'))
    // Admiralty grading: reliability A–F, credibility 1–6; null until graded.
    .addColumn('reliability', 'text')
    .addColumn('credibility', 'integer')
    .addColumn('graded_by', 'text', (c) => c.references('users.id'))
    .addColumn('graded_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sources_type_idx').on('sources').column('type').execute();
  await db.schema.createIndex('sources_inquiry_idx').on('sources').column('inquiry_id').execute();

  await db.schema
    .createTable('source_records')
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    // supports, contradicts.
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_records_pk', ['source_id', 'record_id', 'relation'])
    .execute();
  await db.schema.createIndex('source_records_record_idx').on('source_records').column('record_id').execute();

  await db.schema
    .createTable('inquiry_records')
    .addColumn('inquiry_id', 'text', (c) => c.notNull().references('inquiries.id'))
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inquiry_records_pk', ['inquiry_id', 'record_id'])
    .execute();
  await db.schema.createIndex('inquiry_records_record_idx').on('inquiry_records').column('record_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inquiry_records').execute();
  await db.schema.dropTable('source_records').execute();
  await db.schema.dropTable('sources').execute();
  await db.schema.dropTable('inquiries').execute();
}
