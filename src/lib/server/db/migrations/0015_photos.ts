import type { Kysely } from 'kysely';

/**
 * The photo bank (issue 4): what journalists see. An item is an evidence image with captions, credit, place, tags,
 * record links and usage rights; consents of its author and of each identifiable person depicted gate its
 * publication, and a withdrawal or an expiry takes it off every public surface at once.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('evidence_items.id'))
    .addColumn('credit', 'text', (c) => c.notNull())
    .addColumn('taken_on', 'text')
    // The public location is the place, never the raw GPS of the file.
    .addColumn('place_id', 'text', (c) => c.references('places.id'))
    // own-work, open-source, no-rights.
    .addColumn('usage', 'text', (c) => c.notNull())
    .addColumn('source_url', 'text')
    .addColumn('licence', 'text')
    // How many identifiable people the picture shows: each needs a consent of their own.
    .addColumn('identifiable_persons', 'integer', (c) => c.notNull())
    // draft, published, unpublished.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    // Set once ever published: a public address that has been live then answers 410 rather than 404.
    .addColumn('first_published_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('photos_status_idx').on('photos').columns(['status', 'taken_on']).execute();

  await db.schema
    .createTable('photo_captions')
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('photo_captions_pk', ['photo_id', 'lang'])
    .execute();

  await db.schema
    .createTable('photo_tags')
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('photo_tags_pk', ['photo_id', 'tag'])
    .execute();
  await db.schema.createIndex('photo_tags_tag_idx').on('photo_tags').column('tag').execute();

  await db.schema
    .createTable('photo_records')
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
    .addPrimaryKeyConstraint('photo_records_pk', ['photo_id', 'record_id'])
    .execute();

  await db.schema
    .createTable('photo_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    // author, person.
    .addColumn('subject', 'text', (c) => c.notNull())
    // Who, as the team knows them: a description or a pseudonym, never more than needed.
    .addColumn('person_label', 'text', (c) => c.notNull())
    // JSON text: publish-image, press-kit, social-media.
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('given_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_note', 'text')
    // form (an uploaded, signed form in the evidence vault) or verbal (a note and a witness).
    .addColumn('evidenced_by', 'text', (c) => c.notNull())
    .addColumn('form_evidence_id', 'text', (c) => c.references('evidence_items.id'))
    .addColumn('verbal_note', 'text')
    .addColumn('witness', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('photo_consents_photo_idx').on('photo_consents').column('photo_id').execute();

  await db.schema
    .createTable('photo_downloads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('size', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['photo_downloads', 'photo_consents', 'photo_records', 'photo_tags', 'photo_captions', 'photos'])
    await db.schema.dropTable(t).ifExists().execute();
}
