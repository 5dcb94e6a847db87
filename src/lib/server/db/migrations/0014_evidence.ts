import type { Kysely } from 'kysely';

/**
 * The evidence vault (issue 4, Berkeley Protocol): files kept unchanged under their SHA-256, who collected them and
 * how, a custody log of every access and copy, derivatives, redactions and links to records and sources.
 *
 * - `code_counters`: per-prefix counters for human codes (E-0001 for evidence, P-0001 for photos).
 * - `evidence_items`: one per distinct file (sha256 unique): a second upload of the same bytes is linked to the
 *   first as another collection, never stored twice. `metadata` (JSON text: camera, capture time, GPS) is restricted.
 * - `evidence_collections`: provenance, one row per time the file was collected (by whom, when, how, from where,
 *   with what tool, under what name).
 * - `evidence_custody`: the chain of custody, append-only; each entry names the audit-chain entry that records it.
 * - `evidence_derivatives`: copies made from the original or from a redaction (`variant`), never carrying metadata.
 * - `evidence_redactions`: rectangles and fill, and the redacted master kept as a blob.
 * - `evidence_links`: to records and sources.
 *
 * Merged migrations are never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('code_counters')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('evidence_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('extension', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    // 64 characters of 0/1 (sharp-phash), for near-duplicate flags.
    .addColumn('phash', 'text')
    // JSON text; restricted to documenters and reviewers.
    .addColumn('metadata', 'text', (c) => c.notNull())
    // processing (derivatives pending), ready, failed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('evidence_collections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('cascade'))
    .addColumn('collected_by', 'text', (c) => c.references('users.id'))
    .addColumn('collected_at', 'text', (c) => c.notNull())
    // upload, url-capture, import.
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('tool', 'text')
    .addColumn('original_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_collections_item_idx').on('evidence_collections').column('item_id').execute();

  await db.schema
    .createTable('evidence_custody')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    // JSON text: exactly the change hashed into the audit entry.
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('audit_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_custody_item_idx').on('evidence_custody').columns(['item_id', 'at']).execute();

  await db.schema
    .createTable('evidence_redactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('cascade'))
    // JSON text: [{ x, y, width, height }] in pixels of the original.
    .addColumn('regions', 'text', (c) => c.notNull())
    // solid, mosaic.
    .addColumn('fill', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_redactions_item_idx').on('evidence_redactions').column('item_id').execute();

  await db.schema
    .createTable('evidence_derivatives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('cascade'))
    // 'original', or the id of the redaction it was made from.
    .addColumn('variant', 'text', (c) => c.notNull())
    // thumb, web, large.
    .addColumn('kind', 'text', (c) => c.notNull())
    // jpeg, webp.
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evidence_derivatives_unique', ['item_id', 'variant', 'kind', 'format'])
    .execute();

  await db.schema
    .createTable('evidence_links')
    .addColumn('item_id', 'text', (c) => c.notNull().references('evidence_items.id').onDelete('cascade'))
    // record, source.
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evidence_links_pk', ['item_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('evidence_links_target_idx')
    .on('evidence_links')
    .columns(['target_type', 'target_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'evidence_links',
    'evidence_derivatives',
    'evidence_redactions',
    'evidence_custody',
    'evidence_collections',
    'evidence_items',
    'code_counters',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
