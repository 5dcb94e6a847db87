import {
  AFFECTED_GROUPS,
  LANGS,
  type AffectedGroup,
  type BulkField,
  type BulkFields,
  type CreateRecordInput,
  type Lang,
} from '../records/index.js';
import type { RowError } from './schema.js';

/**
 * The CSV columns of a record, by header name (docs/import.md). One row is one record; list cells separate their
 * items with `;`, and a responsible actor is `name|attribution`.
 */

const TEXT_FIELDS = ['title', 'summary', 'description', 'translation_status'] as const;
const TEXT_KEYS = {
  title: 'title',
  summary: 'summary',
  description: 'description',
  translation_status: 'translationStatus',
};

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const AFFECTED_COLUMNS = Object.fromEntries(AFFECTED_GROUPS.map((g) => [`affected_${snake(g)}`, g])) as Record<
  string,
  AffectedGroup
>;

/** Column → the record field it fills (besides texts and counts). */
const FIELD_COLUMNS = {
  start_date: 'startDate',
  start_precision: 'startPrecision',
  end_date: 'endDate',
  end_precision: 'endPrecision',
  ongoing: 'ongoing',
  violation_type: 'violationType',
  places: 'placeIds',
  rights: 'rightIds',
  tags: 'tags',
  responsible: 'responsible',
  verification: 'verification',
  verification_note: 'verificationNote',
  confidentiality: 'confidentiality',
} as const satisfies Record<string, BulkField | 'verificationNote'>;

/** Written by an export, ignored by an import: so that an exported file can be edited and imported again. */
export const EXPORT_ONLY_COLUMNS = ['id', 'code', 'status', 'created_at', 'updated_at', 'published_at'] as const;

export const IMPORT_COLUMNS: string[] = [
  'external_id',
  ...LANGS.flatMap((l) => TEXT_FIELDS.map((f) => `${f}_${l}`)),
  ...Object.keys(FIELD_COLUMNS).filter((c) => !c.startsWith('verification') && c !== 'confidentiality'),
  ...Object.keys(AFFECTED_COLUMNS),
  'verification',
  'verification_note',
  'confidentiality',
];

export const LIST_SEPARATOR = ';';
export const RESPONSIBLE_SEPARATOR = '|';

/** A whole-file problem: nothing of the file is imported. */
export class FileProblem extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

export interface Header {
  columns: string[];
  at: Map<string, number>;
  given: BulkFields;
}

/** Checks the header row: every column known, none twice, an external_id, and a title and summary in some language. */
export function readHeader(cells: string[]): Header {
  const columns = cells.map((c) => c.trim().toLowerCase());
  const known = new Set<string>([...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS]);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new FileProblem(
      `Unknown columns: ${unknown.map((c) => (c === '' ? '(empty)' : c)).join(', ')}. Known columns: ${IMPORT_COLUMNS.join(', ')}.`,
      1,
    );
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (twice.length > 0) throw new FileProblem(`Columns given twice: ${[...new Set(twice)].join(', ')}.`, 1);
  const at = new Map(columns.map((c, i) => [c, i]));
  if (!at.has('external_id')) throw new FileProblem('The external_id column is required: it identifies each row.', 1);
  const langs = new Set(LANGS.filter((l) => TEXT_FIELDS.some((f) => at.has(`${f}_${l}`))));
  for (const l of langs)
    if (!at.has(`title_${l}`) || !at.has(`summary_${l}`))
      throw new FileProblem(`Columns of language ${l} need both title_${l} and summary_${l}.`, 1);
  if (langs.size === 0)
    throw new FileProblem('Give the title and summary in at least one language (e.g. title_en, summary_en).', 1);
  const fields = new Set<BulkField>();
  for (const [column, field] of Object.entries(FIELD_COLUMNS))
    if (at.has(column) && field !== 'verificationNote') fields.add(field);
  if (Object.keys(AFFECTED_COLUMNS).some((c) => at.has(c))) fields.add('affected');
  return { columns, at, given: { langs, fields } };
}

/** A row's cells as an input for `CreateRecordSchema`, with places and rights still as written (names, codes). */
export interface MappedRow {
  line: number;
  externalId: string;
  input: CreateRecordInput & { placeIds: string[]; rightIds: string[] };
  errors: RowError[];
}

const BOOLEAN: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const INTEGER = /^\d{1,12}$/;
const DATE_PRECISION: Record<number, 'year' | 'month' | 'day'> = { 4: 'year', 7: 'month', 10: 'day' };

/** Where each column a row is read from sits in the header's order: worked out once per file, not per row. */
interface Layout {
  externalId: number;
  texts: [Lang, [string, number][]][];
  fields: [BulkField | 'verificationNote', number][];
  affected: [AffectedGroup, number][];
}
const layouts = new WeakMap<Header, Layout>();

