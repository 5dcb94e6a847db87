import type { AuditLog } from '../audit/index.js';
import { withCompactHeap } from '../core/heap.js';
import { newId, nowIso } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { Problem, problems } from '../http/problem.js';
import { searchKey, type PlacesService } from '../places/index.js';
import { type BulkOutcome, type RecordsBulk } from '../records/index.js';
import type { RightsService } from '../rights/index.js';
import type { BlobStore } from '../storage/index.js';
import { columnOf, FileProblem } from './columns.js';
import { checkRows, type CheckedBatch, type PlaceRef, type RightRef } from './reader.js';
import type { ImportJobRow, TransferRepository } from './repository.js';
import {
  ERRORS_KEPT,
  PREVIEW_ROWS,
  type ImportJob,
  type ImportMode,
  type ImportStatus,
  type PreviewRow,
  type RowError,
} from './schema.js';

export interface ImportServiceDeps {
  repo: TransferRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  blobs: BlobStore;
  bulk: RecordsBulk;
  places: Pick<PlacesService, 'get' | 'list'>;
  rights: Pick<RightsService, 'tree'>;
  logger: Logger;
  /** Rows per transaction (default `IMPORT_BATCH`): a batch holds SQLite's one writer for about a second. */
  batchSize?: number;
  /** Largest file accepted (default 2 GiB). */
  maxBytes?: number;
  /** Runs the writing of an import as bulk writes (`DatabaseHandle.bulkWrites`); as is when not given. */
  bulkWrites?: <T>(work: (pace: () => Promise<void>) => Promise<T>) => Promise<T>;
}

/** The references of an import, looked up once per file and cached: a million rows cite the same few places. */
interface References {
  rights: Map<string, RightRef>;
  retired: Set<string>;
  places: Map<string, PlaceRef>;
}

/** Rows per batch (one transaction each) unless configured. */
export const IMPORT_BATCH = 2500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACE_CACHE_MAX = 100_000;

/** Row errors counted in full, kept up to a cap. */
class ErrorLog {
  kept: RowError[] = [];
  count = 0;
  add(errors: RowError[]) {
    this.count += errors.length;
    for (const e of errors) if (this.kept.length < ERRORS_KEPT) this.kept.push(e);
  }
}

/**
 * CSV import of records. An upload is kept under its SHA-256 and checked at once (the dry run: every row parsed,
 * validated with the records schema and matched against the register, nothing written); the import then re-reads
 * the same file and writes it in batches, each batch one transaction with its audit entry and the job's progress.
 * The import runs in this process, in the background; a job cut short by a restart stays `importing`, and importing
 * the file again finishes it (rows already imported are unchanged).
 */
export class ImportService {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: ImportServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  /** Keeps the file and checks it. A file that cannot be read as CSV (encoding, quoting, headers) is a 422. */
  async upload(
    actor: Actor,
    input: {
      filename: string;
      body: AsyncIterable<Uint8Array>;
      mode?: 'dry-run' | ImportMode;
      /** Rows checked so far, after each batch (the CLI's progress bar). */
      onProgress?: (rows: number) => void;
    },
  ): Promise<ImportJob> {
    const stored = await this.deps.blobs.put(input.body, { maxBytes: this.deps.maxBytes ?? 2 * 1024 ** 3 });
    const at = nowIso();
    const job: ImportJobRow = {
      id: newId(),
      actor_id: actor.userId,
      kind: 'records',
      filename: input.filename,
      file_sha256: stored.sha256,
      file_size: stored.size,
      status: 'checking',
      mode: null,
      rows_total: 0,
      rows_invalid: 0,
      rows_to_create: 0,
      rows_to_update: 0,
      rows_done: 0,
      rows_created: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      rows_skipped: 0,
      errors: '[]',
      error_count: 0,
      preview: '[]',
      failure: null,
      created_at: at,
      updated_at: at,
      finished_at: null,
    };
    await this.deps.uow.run(async (tx) => {
      await this.repo.insert(tx, job);
      await this.deps.audit.record(tx, {
        actorId: actor.userId,
        action: 'imports.upload',
        entityType: 'import',
        entityId: job.id,
        change: { filename: job.filename, sha256: job.file_sha256, size: job.file_size },
      });
    });
    try {
      await withCompactHeap(() => this.check(job, actor, input.onProgress));
    } catch (err) {
      if (!(err instanceof FileProblem)) throw err;
      await this.reject(job, err);
      throw new Problem(422, 'invalid-file', err.message, {
        errors: [{ path: err.line === null ? '(file)' : `line ${err.line}`, message: err.message }],
      });
    }
    if (input.mode === 'all' || input.mode === 'valid') return this.commit(actor, job.id, input.mode);
    return this.get(actor, job.id);
  }

