/**
 * Search benchmark (issue 3): a synthetic register of N records (default 1,000,000) is written as CSV and imported
 * through the real import path (the same ImportService as the web page and `corridor import records`), then a mix of
 * queries runs through the records service as a staff member would call it. Each query is also run raw on FTS5
 * (`MATCH … ORDER BY rank LIMIT 20`, no visibility, no filters) in the same process, and the ratio is printed.
 * Not a test: it prints figures and asserts nothing.
 *
 *   npm run bench:search [-- --rows 1000000 --runs 5 --keep]
 */
import Database from 'better-sqlite3';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/lib/server/core/logger.js';
import type { Actor } from '../../src/lib/server/http/access.js';
import { createPlatform, type Platform } from '../../src/lib/server/platform.js';
import { parseQuery, toFts5 } from '../../src/lib/server/search/query.js';
import { LANGS, records, Vocabulary, type SyntheticRecord } from './corpus.js';
import { ms, peakRssMb, percentile, table } from './stats.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    /** A directory a run with --keep left: only the queries run again, on its database. */
    reuse: { type: 'string' },
  },
});
const ROWS = Math.max(1000, Number(values.rows) || 1_000_000);
const RUNS = Math.max(1, Number(values.runs) || 5);

const PLACES = [
  {
    name: 'Stepanakert',
    alt: [
      { name: 'Ստեփանակերտ', lang: 'hy' },
      { name: 'Степанакерт', lang: 'ru' },
    ],
  },
  { name: 'Goris', alt: [{ name: 'Գորիս', lang: 'hy' }] },
  {
    name: 'Yerevan',
    alt: [
      { name: 'Երևան', lang: 'hy' },
      { name: 'Erevan', lang: 'fr' },
    ],
  },
  {
    name: 'Berdzor',
    alt: [
      { name: 'Բերձոր', lang: 'hy' },
      { name: 'Lachin', lang: 'en' },
    ],
  },
  { name: 'Martakert', alt: [{ name: 'Մարտակերտ', lang: 'hy' }] },
  {
    name: 'Shushi',
    alt: [
      { name: 'Շուշի', lang: 'hy' },
      { name: 'Chouchi', lang: 'fr' },
    ],
  },
  { name: 'Askeran', alt: [{ name: 'Ասկերան', lang: 'hy' }] },
  { name: 'Hadrut', alt: [{ name: 'Հադրութ', lang: 'hy' }] },
];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeCsv(file: string, placeIds: string[], rightCodes: string[]): Promise<void> {
  const vocab = new Vocabulary();
  const out = createWriteStream(file);
  const columns = [
    'external_id',
    ...LANGS.flatMap((l) => [`title_${l}`, `summary_${l}`, `description_${l}`]),
    'start_date',
    'places',
    'rights',
    'tags',
    'verification',
    'confidentiality',
    'affected_children',
  ];
  out.write(columns.join(',') + '\n');
  const line = (r: SyntheticRecord) =>
    [
      r.externalId,
      ...LANGS.flatMap((l) => {
        const t = r.texts[l];
        return t ? [t.title, t.summary, t.description] : ['', '', ''];
      }),
      r.startDate,
      placeIds[r.placeIndex]!,
      rightCodes[r.rightIndex]!,
      r.tags.join(';'),
      r.verification,
      r.confidentiality,
      r.affectedChildren === null ? '' : String(r.affectedChildren),
    ]
      .map(csvCell)
      .join(',') + '\n';
  for (const r of records(ROWS, vocab, { places: placeIds.length, rights: rightCodes.length }))
    if (!out.write(line(r))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

interface Query {
  cls: string;
  label: string;
  params: Record<string, string>;
}

function queryMix(ids: { place: string; right: string }): Query[] {
  const q = (cls: string, text: string, extra: Record<string, string> = {}): Query => ({
    cls,
    label: [text, ...Object.entries(extra).map(([k, v]) => `${k}=${v.length > 12 ? v.slice(0, 8) + '…' : v}`)]
      .filter(Boolean)
      .join(' '),
    params: { ...(text ? { q: text } : {}), ...extra },
  });
  return [
    q('broad', 'blockade'),
    q('broad', 'gaz'),
    q('broad', 'Արցախ'),
    q('mid', 'électricité'),
    q('mid', 'ճանապարհ'),
    q('mid', 'coupure'),
    q('rare', 'Ստեփանակերտ'),
    q('rare', 'réparations'),
    q('rare', 'отключение'),
    q('prefix', 'Ստեփան*'),
    q('prefix', 'elec*'),
    q('prefix', 'block*'),
    q('armenian', 'ԵՐԵՎԱՆ'),
    q('armenian', 'Երեւան'),
    q('french-unaccented', 'electricite'),
    q('french-unaccented', 'reparations'),
    q('phrase', '"power line"'),
    q('and-not', 'blockade gaz'),
    q('and-not', 'blockade -gaz'),
    q('and-not', 'internet OR отключение'),
    q('filtered', 'blockade', { verification: 'verified' }),
    q('filtered', 'gaz', { from: '2023-01-01', to: '2023-12-31' }),
    q('filtered', 'coupure', { place: ids.place }),
    q('filtered', 'Ստեփանակերտ', { tag: 'gas', sort: 'date' }),
    q('filtered', '', { right: ids.right, from: '2024-06' }),
    q('filtered', 'blockade', { sort: 'date', confidentiality: 'internal' }),
  ];
}

async function time<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

async function main() {
  const dir = values.reuse ?? (await mkdtemp(path.join(tmpdir(), 'corridor-bench-search-')));
  const dbFile = path.join(dir, 'corridor.db');
  const csvFile = path.join(dir, 'records.csv');
  console.log(`search benchmark: ${ROWS.toLocaleString('en')} records, ${RUNS} timed runs per query, in ${dir}`);
  let platform: Platform | undefined;
  try {
    platform = await createPlatform({
      database: { kind: 'sqlite', file: dbFile },
      secret: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      logger: createLogger('warn'),
      dataDir: dir,
      // A kept database is queried as it is: migrations added since are not for it.
      migrate: !values.reuse,
    });
    const p = platform;
    if (values.reuse) {
      const db = p.database.db;
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'viewer@bench.test')
        .executeTakeFirstOrThrow();
      const viewer = {
        userId: user.id,
        role: 'communicator',
        via: 'session',
        pendingSecondFactor: false,
      } satisfies Actor;
      const place = await db
        .selectFrom('places')
        .select('id')
        .where('preferred_name', '=', PLACES[0]!.name)
        .executeTakeFirstOrThrow();
      const code = (await p.rights.tree()).flatMap((c) => c.children.map((r) => r.code))[0]!;
      await queries(p, viewer, { place: place.id, right: (await p.rights.findByCode(code))!.id }, dbFile);
      return;
    }
    const mk = async (name: string, role: 'documenter' | 'communicator') => {
      const u = await p.accounts.createUser(
        { email: `${name}@bench.test`, displayName: name, role, password: 'bench passphrase only' },
        null,
      );
      return { userId: u.id, role, via: 'session', pendingSecondFactor: false } satisfies Actor;
    };
    const importer = { ...(await mk('importer', 'documenter')), role: 'admin' as const };
    const viewer = await mk('viewer', 'communicator');
    await p.groups.create({ name: 'Bench field team', memberIds: [viewer.userId] }, importer);
    const placeIds: string[] = [];
    for (const pl of PLACES)
      placeIds.push((await p.places.create({ name: pl.name, type: 'town', altNames: pl.alt }, null)).id);
    const rightCodes = (await p.rights.tree()).flatMap((c) => c.children.map((r) => r.code));

    let t0 = performance.now();
    await writeCsv(csvFile, placeIds, rightCodes);
    const size = (await stat(csvFile)).size;
    console.log(
      `generated ${(size / 1024 ** 2).toFixed(0)} MB of CSV in ${((performance.now() - t0) / 1000).toFixed(1)} s (not counted)`,
    );

    // The import, as `corridor import records FILE` runs it: check the whole file, then import it. CPU time is
    // printed next to wall time: on a shared machine it is the steadier figure.
    const rssBefore = peakRssMb();
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const checked = await p.imports.upload(importer, {
      filename: 'records.csv',
      body: createReadStream(csvFile),
      mode: 'dry-run',
    });
    const checkS = (performance.now() - t0) / 1000;
    const cpu1 = process.cpuUsage(cpu0);
    if (checked.rows.invalid > 0) throw new Error(`the generated file has ${checked.rows.invalid} invalid rows`);
    const t1 = performance.now();
    await p.imports.commit(importer, checked.id, 'all');
    await p.imports.finished(checked.id);
    const done = await p.imports.get(importer, checked.id);
    if (done.status !== 'done') throw new Error(`import ended ${done.status}: ${done.failure ?? ''}`);
    const importS = (performance.now() - t1) / 1000;
    const cpu2 = process.cpuUsage(cpu0);
    const rss = peakRssMb();
    const cpuS = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    console.log(
      `\nimport: check ${checkS.toFixed(1)} s + write ${importS.toFixed(1)} s = ${(checkS + importS).toFixed(1)} s ` +
        `(${Math.round(ROWS / (checkS + importS)).toLocaleString('en')} rows/s), peak RSS ${rss} MB ` +
        `(${rssBefore} MB before the import), database ${((await stat(dbFile)).size / 1024 ** 3).toFixed(2)} GB` +
        `\n  CPU: check ${cpuS(cpu1).toFixed(1)} s + write ${(cpuS(cpu2) - cpuS(cpu1)).toFixed(1)} s ` +
        `(${Math.round(ROWS / cpuS(cpu2)).toLocaleString('en')} rows per CPU second); load average ` +
        `${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores` +
        `\n  goal: ≤ 180 s and ≤ 500 MB for 1,000,000 rows`,
    );

    await queries(p, viewer, { place: placeIds[0]!, right: (await p.rights.findByCode(rightCodes[0]!))!.id }, dbFile);
  } finally {
    await platform?.close();
    if (values.keep || values.reuse) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** The query mix, each query timed RUNS times as the viewer, and raw on FTS5. */
async function queries(p: Platform, viewer: Actor, ids: { place: string; right: string }, dbFile: string) {
  {
    const raw = new Database(dbFile, { readonly: true });
    raw.pragma('cache_size = -262144');
    raw.pragma('mmap_size = 4294967296');
    const rawStmt = raw.prepare(`SELECT rowid FROM record_fts WHERE record_fts MATCH ? ORDER BY rank LIMIT 20`);
    const rawExpr = (text: string) => {
      const f = toFts5(parseQuery(text));
      if (!f.positive) return null;
      const pos = `{title summary body places}: (${f.positive})`;
      return f.negative ? `${pos} NOT {title summary body places}: (${f.negative})` : pos;
    };

    const mix = queryMix(ids);
    const rows: string[][] = [];
    const all = { results: [] as number[], facets: [] as number[], raw: [] as number[] };
    const byClass = new Map<string, { results: number[]; facets: number[]; raw: number[] }>();
    for (const query of mix) {
      const c = byClass.get(query.cls) ?? { results: [], facets: [], raw: [] };
      byClass.set(query.cls, c);
      const expr = query.params.q ? rawExpr(query.params.q) : null;
      // One warm-up of each, then the timed runs.
      await p.records.list(viewer, { ...query.params, limit: 20 }, { facets: true });
      if (expr) rawStmt.all(expr);
      const r: number[] = [];
      const f: number[] = [];
      const w: number[] = [];
      let total = '';
      for (let i = 0; i < RUNS; i++) {
        // The two calls alternate in order, so that neither always runs on the cache the other warmed.
        const page = () => time(() => p.records.list(viewer, { ...query.params, limit: 20 }, { facets: false }));
        const withFacets = () => time(() => p.records.list(viewer, { ...query.params, limit: 20 }, { facets: true }));
        const first = i % 2 === 0 ? await page() : await withFacets();
        const second = i % 2 === 0 ? await withFacets() : await page();
        const [res, full] = i % 2 === 0 ? [first, second] : [second, first];
        r.push(res.ms);
        total = `${res.value.total.approx ? '~' : ''}${res.value.total.value}`;
        f.push(Math.max(0, full.ms - res.ms));
        if (expr) {
          const t = performance.now();
          rawStmt.all(expr);
          w.push(performance.now() - t);
        }
      }
      c.results.push(...r);
      c.facets.push(...f);
      c.raw.push(...w);
      all.results.push(...r);
      all.facets.push(...f);
      all.raw.push(...w);
      rows.push([
        query.cls,
        query.label,
        total,
        ms(percentile(r, 50)),
        ms(percentile(f, 50)),
        w.length ? ms(percentile(w, 50)) : '–',
        w.length ? (percentile(r, 50) / percentile(w, 50)).toFixed(2) : '–',
      ]);
    }
    raw.close();
    console.log('\nper query (p50 ms over the timed runs; facets = what counting the facets adds to the same page)\n');
    console.log(table(['class', 'query', 'visible matches', 'results', 'facets', 'raw FTS5', 'ratio'], rows));
    const summary = [...byClass.entries(), ['ALL', all] as const].map(([cls, x]) => [
      cls,
      `${ms(percentile(x.results, 50))} / ${ms(percentile(x.results, 95))}`,
      `${ms(percentile(x.facets, 50))} / ${ms(percentile(x.facets, 95))}`,
      x.raw.length ? `${ms(percentile(x.raw, 50))} / ${ms(percentile(x.raw, 95))}` : '–',
      x.raw.length ? (percentile(x.results, 95) / percentile(x.raw, 95)).toFixed(2) : '–',
    ]);
    console.log('\nper class: p50 / p95 ms (ratio = results p95 / raw p95)\n');
    console.log(table(['class', 'results', 'facets', 'raw FTS5 rank top 20', 'ratio'], summary));
    console.log('\ngoals: results p95 ≤ 50 ms over the mix; facet counts p95 ≤ 150 ms');
  }
}

await main();
