import type { AuditLog } from '../audit/index.js';
import { withCompactHeap } from '../core/heap.js';
import { newId, nowIso } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { UnitOfWork } from '../db/index.js';
import type { Actor } from '../http/access.js';
import { Problem, problems } from '../http/problem.js';
import { searchKey, type PlacesService } from '../places/index.js';
import {
  CreateRecordSchema,
  type BulkFields,
  type BulkOutcome,
  type BulkRow,
  type RecordsBulk,
} from '../records/index.js';
import type { RightsService } from '../rights/index.js';
import type { BlobStore } from '../storage/index.js';
import { columnOf, FileProblem, mapRow, readHeader, type Header, type MappedRow } from './columns.js';
import { readCsv, type CsvRow } from './csv.js';
import { SeenIds } from './seen.js';
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
  rights: Map<string, { id: string; kind: string; retired: boolean }>;
  retired: Set<string>;
  places: Map<string, string | 'missing' | 'ambiguous'>;
}

interface Batch {
  header: Header;
  mapped: MappedRow[];
  /** The rows without errors, ready to write. */
  rows: BulkRow[];
  errors: RowError[];
  /** Lines of the rows that have errors. */
  invalid: Set<number>;
  lines: [number, number];
}

/** What the import of a batch needs: the checked rows, and what to report of the others. */
interface CheckedBatch {
  rows: BulkRow[];
  errors: RowError[];
  /** How many rows the batch had, and how many of them had errors. */
  total: number;
  invalid: number;
  lines: [number, number];
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
    for await (const batch of this.batches(job.file_sha256, refs)) {
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
  private async count(actor: Actor, batch: Batch, refs: References) {
    const outcomes = await this.deps.bulk.plan(actor, batch.rows, batch.header.given, {
      retiredRightIds: refs.retired,
    });
    const byLine = new Map(outcomes.map((o) => [o.line, o]));
    const preview: PreviewRow[] = [];
    for (const m of batch.mapped) {
      if (preview.length >= PREVIEW_ROWS) break;
      const o = byLine.get(m.line);
      preview.push({
        line: m.line,
        externalId: m.externalId,
        title: titleOf(m),
        action: batch.invalid.has(m.line) || !o ? 'error' : o.action,
      });
    }
    return {
      total: batch.mapped.length,
      invalid: batch.invalid.size + outcomes.filter((o) => o.action === 'error').length,
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
      for await (const { given, batch } of this.checkedBatches(refs, job.file_sha256)) {
        await this.deps.uow.run(async (tx) => {
          const outcomes = await this.deps.bulk.write(tx, actor, batch.rows, given, {
            retiredRightIds: refs.retired,
            note: `imported from ${job.filename}`,
            audit: {
              entityType: 'import',
              entityId: job.id,
              change: { sha256: job.file_sha256, filename: job.filename, lines: batch.lines, mode },
            },
          });
          // In `all` mode the check found no error; a row failing now met a change made since, and is left out.
          errors.add(sortErrors([...batch.errors, ...outcomeErrors(outcomes)]));
          counts.done += batch.total;
          counts.skipped += batch.invalid;
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
   * The batches to import: the file parsed and checked again. Keeping the checked rows from the dry run (as JSON
   * lines) cost more than this: writing, reading back and parsing them took about twice the CSV's own parsing and
   * validation (measured at 100,000 rows), and a copy of the file on disk.
   */
  private async *checkedBatches(
    refs: References,
    sha256: string,
  ): AsyncGenerator<{ given: BulkFields; batch: CheckedBatch }> {
    for await (const batch of this.batches(sha256, refs))
      yield {
        given: batch.header.given,
        batch: {
          rows: batch.rows,
          errors: batch.errors,
          total: batch.mapped.length,
          invalid: batch.invalid.size,
          lines: batch.lines,
        },
      };
  }

  /** The file's rows in batches: mapped, references resolved, validated with `CreateRecordSchema`. */
  private async *batches(sha256: string, refs: References): AsyncGenerator<Batch> {
    const size = this.deps.batchSize ?? IMPORT_BATCH;
    const seen = new SeenIds();
    let header: Header | undefined;
    let pending: CsvRow[] = [];
    for await (const row of readCsv(this.deps.blobs.open(sha256))) {
      if (!header) {
        header = readHeader(row.cells);
        continue;
      }
      pending.push(row);
      if (pending.length >= size) {
        yield await this.prepare(header, pending, refs, seen);
        pending = [];
      }
    }
    if (!header) throw new FileProblem('The file is empty: it needs a header row and at least one row.', 1);
    if (pending.length > 0) yield await this.prepare(header, pending, refs, seen);
  }

  private async prepare(header: Header, raw: CsvRow[], refs: References, seen: SeenIds): Promise<Batch> {
    const mapped = raw.map((r) => mapRow(header, r.cells, r.line));
    await this.resolvePlaces(
      refs,
      mapped.flatMap((m) => m.input.placeIds),
    );
    const rows: BulkRow[] = [];
    const errors: RowError[] = [];
    const invalid = new Set<number>();
    for (const m of mapped) {
      const rowErrors = [...m.errors];
      const { line } = m;
      if (m.externalId !== '') {
        const first = seen.firstOrAdd(m.externalId, line);
        if (first !== undefined)
          rowErrors.push({ line, column: 'external_id', reason: `repeats the external_id of line ${first}` });
      }
      const placeIds = m.input.placeIds.map((token) => {
        const id = refs.places.get(token);
        if (id === 'missing' || id === undefined)
          rowErrors.push({ line, column: 'places', reason: `no place with the id or name “${token}”` });
        else if (id === 'ambiguous')
          rowErrors.push({ line, column: 'places', reason: `several places are named “${token}”: use the place’s id` });
        return id ?? token;
      });
      const rightIds = m.input.rightIds.map((token) => {
        const right = refs.rights.get(token) ?? refs.rights.get(token.toUpperCase());
        if (!right) rowErrors.push({ line, column: 'rights', reason: `no right with the code or id “${token}”` });
        else if (right.kind !== 'right')
          rowErrors.push({ line, column: 'rights', reason: `${token} is a category: cite one of its rights` });
        return right?.id ?? token;
      });
      const parsed = CreateRecordSchema.safeParse({ ...m.input, placeIds, rightIds });
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          rowErrors.push({ line, column: columnOf(issue.path), reason: issue.message });
      if (rowErrors.length > 0 || !parsed.success) {
        invalid.add(line);
        errors.push(...dedupeErrors(rowErrors));
      } else rows.push({ line, externalId: m.externalId, data: parsed.data });
    }
    return {
      header,
      mapped,
      rows,
      errors,
      invalid,
      lines: [raw[0]!.line, raw[raw.length - 1]!.line],
    };
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
      let resolved: string | 'missing' | 'ambiguous' = 'missing';
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

function dedupeErrors(errors: RowError[]): RowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.column}\u0000${e.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function titleOf(m: MappedRow): string | null {
  for (const t of Object.values(m.input.texts)) if (t?.title) return t.title;
  return null;
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