  /** Starts the import of a checked file; `all` is refused while any row has an error. */
  async commit(actor: Actor, id: string, mode: ImportMode): Promise<ImportJob> {
    const job = await this.own(actor, id);
    if (job.status !== 'checked')
      throw new Problem(409, 'not-checked', `This import is ${job.status}: only a checked file can be imported.`);
    if (mode === 'all' && job.rows_invalid > 0) {
      const errors = JSON.parse(job.errors) as RowError[];
      throw problems.validation(
        errors.slice(0, 100).map((e) => ({ path: `line ${e.line}, ${e.column}`, message: e.reason })),
        `${job.rows_invalid} of ${job.rows_total} rows have errors, so nothing was imported: fix them, or import ` +
          'only the valid rows.',
      );
    }
    const started: ImportJobRow = {
      ...job,
      status: 'importing',
      mode,
      errors: '[]',
      error_count: 0,
      updated_at: nowIso(),
    };
    const moved = await this.deps.uow.run(async (tx) => {
      const { status, errors, error_count, updated_at } = started;
      const ok = await this.repo.move(tx, id, 'checked', { status, mode, errors, error_count, updated_at });
      if (ok)
        await this.deps.audit.record(tx, {
          actorId: actor.userId,
          action: 'imports.commit',
          entityType: 'import',
          entityId: id,
          change: { mode, sha256: job.file_sha256 },
        });
      return ok;
    });
    if (!moved) throw new Problem(409, 'not-checked', 'This import has already started.');
    const bulk = this.deps.bulkWrites ?? ((work) => work(() => Promise.resolve()));
    const task = withCompactHeap(() => bulk((pace) => this.run({ ...job, mode }, actor, mode, pace)))
      .catch((err: unknown) => this.deps.logger.error({ err, job: id }, 'import failed'))
      .finally(() => this.running.delete(id));
    this.running.set(id, task);
    // As it was when it started: it may be done already by the time the caller reads it again.
    return view(started);
  }

  async get(actor: Actor, id: string): Promise<ImportJob> {
    return view(await this.own(actor, id));
  }

  /** Resolves when the job's background import (if any) has ended: for the CLI and tests. */
  async finished(id: string): Promise<void> {
    await this.running.get(id);
  }

  // Internals.

  /** A job is its importer's: anyone else is told it does not exist (its preview quotes the file). */
  private async own(actor: Actor, id: string): Promise<ImportJobRow> {
    const job = await this.repo.find(id);
    if (!job || job.actor_id !== actor.userId) throw problems.notFound('No such import.');
    return job;
  }

  /** The dry run: every row read, validated and matched; counts, errors and a preview kept with the job. */
  private async check(job: ImportJobRow, actor: Actor, onProgress?: (rows: number) => void): Promise<void> {
    const errors = new ErrorLog();
    const preview: PreviewRow[] = [];
    let total = 0;
    let invalid = 0;
    let toCreate = 0;
    let toUpdate = 0;
    const refs = await this.references();
    for await (const batch of this.read(job, refs)) {
      const counted = await this.count(actor, batch, refs);
      total += counted.total;
      invalid += counted.invalid;
      toCreate += counted.toCreate;
      toUpdate += counted.toUpdate;
      errors.add(counted.errors);
      onProgress?.(total);
      for (const p of counted.preview) if (preview.length < PREVIEW_ROWS) preview.push(p);
    }
    await this.deps.uow.run((tx) =>
      this.repo.update(tx, job.id, {
        status: 'checked',
        rows_total: total,
        rows_invalid: invalid,
        rows_to_create: toCreate,
        rows_to_update: toUpdate,
        errors: JSON.stringify(errors.kept),
        error_count: errors.count,
        preview: JSON.stringify(preview),
        updated_at: nowIso(),
      }),
    );
  }

