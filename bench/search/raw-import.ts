import Database from 'better-sqlite3';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fold } from '../../src/lib/server/search/normalize.js';
import { readCsv } from '../../src/lib/server/transfer/csv.js';

/**
 * The raw baseline of the import: the least any import of the file must do on this machine, run in the benchmark's
 * process so that the import's time can be read as a ratio to it. It reads the CSV with the import's parser, folds
 * each row's texts as the index does, and adds them to a bare contentless FTS5 table with the register's tokenizer
 * and settings (`automerge` 8, a 64 MB `hashsize`, 2,500 rows a transaction, WAL), on one thread, and nothing else:
 * no validation, no record tables, no revisions, no facets or visibility tokens, no dry run.
 */
export async function rawImport(
  csvFile: string,
  dbFile: string,
  placeNames: ReadonlyMap<string, string[]>,
): Promise<{ wallS: number; cpuS: number; rows: number }> {
  await rm(dbFile, { force: true });
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`create virtual table fts using fts5(title, summary, body, places,
      content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 2")`);
    db.exec(`insert into fts(fts, rank) values ('automerge', 8)`);
    db.exec(`insert into fts(fts, rank) values ('hashsize', ${64 * 1024 * 1024})`);
    const insert = db.prepare('insert into fts(rowid, title, summary, body, places) values (?, ?, ?, ?, ?)');
    const begin = db.prepare('begin');
    const commit = db.prepare('commit');

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let header: string[] | undefined;
    let at: { titles: number[]; summaries: number[]; bodies: number[]; places: number } | undefined;
    let rows = 0;
    const texts = (cells: string[], columns: number[]) => fold(columns.map((i) => cells[i] ?? '').join(' '));
    for await (const row of readCsv(createReadStream(csvFile))) {
      if (!header) {
        header = row.cells;
        const all = (prefix: string) => header!.flatMap((c, i) => (c.startsWith(prefix) ? [i] : []));
        at = {
          titles: all('title_'),
          summaries: all('summary_'),
          bodies: all('description_'),
          places: header.indexOf('places'),
        };
        continue;
      }
      const cells = row.cells;
      if (rows % 2500 === 0) {
        if (rows > 0) commit.run();
        begin.run();
      }
      rows++;
      const places = (cells[at!.places] ?? '').split(';').flatMap((p) => placeNames.get(p.trim()) ?? [p]);
      insert.run(
        rows,
        texts(cells, at!.titles),
        texts(cells, at!.summaries),
        texts(cells, at!.bodies),
        fold(places.join(' ')),
      );
    }
    if (db.inTransaction) commit.run();
    const cpu = process.cpuUsage(cpu0);
    return { wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, rows };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) await rm(dbFile + suffix, { force: true });
  }
}
