import type { Kysely } from 'kysely';

/**
 * A photo consent may name a person of the people registry (by id only: the registry keeps the identity, the photo
 * bank shows the pseudonym), beside the free-text label it keeps. A person who consented cannot be deleted from
 * under the consent (no cascade).
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('photo_consents')
    .addColumn('person_id', 'text', (c) => c.references('persons.id'))
    .execute();
  await db.schema.createIndex('photo_consents_person_idx').on('photo_consents').column('person_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('photo_consents_person_idx').ifExists().execute();
  await db.schema.alterTable('photo_consents').dropColumn('person_id').execute();
}