  /** One batch of the dry run: what it would do, its errors, and its rows for the preview. */
  private async count(actor: Actor, batch: CheckedBatch, refs: References) {
    const outcomes = await this.deps.bulk.plan(actor, batch.rows, batch.given, {
      retiredRightIds: refs.retired,
    });
    const byLine = new Map(outcomes.map((o) => [o.line, o]));
    const invalid = new Set(batch.invalid);
    const preview: PreviewRow[] = batch.preview.map((p) => {
      const o = byLine.get(p.line);
      return { ...p, action: invalid.has(p.line) || !o ? 'error' : o.action };
    });
    return {
      total: batch.total,
      invalid: batch.invalid.length + outcomes.filter((o) => o.action === 'error').length,
      toCreate: outcomes.filter((o) => o.action === 'create').length,
      toUpdate: outcomes.filter((o) => o.action === 'update').length,
      errors: sortErrors([...batch.errors, ...outcomeErrors(outcomes)]),
      preview,
    };
  }

  private async reject(job: ImportJobRow, problem: FileProblem): Promise<void> {
    await this.deps.uow.run((tx) =>
      this.repo.update(tx, job.id, {
        status: 'rejected',
        failure: problem.message,
        updated_at: nowIso(),
        finished_at: nowIso(),
      }),
    );
    if (!(await this.repo.fileInUse(job.file_sha256, job.id))) await this.deps.blobs.delete(job.file_sha256);
  }

  /** The import proper: batch by batch, each written with its audit entry and the job's progress in one transaction. */
  private async run(job: ImportJobRow, actor: Actor, mode: ImportMode, pace: () => Promise<void>): Promise<void> {
    const errors = new ErrorLog();
    const counts = { done: 0, created: 0, updated: 0, unchanged: 0, skipped: 0 };
    try {
      const refs = await this.references();
      for await (const batch of this.read(job, refs)) {
        const opts = {
          retiredRightIds: refs.retired,
          note: `imported from ${job.filename}`,
          audit: {
            entityType: 'import',
            entityId: job.id,
            change: { sha256: job.file_sha256, filename: job.filename, lines: batch.lines, mode },
          },
        };
        // Decided and built before the transaction, while the background connection may still index the last
        // batch; the write checks that it still holds.
        const prepared = await this.deps.bulk.prepare(actor, batch.rows, batch.given, opts);
        await this.deps.uow.run(async (tx) => {
          const outcomes = await this.deps.bulk.write(tx, actor, batch.rows, batch.given, opts, prepared);
          // In `all` mode the check found no error; a row failing now met a change made since, and is left out.
          errors.add(sortErrors([...batch.errors, ...outcomeErrors(outcomes)]));
          counts.done += batch.total;
          counts.skipped += batch.invalid.length;
          for (const o of outcomes)
            if (o.action === 'create') counts.created++;
            else if (o.action === 'update') counts.updated++;
            else if (o.action === 'unchanged') counts.unchanged++;
            else counts.skipped++;
          await this.repo.update(tx, job.id, {
            rows_done: counts.done,
            rows_created: counts.created,
            rows_updated: counts.updated,
            rows_unchanged: counts.unchanged,
            rows_skipped: counts.skipped,
            errors: JSON.stringify(errors.kept),
            error_count: errors.count,
            updated_at: nowIso(),
          });
        });
        await pace();
      }
      await this.finish(job.id, 'done', null);
    } catch (err) {
      const message =
        err instanceof FileProblem || err instanceof Problem
          ? err.message
          : 'The import stopped on an unexpected error (logged on the server). Rows imported so far stay; ' +
            'importing the file again finishes the rest.';
      await this.finish(job.id, 'failed', message);
      throw err;
    }
  }