function layoutOf(header: Header): Layout {
  let l = layouts.get(header);
  if (l) return l;
  const at = (column: string) => header.at.get(column) ?? -1;
  l = {
    externalId: at('external_id'),
    texts: [...header.given.langs].map((lang) => [
      lang,
      TEXT_FIELDS.map((f): [string, number] => [TEXT_KEYS[f], at(`${f}_${lang}`)]),
    ]),
    fields: Object.entries(FIELD_COLUMNS).map(([column, field]) => [field, at(column)]),
    affected: Object.entries(AFFECTED_COLUMNS).map(([column, group]) => [group, at(column)]),
  };
  layouts.set(header, l);
  return l;
}

export function mapRow(header: Header, cells: string[], line: number): MappedRow {
  const errors: RowError[] = [];
  const layout = layoutOf(header);
  const cell = (i: number): string | undefined => {
    if (i < 0) return undefined;
    const v = cells[i]?.trim();
    return v === '' ? undefined : v;
  };
  const list = (i: number) => {
    const v = cell(i);
    if (v === undefined) return [];
    const out: string[] = [];
    for (const s of v.split(LIST_SEPARATOR)) {
      const t = s.trim();
      if (t !== '') out.push(t);
    }
    return out;
  };
  const externalId = cell(layout.externalId) ?? '';
  if (cells.length !== header.columns.length)
    errors.push({
      line,
      column: '(row)',
      reason: `expected ${header.columns.length} fields, found ${cells.length}`,
    });
  if (externalId === '') errors.push({ line, column: 'external_id', reason: 'required' });
  else if (externalId.length > 200) errors.push({ line, column: 'external_id', reason: 'at most 200 characters' });

  const texts: Record<string, Record<string, string>> = {};
  for (const [lang, fields] of layout.texts) {
    let t: Record<string, string> | undefined;
    for (const [key, i] of fields) {
      const v = cell(i);
      if (v !== undefined) (t ??= {})[key] = v;
    }
    // A language left empty on this row is absent from the record; half a language is an error (title, summary).
    if (t) texts[lang] = t;
  }

  const input: Record<string, unknown> = { texts };
  for (const [field, i] of layout.fields) {
    if (field === 'placeIds' || field === 'rightIds' || field === 'tags') {
      input[field] = list(i);
      continue;
    }
    const v = cell(i);
    if (v === undefined) continue;
    if (field === 'ongoing') input[field] = BOOLEAN[v.toLowerCase()] ?? v;
    else if (field === 'responsible')
      input[field] = v
        .split(LIST_SEPARATOR)
        .filter((s) => s.trim() !== '')
        .map((s) => {
          const [name = '', ...rest] = s.split(RESPONSIBLE_SEPARATOR);
          return { name, attribution: rest.join(RESPONSIBLE_SEPARATOR) };
        });
    else if (
      field.endsWith('Precision') ||
      field === 'violationType' ||
      field === 'verification' ||
      field === 'confidentiality'
    )
      input[field] = v.toLowerCase();
    else input[field] = v;
  }
  // A date without a precision has the precision of its form: 2023 a year, 2023-09 a month, 2023-09-19 a day.
  for (const side of ['start', 'end'] as const) {
    const date = input[`${side}Date`];
    if (typeof date === 'string' && input[`${side}Precision`] === undefined && DATE_PRECISION[date.length])
      input[`${side}Precision`] = DATE_PRECISION[date.length];
  }
  let affected: Record<string, unknown> | undefined;
  for (const [group, i] of layout.affected) {
    const v = cell(i);
    if (v !== undefined) (affected ??= {})[group] = INTEGER.test(v) ? Number(v) : v;
  }
  if (affected) input.affected = affected;
  return { line, externalId, input: input as MappedRow['input'], errors };
}

/** A field path of the records API (`texts.en.title`, `rightIds.2`, `affected.children`) as the CSV column. */
export function columnOf(path: PropertyKey[] | string): string {
  const p = typeof path === 'string' ? path.split('.') : path.map(String);
  const [head = '', a, b] = p;
  if (head === 'texts') {
    if (a === undefined) return 'title_*';
    const f = b === undefined ? 'title' : snake(b);
    return `${f}_${a as Lang}`;
  }
  if (head === 'affected') return a === undefined ? 'affected_*' : `affected_${snake(a)}`;
  if (head === 'placeIds') return 'places';
  if (head === 'rightIds') return 'rights';
  if (head === 'externalId') return 'external_id';
  if (head === '' || head === '(root)') return '(row)';
  return snake(head);
}
