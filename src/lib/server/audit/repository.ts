import type { Db, Executor, SqlDialect, Tx } from '../db/index.js';
import type { AuditEntry, AuditQuery } from './schema.js';

type Row = {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  digest: string;
  prev_hash: string;
  hash: string;
};

const toEntry = (r: Row): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actorId: r.actor_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  digest: r.digest,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export class AuditRepository {
  constructor(
    private readonly db: Db,
    private readonly dialect: SqlDialect,
  ) {}

  /** Reads the head under a row lock (PostgreSQL); SQLite already serialises writers. */
  async lockHead(tx: Tx): Promise<{ seq: number; hash: string }> {
    let q = tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    if (this.dialect.supportsForUpdate) q = q.forUpdate();
    const head = await q.executeTakeFirstOrThrow();
    return { seq: Number(head.seq), hash: head.hash };
  }

  async append(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx
      .insertInto('audit_log')
      .values({
        seq: entry.seq,
        at: entry.at,
        actor_id: entry.actorId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        digest: entry.digest,
        prev_hash: entry.prevHash,
        hash: entry.hash,
      })
      .execute();
    await tx.updateTable('audit_head').set({ seq: entry.seq, hash: entry.hash }).where('id', '=', 1).execute();
  }

  async head(ex: Executor = this.db): Promise<{ seq: number; hash: string }> {
    const h = await ex.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { seq: Number(h.seq), hash: h.hash };
  }

  /** Entries in chain order, from `afterSeq` on, a page at a time. */
  async range(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toEntry);
  }

  async list(q: AuditQuery): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (q.actorId) query = query.where('actor_id', '=', q.actorId);
    if (q.action)
      query = q.action.endsWith('.')
        ? query.where('action', 'like', `${q.action.replace(/[\\%_]/g, (c) => '\\' + c)}%`)
        : query.where('action', '=', q.action);
    if (q.entityType) query = query.where('entity_type', '=', q.entityType);
    if (q.entityId) query = query.where('entity_id', '=', q.entityId);
    if (q.from) query = query.where('at', '>=', new Date(q.from).toISOString());
    if (q.to) query = query.where('at', '<=', new Date(q.to).toISOString());
    if (q.before) query = query.where('seq', '<', q.before);
    const rows = await query.orderBy('seq', 'desc').limit(q.limit).execute();
    return rows.map(toEntry);
  }
}