  private async finish(id: string, status: ImportStatus, failure: string | null): Promise<void> {
    const at = nowIso();
    await this.deps.uow.run((tx) => this.repo.update(tx, id, { status, failure, updated_at: at, finished_at: at }));
  }

  /**
   * The file's rows in checked batches, for the dry run and again for the import: keeping the dry run's rows (as JSON
   * lines) cost more than checking the file again (measured at 300,000 rows), and a copy of the file on disk.
   */
  private read(job: ImportJobRow, refs: References): AsyncGenerator<CheckedBatch> {
    return checkRows(this.deps.blobs.open(job.file_sha256), {
      size: this.deps.batchSize ?? IMPORT_BATCH,
      previewRows: PREVIEW_ROWS,
      rights: refs.rights,
      resolvePlaces: async (tokens) => {
        await this.resolvePlaces(refs, tokens);
        return refs.places;
      },
    });
  }

  private async references(): Promise<References> {
    const rights: References['rights'] = new Map();
    const retired = new Set<string>();
    for (const category of await this.deps.rights.tree({ includeRetired: true }))
      for (const node of [category, ...category.children]) {
        const entry = { id: node.id, kind: node.kind, retired: node.retiredAt !== null };
        rights.set(node.id, entry);
        rights.set(node.code.toUpperCase(), entry);
        if (entry.retired) retired.add(node.id);
      }
    return { rights, retired, places: new Map() };
  }

  /** Place tokens not seen before: an id if it is one, else a name, matched whole across scripts and accents. */
  private async resolvePlaces(refs: References, tokens: string[]): Promise<void> {
    for (const token of new Set(tokens)) {
      if (refs.places.has(token)) continue;
      if (refs.places.size >= PLACE_CACHE_MAX) refs.places.clear();
      let resolved: PlaceRef = 'missing';
      if (UUID.test(token)) {
        try {
          resolved = (await this.deps.places.get(token)).id;
        } catch (err) {
          if (!(err instanceof Problem && err.status === 404)) throw err;
        }
      }
      if (resolved === 'missing') {
        const key = searchKey(token);
        const matches = key
          ? (await this.deps.places.list({ q: token, limit: 50 })).filter(
              (p) => searchKey(p.name) === key || (p.matchedName !== null && searchKey(p.matchedName) === key),
            )
          : [];
        if (matches.length === 1) resolved = matches[0]!.id;
        else if (matches.length > 1) resolved = 'ambiguous';
      }
      refs.places.set(token, resolved);
    }
  }
}

function outcomeErrors(outcomes: BulkOutcome[]): RowError[] {
  return outcomes.flatMap((o) =>
    o.action === 'error' ? o.errors.map((e) => ({ line: o.line, column: columnOf(e.path), reason: e.message })) : [],
  );
}

function sortErrors(errors: RowError[]): RowError[] {
  return errors.sort((a, b) => a.line - b.line);
}

function view(r: ImportJobRow): ImportJob {
  return {
    id: r.id,
    kind: 'records',
    filename: r.filename,
    sha256: r.file_sha256,
    size: r.file_size,
    status: r.status as ImportStatus,
    mode: r.mode as ImportMode | null,
    rows: {
      total: r.rows_total,
      invalid: r.rows_invalid,
      toCreate: r.rows_to_create,
      toUpdate: r.rows_to_update,
      done: r.rows_done,
      created: r.rows_created,
      updated: r.rows_updated,
      unchanged: r.rows_unchanged,
      skipped: r.rows_skipped,
    },
    errors: JSON.parse(r.errors) as RowError[],
    errorCount: r.error_count,
    preview: JSON.parse(r.preview) as PreviewRow[],
    failure: r.failure,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}
