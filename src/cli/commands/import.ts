import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { allows, type Actor } from '../../lib/server/http/access.js';
import type { Platform } from '../../lib/server/platform.js';
import type { ImportJob } from '../../lib/server/transfer/index.js';
import { optionalString, requireString, type Values } from '../command.js';
import { createContext, withPlatform, type CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';

const FORMATS = ['csv', 'json', 'geojson'] as const;
const FILTERS = ['q', 'status', 'confidentiality', 'verification', 'right', 'place', 'tag', 'from', 'to'] as const;
const ERRORS_SHOWN = 20;

/** `import records FILE --as EMAIL`: the same check and import as the web page, attributed to that account. */
export async function importRecords(values: Values): Promise<number> {
  const [file] = values.positionals as string[];
  const email = requireString(values, 'as');
  const dryRun = values['dry-run'] === true;
  const validOnly = values['valid-only'] === true;
  if (dryRun && validOnly) throw new UsageError('--dry-run and --valid-only do not go together');
  if (
    !(await stat(file!).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new CliError(`cannot read ${file}`);

  const ctx = createContext();
  return withPlatform(ctx, async (p) => {
    const actor = await actorFor(p, email, 'records:import');
    const bar = new ProgressBar('checking');
    const job = await p.imports
      .upload(actor, {
        filename: path.basename(file!),
        body: createReadStream(file!),
        mode: 'dry-run',
        onProgress: (rows) => bar.update(rows, 0, 'rows'),
      })
      .finally(() => bar.end());
    report(job);
    if (dryRun) {
      console.log(`checked ${job.filename}: import ${job.id}, nothing written`);
      return job.rows.invalid > 0 ? 1 : 0;
    }
    if (job.rows.invalid > 0 && !validOnly) {
      console.error(
        `corridor: ${job.rows.invalid} of ${job.rows.total} rows have errors, so nothing was imported; ` +
          'fix them, or pass --valid-only to import the others',
      );
      return 1;
    }
    await p.imports.commit(actor, job.id, validOnly ? 'valid' : 'all');
    const done = await follow(p, actor, job.id);
    const r = done.rows;
    console.log(
      `${done.status}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped ` +
        `(import ${done.id})`,
    );
    if (done.status !== 'done') throw new CliError(done.failure ?? `the import ended ${done.status}`);
    return 0;
  });
}

/** `export records --as EMAIL`: the file the web export gives that account, on stdout. */
export async function exportRecords(values: Values): Promise<number> {
  const email = requireString(values, 'as');
  const format = optionalString(values, 'format') ?? 'csv';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format: "${format}" is not one of ${FORMATS.join(', ')}`);
  const query: Record<string, string> = { format };
  for (const f of FILTERS) {
    const v = optionalString(values, f);
    if (v !== undefined) query[f] = v;
  }
  // Logs on stderr: stdout is the file.
  const ctx: CliContext = createContext(2);
  return withPlatform(ctx, async (p) => {
    const actor = await actorFor(p, email, 'register:read');
    const file = await p.exports.export(actor, query);
    await pipeline(Readable.fromWeb(file.body as NodeReadableStream<Uint8Array>), process.stdout);
    return 0;
  });
}

async function actorFor(p: Platform, email: string, permission: 'records:import' | 'register:read'): Promise<Actor> {
  const user = await p.accounts.findUserByEmail(email);
  if (!user || user.deactivatedAt !== null) throw new CliError(`no active user with email ${email}`);
  const actor: Actor = { userId: user.id, role: user.role, via: 'token', pendingSecondFactor: false };
  if (!allows(actor, permission)) throw new CliError(`${email} is a ${user.role}, who may not do this`);
  return actor;
}

/** Polls the job as the web page does, drawing its progress, until the background import ends. */
async function follow(p: Platform, actor: Actor, id: string): Promise<ImportJob> {
  const bar = new ProgressBar('importing');
  let ended = false;
  const finished = p.imports.finished(id).finally(() => (ended = true));
  try {
    while (!ended) {
      const job = await p.imports.get(actor, id);
      bar.update(job.rows.done, job.rows.total, 'rows');
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 250))]);
    }
    await finished;
    const job = await p.imports.get(actor, id);
    bar.update(job.rows.done, job.rows.total, 'rows');
    return job;
  } finally {
    bar.end();
  }
}

function report(job: ImportJob): void {
  const r = job.rows;
  if (job.status === 'checked')
    console.error(`${r.total} rows: ${r.toCreate} to create, ${r.toUpdate} to update, ${r.invalid} with errors`);
  for (const e of job.errors.slice(0, ERRORS_SHOWN)) console.error(`  line ${e.line}, ${e.column}: ${e.reason}`);
  if (job.errorCount > ERRORS_SHOWN) console.error(`  … and ${job.errorCount - ERRORS_SHOWN} more`);
}

/** On a terminal, one line redrawn in place; otherwise (a log, CI) a line every few seconds. */
class ProgressBar {
  private readonly tty = process.stderr.isTTY === true;
  private readonly started = performance.now();
  private lastLine = 0;
  private drawn = false;

  constructor(private readonly label: string) {}

  /** `total` 0: not known yet (the check counts the rows as it reads them). */
  update(done: number, total: number, unit: 'rows'): void {
    const now = performance.now();
    const last = total > 0 && done >= total;
    if (!last && now - this.lastLine < (this.tty ? 100 : 5000)) return;
    this.lastLine = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const filled = Math.round(share * width);
    const rate = Math.round(done / Math.max(0.001, (now - this.started) / 1000));
    const of = total > 0 ? `/${total.toLocaleString('en')}` : '';
    const amount = `${done.toLocaleString('en')}${of} ${unit}, ${rate.toLocaleString('en')} ${unit}/s`;
    const bar = total > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}%` : '';
    const line = `${this.label}${bar} ${amount}`;
    if (this.tty) process.stderr.write(`\r${line}\u001b[K`);
    else process.stderr.write(`${line}\n`);
    this.drawn = true;
  }

  end(): void {
    if (this.tty && this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }
}
