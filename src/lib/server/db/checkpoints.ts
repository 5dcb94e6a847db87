import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * Checkpoints on a thread of their own while bulk writes run (an import). In WAL mode SQLite copies the log back
 * into the database file every 1,000 pages, in the commit of whichever write crosses that line: an import batch
 * writes about 3,500 pages, so every commit also did a checkpoint, about a tenth of an import's SQLite time
 * (measured at 300,000 rows). A second connection on a worker thread checkpoints instead (PASSIVE: it never
 * blocks the writer), and the writer's own automatic checkpoints are off until the last bulk write ends.
 *
 * SQLite starts the log over only when a write begins with every frame of it copied, which a writer that starts its
 * next batch at once seldom finds: the log grew to 1 GB over 300,000 rows. So between batches the writer calls
 * `pace()`, which waits for the worker to copy everything once the log is over `LOG_BYTES`. The log file's size
 * tells: `journal_size_limit` has SQLite cut it back each time it starts over.
 *
 * The same connection runs the writes a bulk writer defers (`post`): each job is one transaction, in the order
 * given, after the writer's transaction that queued it has committed. An import hands it each batch's full-text
 * documents (the larger half of its SQLite time), and parses and checks its next batch meanwhile. A job that fails
 * there is run again on the writer's connection (`fallback`).
 *
 * The worker's code is given as a string: it needs nothing of ours, only the SQLite driver, so it runs the same from
 * the sources, the CLI and the server's build.
 */

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A job waits for the writer's transaction in progress (a batch takes about a second).
db.pragma('busy_timeout = 60000');
db.pragma('cache_size = ' + workerData.cacheKb);
let timer;
const run = (queries) => {
  db.exec('begin immediate');
  try {
    for (const q of queries) db.prepare(q.sql).run(q.parameters);
    db.exec('commit');
  } catch (err) {
    if (db.inTransaction) db.exec('rollback');
    throw err;
  }
};
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: r.log, done: r.checkpointed };
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
    return null;
  }
};
const tick = () => {
  checkpoint();
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (m) => {
  if (m && m.job !== undefined) {
    try {
      run(m.queries);
      parentPort.postMessage({ job: m.job });
    } catch (err) {
      parentPort.postMessage({ job: m.job, failed: String((err && err.message) || err) });
    }
    return;
  }
  if (m === 'sync') parentPort.postMessage({ synced: true, ...checkpoint() });
  if (m !== 'stop') return;
  clearTimeout(timer);
  db.pragma('busy_timeout = 1000');
  // Copies what is left and empties the log file, unless a reader still needs it.
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    checkpoint();
  }
  db.close();
  parentPort.postMessage({ stopped: true });
});
tick();
`;

/** Pages after which the writer checkpoints by itself: SQLite's default, put back after bulk writes. */
const AUTOCHECKPOINT = 1000;
/** The log file's size kept after it starts over, outside bulk writes (as `openDatabase` sets it). */
export const JOURNAL_LIMIT = 64 * 1024 * 1024;
/** Bytes of log past which `pace()` waits for the worker to copy them all. */
const LOG_BYTES = 256 * 1024 * 1024;
/** The longest `pace()` waits: a reader holding an old snapshot can keep frames from being copied. */
const PACE_MS = 2000;

interface Report {
  log?: number;
  done?: number;
  synced?: boolean;
  error?: string;
  stopped?: boolean;
  job?: number;
  failed?: string;
}

/** A statement for the worker: its SQL and parameters, as Kysely compiles them. */
export interface DeferredQuery {
  sql: string;
  parameters: readonly unknown[];
}

export interface CheckpointOptions {
  /** How often the worker checkpoints (default 100 ms). */
  everyMs?: number;
  /** Bytes of log past which `pace()` waits for the worker (default `LOG_BYTES`). */
  logBytes?: number;
  /**
   * Told when the worker fails (it is then stopped, and the writer checkpoints by itself again), and when a deferred
   * job failed on the writer too.
   */
  onError?: (err: Error) => void;
  /** The worker's page cache in KiB (default 16 MB): it merges the full-text index's segments. */
  cacheKb?: number;
}

export class BackgroundCheckpoints {
  private holders = 0;
  private worker: Worker | null = null;
  private next = 0;
  private readonly jobs = new Map<number, (failed?: string) => void>();
  private flight: Promise<void> = Promise.resolve();

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
    private readonly opts: CheckpointOptions = {},
    /** Runs a job the worker could not, as one transaction on the writer's connection. */
    private readonly fallback: (queries: DeferredQuery[]) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Whether bulk writes run, so that writes can be deferred to the worker. */
  get active(): boolean {
    return this.worker !== null;
  }

  /**
   * Runs `queries` as one transaction on the worker, after what was posted before; on the writer when the worker
   * is gone or failed on them. Post only what a committed transaction queued.
   */
  post(queries: DeferredQuery[]): void {
    const worker = this.worker;
    const job = this.next++;
    const ran = worker
      ? new Promise<string | undefined>((resolve) => {
          this.jobs.set(job, resolve);
          worker.postMessage({ job, queries });
        })
      : Promise.resolve('no background connection');
    const settled = ran.then(async (failed) => {
      if (failed === undefined) return;
      try {
        await this.fallback(queries);
      } catch (err) {
        this.opts.onError?.(
          new Error(`a deferred write failed in the background (${failed}) and on the writer`, { cause: err }),
        );
      }
    });
    this.flight = Promise.all([this.flight, settled]).then(() => undefined);
  }

  /** Resolves once every posted job has run. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.flight;
      await seen;
    } while (seen !== this.flight);
  }

  /** Runs `work` with checkpoints on the worker thread; overlapping calls share one worker. */
  async during<T>(work: (pace: () => Promise<void>) => Promise<T>): Promise<T> {
    this.hold();
    try {
      return await work(() => this.pace());
    } finally {
      await this.release();
    }
  }

  private hold(): void {
    this.holders++;
    if (this.holders > 1 || this.worker) return;
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: this.file,
        everyMs: this.opts.everyMs ?? 100,
        cacheKb: -(this.opts.cacheKb ?? 16 * 1024),
      },
      // A job holds one import batch's documents (a few MB of text).
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    this.worker = worker;
    this.sqlite.pragma('wal_autocheckpoint = 0');
    this.sqlite.pragma(`journal_size_limit = ${Math.floor(this.logBytes / 4)}`);
    const fail = (err: Error) => {
      // Back to the writer's own checkpoints: the log must not grow unchecked.
      if (this.worker === worker) this.detach();
      void worker.terminate();
      // Jobs still queued there run on the writer.
      for (const done of this.jobs.values()) done(err.message);
      this.jobs.clear();
      this.opts.onError?.(err);
    };
    worker.on('message', (m: Report) => {
      if (m.job !== undefined) {
        this.jobs.get(m.job)?.(m.failed);
        this.jobs.delete(m.job);
      } else if (m.error) fail(new Error(`background checkpoint failed: ${m.error}`));
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      if (this.jobs.size > 0) fail(new Error('the background connection exited'));
    });
  }

  private async release(): Promise<void> {
    this.holders--;
    if (this.holders > 0 || !this.worker) return;
    await this.idle();
    // Another bulk write may have started meanwhile.
    if (this.holders > 0 || !this.worker) return;
    const worker = this.detach();
    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (m: Report) => m.stopped && resolve());
      worker.once('exit', () => resolve());
      worker.once('error', () => resolve());
    });
    // Its last checkpoint, then it closes its connection.
    worker.postMessage('stop');
    await stopped;
    await worker.terminate();
  }

  /** Between two transactions: once the log is long, wait until the worker has copied all of it. */
  private async pace(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.logSize() < this.logBytes) return;
    const end = Date.now() + PACE_MS;
    while (this.worker === worker && Date.now() < end) {
      const r = await new Promise<Report>((resolve) => {
        const done = (m: Report) => {
          worker.off('message', on);
          worker.off('exit', gone);
          resolve(m);
        };
        const on = (m: Report) => (m.synced || m.error || m.stopped) && done(m);
        const gone = () => done({});
        worker.on('message', on);
        worker.once('exit', gone);
        worker.postMessage('sync');
      });
      // All copied: the next write starts the log over.
      if (r.log === undefined || r.done === r.log) break;
    }
  }

  private get logBytes(): number {
    return this.opts.logBytes ?? LOG_BYTES;
  }

  private logSize(): number {
    return statSync(this.file + '-wal', { throwIfNoEntry: false })?.size ?? 0;
  }

  private detach(): Worker {
    const worker = this.worker!;
    this.worker = null;
    this.sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT}`);
    this.sqlite.pragma(`journal_size_limit = ${JOURNAL_LIMIT}`);
    return worker;
  }
}
