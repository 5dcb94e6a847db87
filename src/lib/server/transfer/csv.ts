import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { FileProblem } from './columns.js';

/** Longer than any valid record (four languages of 50,000-character descriptions): a sign of an unclosed quote. */
const MAX_RECORD_CHARS = 1_000_000;

export interface CsvRow {
  /** Line where the row starts (1-based; the header is line 1). */
  line: number;
  cells: string[];
}

/**
 * The rows of a CSV file, read as it streams: UTF-8 with or without a byte order mark, RFC 4180 quoting. Anything
 * else (another encoding, a broken quote) throws a `FileProblem` naming the line. Rows of empty cells are skipped.
 */
export async function* readCsv(source: AsyncIterable<Uint8Array>): AsyncGenerator<CsvRow> {
  // Lines are counted here: csv-parse's own count takes a CRLF inside a quoted cell for two lines.
  const parser = parse({ relax_column_count: true, max_record_size: MAX_RECORD_CHARS });
  const input = Readable.from(decodeUtf8(source), { objectMode: false });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    let next = 1;
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = next;
      for (const c of cells) if (c.includes('\n') || c.includes('\r')) next += c.match(/\r\n|\r|\n/g)!.length;
      next += 1;
      if (cells.every((c) => c.trim() === '')) continue;
      yield { line, cells };
    }
  } catch (err) {
    throw err instanceof CsvError ? describe(err) : err;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

async function* decodeUtf8(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // Fatal: a byte that is not UTF-8 stops the read instead of becoming U+FFFD in the register. The BOM is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;
  for await (const chunk of source) {
    if (
      first &&
      chunk.length >= 2 &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    )
      throw new FileProblem('The file is in UTF-16: save it as CSV in UTF-8 and upload it again.', 1);
    first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const readable = new TextDecoder('utf-8').decode(chunk);
      const bad = line + (readable.slice(0, Math.max(0, readable.indexOf('\uFFFD'))).match(/\n/g)?.length ?? 0);
      throw new FileProblem(
        `The file is not in UTF-8 (line ${bad} holds bytes that are not): it may be Latin-1 or Windows-1252. ` +
          'Save it as CSV in UTF-8 and upload it again.',
        bad,
      );
    }
    line += text.match(/\n/g)?.length ?? 0;
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new FileProblem(
      'The file ends in the middle of a UTF-8 character: it is not in UTF-8 or was cut short.',
      line,
    );
  }
}

function describe(err: CsvError): FileProblem {
  const line = typeof err.lines === 'number' ? err.lines : null;
  const at = line === null ? '' : ` (line ${line})`;
  // Some of csv-parse's codes lack the CSV_ prefix (INVALID_OPENING_QUOTE); compare on the rest.
  switch (String(err.code).replace(/^CSV_/, '')) {
    case 'QUOTE_NOT_CLOSED':
      return new FileProblem(`A quoted cell is never closed${at}: check the quotes around it.`, line);
    case 'INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new FileProblem(
        `Broken quoting${at}: a cell that holds a quote must be quoted whole, and the quote inside doubled ("").`,
        line,
      );
    case 'MAX_RECORD_SIZE':
      return new FileProblem(
        `A row is longer than ${MAX_RECORD_CHARS} characters${at}: probably an unclosed quote.`,
        line,
      );
    default:
      return new FileProblem(`The file is not valid CSV${at}: ${err.message}`, line);
  }
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula: such a cell is
 * written with a leading apostrophe, which spreadsheets show as text (OWASP's advice against CSV injection).
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One CSV line (RFC 4180 quoting, CRLF), every cell neutralised. */
export function csvLine(cells: (string | number | null)[]): string {
  return stringify([cells.map((c) => (c === null ? '' : neutralise(String(c))))], { record_delimiter: '\r\n' });
}
