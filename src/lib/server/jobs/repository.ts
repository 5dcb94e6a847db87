import { sql } from 'kysely';
import type { Db, Executor } from '../db/index.js';
import type { JobsTable } from '../db/types.js';

export type JobRow = JobsTable;

/** All SQL of the job table. Claiming is a compare-and-set on the row, so it is safe across processes on both dialects. */
export class JobsRepository {
  constructor(private readonly db: Db) {}

  /** Inserts a job; with a dedupe key already present (queued, running or done) nothing is added. */
  async insert(ex: Executor, row: JobRow): Promise<boolean> {
    const r = await ex
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Jobs that could be claimed now: queued and due, or running with a lapsed lease; oldest first. */
  async candidates(now: string, kinds: string[], limit: number): Promise<{ id: string }[]> {
    if (kinds.length === 0) return [];
    return this.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)]),
        ]),
      )
      .orderBy('run_after')
      .limit(limit)
      .execute();
  }

  /**
   * Takes the job if it is still claimable: the WHERE repeats the candidate condition, so of two workers racing for
   * one row exactly one update matches.
   */
  async claim(id: string, owner: string, now: string, leaseUntil: string): Promise<JobRow | undefined> {
    const r = await this.db
      .updateTable('jobs')
      .set({
        status: 'running',
        lease_owner: owner,
        lease_expires_at: leaseUntil,
        attempts: sql<number>`attempts + 1`,
        updated_at: now,
      })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Extends the lease of a job this owner still holds. */
  async renew(id: string, owner: string, leaseUntil: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ lease_expires_at: leaseUntil, updated_at: now })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Ends an attempt, only if this owner still holds the lease (a worker that lost it must not overwrite). */
  async finish(
    id: string,
    owner: string,
    change: Pick<JobRow, 'status' | 'run_after' | 'last_error' | 'finished_at' | 'updated_at'>,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ ...change, lease_owner: null, lease_expires_at: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byDedupeKey(key: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
