import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { newId, nowIso } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Executor } from '../db/index.js';
import type { JobRow, JobsRepository } from './repository.js';

/**
 * What a job does. It may run more than once (a crash after the work but before the job is marked done, a lease that
 * lapsed under a slow attempt): handlers must be idempotent, e.g. check whether their output already exists.
 */
export type JobHandler = (payload: unknown, ctx: { jobId: string; attempt: number }) => Promise<void>;

export interface EnqueueOptions {
  /** One job per key: enqueueing a key that already exists adds nothing. */
  dedupeKey?: string;
  /** Not before this instant (default: now). */
  runAfter?: Date;
  maxAttempts?: number;
}

export interface JobRunnerOptions {
  repo: JobsRepository;
  logger: Logger;
  /** How long a claimed job is ours without renewal (default 60 s); renewed every third of it while it runs. */
  leaseMs?: number;
  /** How often the started runner looks for due jobs (default 2 s). */
  pollMs?: number;
  /** Delay before retry n (1-based): base × 2^(n-1), capped at 1 hour. Default base 5 s. */
  backoffBaseMs?: number;
  /** Injected so that tests can move time past a lease or a backoff. */
  clock?: () => Date;
}

const BACKOFF_CAP_MS = 60 * 60 * 1000;

/**
 * An in-process worker over the `jobs` table. Each claim is a lease: a crashed worker's jobs come back once their lease
 * expires, and two processes never run the same attempt at once. `start()` polls; tests call `drain()`.
 */
export class JobRunner {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private active: Promise<number> | undefined;
  private stopped = false;
  private again = false;

  constructor(private readonly opts: JobRunnerOptions) {}

  private now(): Date {
    return (this.opts.clock ?? (() => new Date()))();
  }

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} already has a handler`);
    this.handlers.set(kind, handler);
  }

  /**
   * Adds a job, inside the caller's transaction when given one, so that the job exists exactly when the work it
   * follows up was committed. Returns whether a job was added (false: the dedupe key already exists).
   */
  async enqueue(ex: Executor, kind: string, payload: unknown, o: EnqueueOptions = {}): Promise<boolean> {
    const at = nowIso();
    return this.opts.repo.insert(ex, {
      id: newId(),
      kind,
      payload: JSON.stringify(payload ?? null),
      status: 'queued',
      attempts: 0,
      max_attempts: o.maxAttempts ?? 5,
      run_after: (o.runAfter ?? this.now()).toISOString(),
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
      dedupe_key: o.dedupeKey ?? null,
      created_at: at,
      updated_at: at,
      finished_at: null,
    });
  }

  /** Starts polling (web process). A kick after enqueue makes new work start at once. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 2000);
    this.timer.unref();
    this.kick();
  }

  get started(): boolean {
    return this.timer !== undefined;
  }

  /** Processes due jobs in the background, if started; a kick while busy makes the loop look once more. */
  kick(): void {
    if (!this.timer || this.stopped) return;
    if (this.active) {
      this.again = true;
      return;
    }
    this.active = this.drainLoop().finally(() => {
      this.active = undefined;
    });
  }

  private async drainLoop(): Promise<number> {
    let n = 0;
    do {
      this.again = false;
      n += await this.drain();
    } while (this.again && !this.stopped);
    return n;
  }

  /** Runs due jobs until none is left; returns how many attempts ran. */
  async drain(max = Infinity): Promise<number> {
    let ran = 0;
    while (ran < max && !this.stopped) {
      if (!(await this.runOne())) break;
      ran += 1;
    }
    return ran;
  }

  /** Claims and runs one due job; false when there was none to claim. */
  async runOne(): Promise<boolean> {
    const kinds = [...this.handlers.keys()];
    const now = this.now();
    for (const { id } of await this.opts.repo.candidates(now.toISOString(), kinds, 5)) {
      const job = await this.opts.repo.claim(id, this.owner, now.toISOString(), this.leaseUntil(now));
      if (!job) continue; // another worker got it
      await this.run(job);
      return true;
    }
    return false;
  }

  private leaseUntil(from: Date): string {
    return new Date(from.getTime() + (this.opts.leaseMs ?? 60_000)).toISOString();
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const leaseMs = this.opts.leaseMs ?? 60_000;
    const renew = setInterval(() => {
      const n = this.now();
      this.opts.repo.renew(job.id, this.owner, this.leaseUntil(n), n.toISOString()).catch((err: unknown) => {
        this.opts.logger.warn({ err, job: job.id }, 'job lease renewal failed');
      });
    }, leaseMs / 3);
    renew.unref();
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(JSON.parse(job.payload) as unknown, { jobId: job.id, attempt: job.attempts });
      clearInterval(renew);
      const at = nowIso();
      await this.opts.repo.finish(job.id, this.owner, {
        status: 'done',
        run_after: job.run_after,
        last_error: null,
        finished_at: at,
        updated_at: at,
      });
    } catch (err) {
      clearInterval(renew);
      const message = err instanceof Error ? err.message : String(err);
      const final = job.attempts >= job.max_attempts;
      const base = this.opts.backoffBaseMs ?? 5000;
      const delay = Math.min(BACKOFF_CAP_MS, base * 2 ** (job.attempts - 1));
      const at = nowIso();
      this.opts.logger.warn({ job: job.id, kind: job.kind, attempt: job.attempts, final, err: message }, 'job failed');
      await this.opts.repo.finish(job.id, this.owner, {
        status: final ? 'failed' : 'queued',
        run_after: new Date(this.now().getTime() + delay).toISOString(),
        last_error: message.slice(0, 2000),
        finished_at: final ? at : null,
        updated_at: at,
      });
    }
  }

  /** Stops polling and waits for the attempt in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.active;
  }

  get(id: string) {
    return this.opts.repo.get(id);
  }

  byDedupeKey(key: string) {
    return this.opts.repo.byDedupeKey(key);
  }

  counts() {
    return this.opts.repo.counts();
  }
}
