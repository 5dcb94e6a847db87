import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import type { RightKind } from './schema.js';

export interface RightRecord {
  id: string;
  code: string;
  kind: RightKind;
  parentId: string | null;
  names: { en: string; fr: string; hy: string; ru: string };
  instruments: string[];
  sortOrder: number;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
}

type Row = {
  id: string;
  code: string;
  kind: string;
  parent_id: string | null;
  name_en: string;
  name_fr: string;
  name_hy: string;
  name_ru: string;
  instruments: string;
  sort_order: number;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
};

export class RightsRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  private toRecord(r: Row): RightRecord {
    return {
      id: r.id,
      code: r.code,
      kind: r.kind === 'category' ? 'category' : 'right',
      parentId: r.parent_id,
      names: { en: r.name_en, fr: r.name_fr, hy: r.name_hy, ru: r.name_ru },
      instruments: this.dialect.fromJson<string[]>(r.instruments),
      sortOrder: Number(r.sort_order),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      retiredAt: r.retired_at,
    };
  }

  private toRow(r: RightRecord): Row {
    return {
      id: r.id,
      code: r.code,
      kind: r.kind,
      parent_id: r.parentId,
      name_en: r.names.en,
      name_fr: r.names.fr,
      name_hy: r.names.hy,
      name_ru: r.names.ru,
      instruments: JSON.stringify(r.instruments),
      sort_order: r.sortOrder,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      retired_at: r.retiredAt,
    };
  }

  /** Every node, categories and rights, in display order. */
  async list(ex: Executor = this.db): Promise<RightRecord[]> {
    const rows = await ex.selectFrom('rights').selectAll().orderBy('sort_order').orderBy('code').execute();
    return rows.map((r) => this.toRecord(r));
  }

  async findById(id: string, ex: Executor = this.db): Promise<RightRecord | undefined> {
    const r = await ex.selectFrom('rights').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.toRecord(r);
  }

  async findByCode(code: string, ex: Executor = this.db): Promise<RightRecord | undefined> {
    const r = await ex.selectFrom('rights').selectAll().where('code', '=', code).executeTakeFirst();
    return r && this.toRecord(r);
  }

  async children(parentId: string, ex: Executor = this.db): Promise<RightRecord[]> {
    const rows = await ex
      .selectFrom('rights')
      .selectAll()
      .where('parent_id', '=', parentId)
      .orderBy('sort_order')
      .orderBy('code')
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  /** The largest sort order among the siblings (top-level nodes when parentId is null), or 0. */
  async maxSortOrder(tx: Tx, parentId: string | null): Promise<number> {
    const r = await tx
      .selectFrom('rights')
      .select((eb) => eb.fn.max('sort_order').as('m'))
      .where('parent_id', parentId === null ? 'is' : '=', parentId)
      .executeTakeFirst();
    return this.dialect.toNumber(r?.m);
  }

  async insert(tx: Tx, r: RightRecord): Promise<void> {
    await tx.insertInto('rights').values(this.toRow(r)).execute();
  }

  async update(tx: Tx, r: RightRecord): Promise<void> {
    const { id: _id, created_at: _created, ...rest } = this.toRow(r);
    await tx.updateTable('rights').set(rest).where('id', '=', r.id).execute();
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('rights').where('id', '=', id).execute();
  }
}
