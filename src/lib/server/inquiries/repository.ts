import { sql } from 'kysely';
import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import { escapeLike } from '../db/index.js';
import type { InquiryStatus } from './schema.js';

export interface InquiryRow {
  id: string;
  body: string;
  subject: string;
  sent_on: string;
  due_on: string;
  responded_on: string | null;
  response_summary: string | null;
  reference: string | null;
  attachments: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The status, computed in SQL from the dates and `today` (an ISO date), so that filters and the overdue-first order
 * hold across pages. Dates are ISO text, which compares alike on both databases. Keep in step with `statusOf`.
 */
const statusExpr = (today: string) =>
  sql<InquiryStatus>`case when responded_on is not null then 'answered' when due_on < ${today} then 'overdue' else 'sent' end`;

/** Overdue first, then sent, then answered. */
const rankExpr = (today: string) =>
  sql<number>`case when responded_on is not null then 2 when due_on < ${today} then 0 else 1 end`;

export class InquiriesRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  async findById(id: string, ex: Executor = this.db): Promise<InquiryRow | undefined> {
    return ex.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Overdue first (earliest due first), then sent (earliest due first), then answered (latest response first).
   * Within the unanswered groups `responded_on` is all null, and within the answered one the first key is: each
   * key only ever orders one group, so NULL ordering, which differs between the databases, never matters.
   */
  async list(
    f: {
      today: string;
      status?: InquiryStatus;
      body?: string;
      from?: string;
      to?: string;
      limit: number;
      offset: number;
    },
    ex: Executor = this.db,
  ): Promise<(InquiryRow & { status: InquiryStatus })[]> {
    let q = ex.selectFrom('inquiries').selectAll().select(statusExpr(f.today).as('status'));
    if (f.status !== undefined) q = q.where(statusExpr(f.today), '=', f.status);
    if (f.body !== undefined) q = q.where(this.dialect.ilike('body', `%${escapeLike(f.body)}%`));
    if (f.from !== undefined) q = q.where('sent_on', '>=', f.from);
    if (f.to !== undefined) q = q.where('sent_on', '<=', f.to);
    return q
      .orderBy(rankExpr(f.today))
      .orderBy(sql`case when responded_on is null then due_on end`)
      .orderBy('responded_on', 'desc')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
  }

  async insert(tx: Tx, row: InquiryRow): Promise<void> {
    await tx.insertInto('inquiries').values(row).execute();
  }

  async update(tx: Tx, row: InquiryRow): Promise<void> {
    const { id, created_at: _created, created_by: _by, ...rest } = row;
    await tx.updateTable('inquiries').set(rest).where('id', '=', id).execute();
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('inquiries').where('id', '=', id).execute();
  }

  async countSourcesCiting(id: string, ex: Executor = this.db): Promise<number> {
    const r = await ex
      .selectFrom('sources')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('inquiry_id', '=', id)
      .executeTakeFirstOrThrow();
    return this.dialect.toNumber(r.n);
  }

  /** Every linked record id, unfiltered: callers filter them by visibility before they leave the service. */
  async recordLinks(id: string, ex: Executor = this.db): Promise<{ recordId: string; createdAt: string }[]> {
    const rows = await ex
      .selectFrom('inquiry_records')
      .select(['record_id', 'created_at'])
      .where('inquiry_id', '=', id)
      .orderBy('created_at')
      .orderBy('record_id')
      .execute();
    return rows.map((r) => ({ recordId: r.record_id, createdAt: r.created_at }));
  }

  async hasAnyLink(id: string, ex: Executor = this.db): Promise<boolean> {
    const r = await ex
      .selectFrom('inquiry_records')
      .select('record_id')
      .where('inquiry_id', '=', id)
      .executeTakeFirst();
    return r !== undefined;
  }

  async findLink(tx: Tx, inquiryId: string, recordId: string): Promise<boolean> {
    const r = await tx
      .selectFrom('inquiry_records')
      .select('record_id')
      .where('inquiry_id', '=', inquiryId)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async insertLink(tx: Tx, link: { inquiryId: string; recordId: string; createdBy: string | null; createdAt: string }) {
    await tx
      .insertInto('inquiry_records')
      .values({
        inquiry_id: link.inquiryId,
        record_id: link.recordId,
        created_by: link.createdBy,
        created_at: link.createdAt,
      })
      .execute();
  }

  async deleteLink(tx: Tx, inquiryId: string, recordId: string): Promise<number> {
    const r = await tx
      .deleteFrom('inquiry_records')
      .where('inquiry_id', '=', inquiryId)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
