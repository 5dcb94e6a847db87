import type { Kysely } from 'kysely';

/**
 * The documentation register's records (issue 3): violations and incidents, with their language variants, places,
 * rights, tags, links, verification history, named-access list and full revisions.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per year: the last number handed out in `V-YYYY-NNNN`, read and bumped under a row lock.
  await db.schema
    .createTable('record_code_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    // Workflow: draft, in-review, approved, published, unpublished.
    .addColumn('status', 'text', (c) => c.notNull())
    // reported, corroborated, verified, disputed, retracted.
    .addColumn('verification', 'text', (c) => c.notNull())
    // public, internal, restricted.
    .addColumn('confidentiality', 'text', (c) => c.notNull())
    .addColumn('violation_type', 'text')
    // ISO date text of the given precision: YYYY-MM-DD, YYYY-MM or YYYY.
    .addColumn('start_date', 'text')
    .addColumn('start_precision', 'text')
    .addColumn('end_date', 'text')
    .addColumn('end_precision', 'text')
    // Set when the record is marked ongoing (no end yet); a timestamp rather than a boolean.
    .addColumn('ongoing_at', 'text')
    // Affected persons: null means "not known", 0 means "none".
    .addColumn('affected_individuals', 'integer')
    .addColumn('affected_children', 'integer')
    .addColumn('affected_women', 'integer')
    .addColumn('affected_older_persons', 'integer')
    .addColumn('affected_persons_with_disabilities', 'integer')
    .addColumn('affected_displaced', 'integer')
    .addColumn('affected_whole_population', 'integer')
    // JSON array of { name, attribution }, as text.
    .addColumn('responsible', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    // Optimistic concurrency: bumped by every write.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .execute();
  await db.schema.createIndex('records_status_idx').on('records').columns(['status', 'confidentiality']).execute();
  await db.schema.createIndex('records_start_idx').on('records').column('start_date').execute();
  await db.schema.createIndex('records_author_idx').on('records').column('author_id').execute();

  // Title, summary and description per language (en, fr, hy, ru), each with its translation status.
  await db.schema
    .createTable('record_texts')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('translation_status', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_texts_pk', ['record_id', 'lang'])
    .execute();

  await db.schema
    .createTable('record_places')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_places_pk', ['record_id', 'place_id'])
    .execute();
  await db.schema.createIndex('record_places_place_idx').on('record_places').column('place_id').execute();

  await db.schema
    .createTable('record_rights')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('right_id', 'text', (c) => c.notNull().references('rights.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_rights_pk', ['record_id', 'right_id'])
    .execute();
  await db.schema.createIndex('record_rights_right_idx').on('record_rights').column('right_id').execute();

  await db.schema
    .createTable('record_tags')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_tags_pk', ['record_id', 'tag'])
    .execute();
  await db.schema.createIndex('record_tags_tag_idx').on('record_tags').column('tag').execute();

  // Typed links: record_id is caused-by / part-of / follow-up-of target_id.
  await db.schema
    .createTable('record_links')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_links_pk', ['record_id', 'target_id', 'kind'])
    .execute();
  await db.schema.createIndex('record_links_target_idx').on('record_links').column('target_id').execute();

  // Every change of verification status: who, when, and why.
  await db.schema
    .createTable('record_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('record_verifications_record_idx')
    .on('record_verifications')
    .column('record_id')
    .execute();

  // Who may see a restricted record besides its author. Groups come later.
  await db.schema
    .createTable('record_access')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('record_access_pk', ['record_id', 'user_id'])
    .execute();
  await db.schema.createIndex('record_access_user_idx').on('record_access').column('user_id').execute();

  // A full JSON snapshot after every write, numbered from 1 per record.
  await db.schema
    .createTable('record_revisions')
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_revisions_pk', ['record_id', 'rev'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'record_revisions',
    'record_access',
    'record_verifications',
    'record_links',
    'record_tags',
    'record_rights',
    'record_places',
    'record_texts',
    'records',
    'record_code_counters',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
