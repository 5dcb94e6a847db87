import { CreateRecordSchema, type BulkFields, type BulkRow } from '../records/index.js';
import { columnOf, FileProblem, mapRow, readHeader, type Header, type MappedRow } from './columns.js';
import { readCsv, type CsvRow } from './csv.js';
import type { RowError } from './schema.js';
import { SeenIds } from './seen.js';

/**
 * A file's rows, checked in batches: parsed, mapped by header, references resolved, validated with the records
 * schema, and repeated external ids found. Nothing here reads the database: places are resolved by the caller
 * (`resolvePlaces`) and rights are given, and a batch carries only what the dry run and the import use (a batch's
 * mapped cells are dropped once checked).
 */

/** A place token resolved: a place's id, or why not. */
export type PlaceRef = string | 'missing' | 'ambiguous';

export interface RightRef {
  id: string;
  kind: string;
  retired: boolean;
}

/** A batch as checked: what the dry run and the import need of it, and nothing bulkier. */
export interface CheckedBatch {
  given: BulkFields;
  /** The rows without errors, ready to write. */
  rows: BulkRow[];
  errors: RowError[];
  /** How many rows the batch had. */
  total: number;
  /** Lines of the rows that have errors. */
  invalid: number[];
  lines: [number, number];
  /** The batch's first rows as the preview shows them (its first `previewRows`). */
  preview: { line: number; externalId: string; title: string | null }[];
}

export interface ReadOptions {
  /** Rows per batch. */
  size: number;
  /** Rows of each batch kept for the preview. */
  previewRows: number;
  /** Rights by id and by upper-case code. */
  rights: ReadonlyMap<string, RightRef>;
  /** Resolves place tokens: the map it returns holds at least every token asked. */
  resolvePlaces: (tokens: string[]) => Promise<ReadonlyMap<string, PlaceRef>>;
}

export async function* checkRows(source: AsyncIterable<Uint8Array>, opts: ReadOptions): AsyncGenerator<CheckedBatch> {
  const seen = new SeenIds();
  let header: Header | undefined;
  let pending: CsvRow[] = [];
  for await (const row of readCsv(source)) {
    if (!header) {
      header = readHeader(row.cells);
      continue;
    }
    pending.push(row);
    if (pending.length >= opts.size) {
      yield await check(header, pending, opts, seen);
      pending = [];
    }
  }
  if (!header) throw new FileProblem('The file is empty: it needs a header row and at least one row.', 1);
  if (pending.length > 0) yield await check(header, pending, opts, seen);
}

async function check(header: Header, raw: CsvRow[], opts: ReadOptions, seen: SeenIds): Promise<CheckedBatch> {
  const mapped = raw.map((r) => mapRow(header, r.cells, r.line));
  const places = await opts.resolvePlaces([...new Set(mapped.flatMap((m) => m.input.placeIds))]);
  const rows: BulkRow[] = [];
  const errors: RowError[] = [];
  const invalid: number[] = [];
  for (const m of mapped) {
    const rowErrors = [...m.errors];
    const { line } = m;
    if (m.externalId !== '') {
      const first = seen.firstOrAdd(m.externalId, line);
      if (first !== undefined)
        rowErrors.push({ line, column: 'external_id', reason: `repeats the external_id of line ${first}` });
    }
    const placeIds = m.input.placeIds.map((token) => {
      const id = places.get(token);
      if (id === 'missing' || id === undefined)
        rowErrors.push({ line, column: 'places', reason: `no place with the id or name “${token}”` });
      else if (id === 'ambiguous')
        rowErrors.push({ line, column: 'places', reason: `several places are named “${token}”: use the place’s id` });
      return id ?? token;
    });
    const rightIds = m.input.rightIds.map((token) => {
      const right = opts.rights.get(token) ?? opts.rights.get(token.toUpperCase());
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
      invalid.push(line);
      errors.push(...dedupeErrors(rowErrors));
    } else rows.push({ line, externalId: m.externalId, data: parsed.data });
  }
  return {
    given: header.given,
    rows,
    errors,
    total: mapped.length,
    invalid,
    lines: [raw[0]!.line, raw[raw.length - 1]!.line],
    preview: mapped
      .slice(0, opts.previewRows)
      .map((m) => ({ line: m.line, externalId: m.externalId, title: titleOf(m) })),
  };
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
