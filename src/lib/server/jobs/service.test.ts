import { expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { describeEachDb } from '../testing/db.js';
import { createJobsModule } from './index.js';

describeEachDb('durable jobs', (ctx) => {
  const logger = createLogger('silent');
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = () => now;
  const runner = (o: { leaseMs?: number } = {}) =>
    createJobsModule({ db: ctx().handle.db, logger, clock, backoffBaseMs: 1000, ...o }).runner;

  it('runs a job once and marks it done', async () => {
    const r = runner();
    const seen: unknown[] = [];
    r.register('t.ok', (p) => {
      seen.push(p);
      return Promise.resolve();
    });
    expect(await r.enqueue(ctx().handle.db, 't.ok', { n: 1 }, { dedupeKey: 'ok-1' })).toBe(true);
    // Same key: no second job.
    expect(await r.enqueue(ctx().handle.db, 't.ok', { n: 2 }, { dedupeKey: 'ok-1' })).toBe(false);
    expect(await r.drain()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
    const job = await r.byDedupeKey('ok-1');
    expect(job).toMatchObject({ status: 'done', attempts: 1, lease_owner: null });
    expect(await r.drain()).toBe(0);
  });

  it('retries a handler that throws, after a growing delay, and gives up after max attempts', async () => {
    const r = runner();
    let calls = 0;
    r.register('t.flaky', () => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error(`boom ${calls}`)) : Promise.resolve();
    });
    await r.enqueue(ctx().handle.db, 't.flaky', {}, { dedupeKey: 'flaky' });
    expect(await r.drain()).toBe(1);
    let job = await r.byDedupeKey('flaky');
    expect(job).toMatchObject({ status: 'queued', attempts: 1, last_error: 'boom 1' });
    expect(job!.run_after).toBe(new Date(now.getTime() + 1000).toISOString());
    // Not due yet: nothing runs.
    expect(await r.drain()).toBe(0);
    now = new Date(now.getTime() + 1000);
    expect(await r.drain()).toBe(1);
    job = await r.byDedupeKey('flaky');
    expect(job).toMatchObject({ status: 'queued', attempts: 2, last_error: 'boom 2' });
    // The second delay is twice the first.
    expect(job!.run_after).toBe(new Date(now.getTime() + 2000).toISOString());
    now = new Date(now.getTime() + 2000);
    expect(await r.drain()).toBe(1);
    expect(await r.byDedupeKey('flaky')).toMatchObject({ status: 'done', attempts: 3, last_error: null });

    r.register('t.broken', () => Promise.reject(new Error('always')));
    await r.enqueue(ctx().handle.db, 't.broken', {}, { dedupeKey: 'broken', maxAttempts: 2 });
    await r.drain();
    now = new Date(now.getTime() + 60_000);
    await r.drain();
    expect(await r.byDedupeKey('broken')).toMatchObject({ status: 'failed', attempts: 2, last_error: 'always' });
    now = new Date(now.getTime() + 3_600_000);
    expect(await r.drain()).toBe(0);
  });

  it('reclaims a job whose worker died holding the lease, and the dead worker cannot finish it', async () => {
    const db = ctx().handle.db;
    const dead = runner({ leaseMs: 30_000 });
    const alive = runner({ leaseMs: 30_000 });
    expect(dead.owner).not.toBe(alive.owner);
    const done: string[] = [];
    alive.register('t.crash', (_p, c) => {
      done.push(`alive#${c.attempt}`);
      return Promise.resolve();
    });
    dead.register('t.crash', () => Promise.resolve());
    await alive.enqueue(db, 't.crash', {}, { dedupeKey: 'crash' });
    const id = (await alive.byDedupeKey('crash'))!.id;
    // The first worker claims it, then "crashes": it never finishes.
    await db
      .updateTable('jobs')
      .set({
        status: 'running',
        lease_owner: dead.owner,
        lease_expires_at: new Date(now.getTime() + 30_000).toISOString(),
        attempts: 1,
      })
      .where('id', '=', id)
      .execute();
    // While the lease holds, nobody else takes it.
    expect(await alive.drain()).toBe(0);
    now = new Date(now.getTime() + 30_001);
    expect(await alive.drain()).toBe(1);
    expect(done).toEqual(['alive#2']);
    expect(await alive.get(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('lets exactly one of two workers claim a job', async () => {
    const db = ctx().handle.db;
    const a = runner();
    const b = runner();
    let runs = 0;
    for (const r of [a, b])
      r.register('t.race', async () => {
        runs += 1;
        await new Promise((res) => setTimeout(res, 20));
      });
    await a.enqueue(db, 't.race', {}, { dedupeKey: 'race' });
    const [x, y] = await Promise.all([a.runOne(), b.runOne()]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
  });
});
