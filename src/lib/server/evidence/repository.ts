import { sql } from 'kysely';
import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import { escapeLike } from '../db/index.js';
import type {
  EvidenceCollectionsTable,
  EvidenceCustodyTable,
  EvidenceDerivativesTable,
  EvidenceItemsTable,
  EvidenceLinksTable,
  EvidenceRedactionsTable,
} from '../db/types.js';

export type ItemRow = EvidenceItemsTable;
export type CollectionRow = EvidenceCollectionsTable;
export type CustodyRow = EvidenceCustodyTable;
export type DerivativeRow = EvidenceDerivativesTable;
export type RedactionRow = EvidenceRedactionsTable;
export type LinkRow = EvidenceLinksTable;

const MEDIA_PREFIX = { image: 'image/', video: 'video/', audio: 'audio/', document: 'application/' } as const;

/** All of the vault's SQL. */
export class EvidenceRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  /** The next number for a code prefix (E, P): an atomic upsert, the row locked until the transaction ends. */
  async nextCode(tx: Tx, prefix: string): Promise<number> {
    const row = await tx
      .insertInto('code_counters')
      .values({ prefix, value: 1 })
      .onConflict((oc) => oc.column('prefix').doUpdateSet({ value: sql<number>`code_counters.value + 1` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  findById(id: string, ex: Executor = this.db): Promise<ItemRow | undefined> {
    return ex.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findBySha(sha256: string, ex: Executor = this.db): Promise<ItemRow | undefined> {
    return ex.selectFrom('evidence_items').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  }

  findByCode(code: string, ex: Executor = this.db): Promise<ItemRow | undefined> {
    return ex.selectFrom('evidence_items').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async insertItem(tx: Tx, row: ItemRow): Promise<void> {
    await tx.insertInto('evidence_items').values(row).execute();
  }

  async updateItem(ex: Executor, id: string, change: Partial<Pick<ItemRow, 'status' | 'phash' | 'updated_at'>>) {
    await ex.updateTable('evidence_items').set(change).where('id', '=', id).execute();
  }

  async insertCollection(tx: Tx, row: CollectionRow): Promise<void> {
    await tx.insertInto('evidence_collections').values(row).execute();
  }

  collections(itemId: string, ex: Executor = this.db): Promise<CollectionRow[]> {
    return ex
      .selectFrom('evidence_collections')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('collected_at')
      .orderBy('id')
      .execute();
  }

  async insertCustody(tx: Tx, row: CustodyRow): Promise<void> {
    await tx.insertInto('evidence_custody').values(row).execute();
  }

  custody(itemId: string, ex: Executor = this.db): Promise<CustodyRow[]> {
    return ex.selectFrom('evidence_custody').selectAll().where('item_id', '=', itemId).orderBy('audit_seq').execute();
  }

  /** A derivative, unless one of the same item, variant, kind and format exists (a retried job makes it twice). */
  async insertDerivative(tx: Tx, row: DerivativeRow): Promise<boolean> {
    const r = await tx
      .insertInto('evidence_derivatives')
      .values(row)
      .onConflict((oc) => oc.columns(['item_id', 'variant', 'kind', 'format']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  derivatives(itemId: string, ex: Executor = this.db): Promise<DerivativeRow[]> {
    return ex
      .selectFrom('evidence_derivatives')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('created_at')
      .execute();
  }

  /** Derivatives of many items of one variant each (thumbnails for a list). */
  thumbnails(itemIds: string[]): Promise<DerivativeRow[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('evidence_derivatives')
      .selectAll()
      .where('item_id', 'in', itemIds)
      .where('kind', '=', 'thumb')
      .where('format', '=', 'webp')
      .execute();
  }

  async insertRedaction(tx: Tx, row: RedactionRow): Promise<void> {
    await tx.insertInto('evidence_redactions').values(row).execute();
  }

  redactions(itemId: string, ex: Executor = this.db): Promise<RedactionRow[]> {
    return ex
      .selectFrom('evidence_redactions')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  findRedaction(id: string, ex: Executor = this.db): Promise<RedactionRow | undefined> {
    return ex.selectFrom('evidence_redactions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertLink(tx: Tx, row: LinkRow): Promise<boolean> {
    const r = await tx
      .insertInto('evidence_links')
      .values(row)
      .onConflict((oc) => oc.columns(['item_id', 'target_type', 'target_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteLink(tx: Tx, itemId: string, type: string, targetId: string): Promise<number> {
    const r = await tx
      .deleteFrom('evidence_links')
      .where('item_id', '=', itemId)
      .where('target_type', '=', type as LinkRow['target_type'])
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  links(itemId: string, ex: Executor = this.db): Promise<LinkRow[]> {
    return ex.selectFrom('evidence_links').selectAll().where('item_id', '=', itemId).orderBy('created_at').execute();
  }

  async itemIdsLinkedTo(type: LinkRow['target_type'], targetId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('evidence_links')
      .select('item_id')
      .where('target_type', '=', type)
      .where('target_id', '=', targetId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.item_id);
  }

  async list(f: {
    q?: string | undefined;
    type?: keyof typeof MEDIA_PREFIX | undefined;
    record?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<ItemRow[]> {
    let query = this.db.selectFrom('evidence_items').selectAll();
    if (f.q) {
      const pattern = `%${escapeLike(f.q)}%`;
      query = query.where((eb) =>
        eb.or([this.dialect.ilike('title', pattern), this.dialect.ilike('code', pattern), eb('sha256', '=', f.q!)]),
      );
    }
    if (f.type) query = query.where('media_type', 'like', `${MEDIA_PREFIX[f.type]}%`);
    if (f.record)
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('evidence_links')
          .select('item_id')
          .where('target_type', '=', 'record')
          .where('target_id', '=', f.record!),
      );
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  }

  /** Every other image's perceptual hash, for near-duplicate flags. */
  phashes(exceptId: string): Promise<{ id: string; code: string; phash: string | null }[]> {
    return this.db
      .selectFrom('evidence_items')
      .select(['id', 'code', 'phash'])
      .where('phash', 'is not', null)
      .where('id', '!=', exceptId)
      .execute();
  }

  async shaInUse(sha256: string): Promise<boolean> {
    const [a, b, c] = await Promise.all([
      this.db.selectFrom('evidence_items').select('id').where('sha256', '=', sha256).executeTakeFirst(),
      this.db.selectFrom('evidence_derivatives').select('id').where('sha256', '=', sha256).executeTakeFirst(),
      this.db.selectFrom('evidence_redactions').select('id').where('sha256', '=', sha256).executeTakeFirst(),
    ]);
    return Boolean(a ?? b ?? c);
  }
}
