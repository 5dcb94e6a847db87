import type { Kysely } from 'kysely';

/**
 * The crisis dashboard (issue 6): the one crisis of an installation, its population figures, disruptions of services
 * with their intervals, indicators with their observations, and key figures.
 *
 * - Names and labels in language variants are JSON text (`{ "en": …, "hy": … }`).
 * - Calendar dates are ISO text (`YYYY-MM-DD`) in the crisis time zone; the crisis start is a UTC instant with its
 *   IANA zone next to it.
 * - Flags are integers (0/1): the two drivers disagree on booleans. `illustrative` marks demo or estimated entries
 *   whose dates or numbers no source gives.
 * - Sources are foreign keys, so that a source cited by a number cannot be deleted from under it.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('crisis')
    // One row: 'current'.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    // ongoing, ended.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('crisis_population')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('note', 'text')
    .execute();

  await db.schema
    .createTable('disruptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // gas, electricity, internet, mobile, water, fuel, custom.
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('area', 'text')
    .addColumn('source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('note', 'text')
    .addColumn('illustrative', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('disruption_intervals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disruption_id', 'text', (c) => c.notNull().references('disruptions.id').onDelete('cascade'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    // Null while the cut goes on.
    .addColumn('ends_on', 'text')
    // complete, partial.
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disruption_intervals_disruption_idx')
    .on('disruption_intervals')
    .columns(['disruption_id', 'starts_on'])
    .execute();

  await db.schema
    .createTable('indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('baseline_per_day', 'double precision', (c) => c.notNull())
    .addColumn('baseline_source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('baseline_period', 'text')
    .addColumn('illustrative', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('indicator_observations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('as_of', 'text', (c) => c.notNull())
    // cumulative (a total since the start), daily (that day's count).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('indicator_observations_indicator_idx')
    .on('indicator_observations')
    .columns(['indicator_id', 'as_of'])
    .execute();

  await db.schema
    .createTable('key_figures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.references('sources.id'))
    .addColumn('note', 'text')
    .addColumn('illustrative', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('key_figures_as_of_idx').on('key_figures').column('as_of').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'key_figures',
    'indicator_observations',
    'indicators',
    'disruption_intervals',
    'disruptions',
    'crisis_population',
    'crisis',
  ])
    await db.schema.dropTable(table).execute();
}
