import type { Kysely } from 'kysely';

/**
 * Where a disruption is, as gazetteer places (the map draws their outlines or points), next to the free-text `area`
 * it already has. A place cited by a disruption cannot be deleted from under it (no cascade on `place_id`).
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('disruption_places')
    .addColumn('disruption_id', 'text', (c) => c.notNull().references('disruptions.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('disruption_places_pk', ['disruption_id', 'place_id'])
    .execute();
  await db.schema.createIndex('disruption_places_place_idx').on('disruption_places').column('place_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('disruption_places').ifExists().execute();
}
