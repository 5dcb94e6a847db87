import type { Kysely } from 'kysely';

/**
 * Protected persons and human stories (issue 5).
 *
 * A person's real identity is one sealed JSON document (`identity`), encrypted with the person's own data key; the
 * data key is stored only wrapped by a master key that lives outside the database (`key_id` names which). Nothing
 * else here names a real person: the pseudonym is what every other table and text uses.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pseudonym', 'text', (c) => c.notNull())
    // Uniqueness is checked on the folded form, so "Anahit M." and "ANAHIT M" cannot both exist.
    .addColumn('pseudonym_key', 'text', (c) => c.notNull().unique())
    .addColumn('pseudonym_lang', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Startup asks which master keys are in use; rotation walks the persons still on an old key.
  await db.schema.createIndex('persons_key_idx').on('persons').column('key_id').execute();

  await db.schema
    .createTable('person_access')
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('granted_by', 'text', (c) => c.references('users.id'))
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_access_pk', ['person_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id'))
    .addColumn('interview_source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_status_idx').on('stories').column('status').execute();

  await db.schema
    .createTable('story_texts')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('narrative', 'text', (c) => c.notNull())
    .addColumn('translation', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_texts_pk', ['story_id', 'lang'])
    .execute();

  // Links: records, rights and places of the register; photos of the photo bank by id (that module checks them).
  await db.schema
    .createTable('story_links')
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_links_pk', ['story_id', 'kind', 'target_id'])
    .execute();
  await db.schema.createIndex('story_links_target_idx').on('story_links').columns(['kind', 'target_id']).execute();

  await db.schema
    .createTable('story_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('given_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('withdrawn_on', 'text')
    .addColumn('withdrawal_note', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('evidence_note', 'text', (c) => c.notNull())
    .addColumn('witness', 'text')
    .addColumn('form_sha256', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('story_consents_story_idx').on('story_consents').column('story_id').execute();

  await db.schema
    .createTable('story_code_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'story_code_counters',
    'story_consents',
    'story_links',
    'story_texts',
    'stories',
    'person_access',
    'persons',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
