/**
 * Search benchmark (issue 3): a synthetic register of N records (default 1,000,000) is written as CSV and imported
 * through the real import path (the same ImportService as the web page and `corridor import records`), then a mix of
 * queries runs through the records service as a staff member would call it. Each query is also run raw on FTS5
 * (`MATCH … ORDER BY rank LIMIT 20`, no visibility, no filters) in the same process, and the ratio is printed. The
 * import's raw baseline (`raw-import.ts`: the same file read, folded and added to a bare FTS5 table) runs first, and
 * the import's time is printed as a ratio to it.
 * Not a test: it prints figures and asserts nothing.
 *
 *   npm run bench:search [-- --rows 1000000 --runs 5 --keep]
 *
 * BENCH_IMPORT_NODE_FLAGS adds Node flags to the import's process (e.g. `--trace-gc`, `--max-old-space-size=256`).
 */
import Database from 'better-sqlite3';
import { createWriteStream } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/lib/server/core/logger.js';
import type { Actor } from '../../src/lib/server/http/access.js';
import { createPlatform, type Platform } from '../../src/lib/server/platform.js';
import { parseQuery, toFts5 } from '../../src/lib/server/search/query.js';
import { LANGS, records, Vocabulary, type SyntheticRecord } from './corpus.js';
import { rawImport } from './raw-import.js';
import { ms, percentile, table } from './stats.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    /** A directory a run with --keep left: only the queries run again, on its database. */
    reuse: { type: 'string' },
  },
});
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
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
      secret: SECRET,
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
    const mk = async (name: string, role: 'admin' | 'communicator') => {
      const u = await p.accounts.createUser(
        { email: `${name}@bench.test`, displayName: name, role, password: 'bench passphrase only' },
        null,
      );
      return { userId: u.id, role, via: 'session', pendingSecondFactor: false } satisfies Actor;
    };
    // An admin: `corridor import` needs a reviewer or an admin.
    const importer = await mk('importer', 'admin');
    const viewer = await mk('viewer', 'communicator');
    await p.groups.create({ name: 'Bench field team', memberIds: [viewer.userId] }, importer);
    const placeIds: string[] = [];
    for (const pl of PLACES)
      placeIds.push((await p.places.create({ name: pl.name, type: 'town', altNames: pl.alt }, null)).id);
    const rightCodes = (await p.rights.tree()).flatMap((c) => c.children.map((r) => r.code));

    const t0 = performance.now();
    await writeCsv(csvFile, placeIds, rightCodes);
    const size = (await stat(csvFile)).size;
    console.log(
      `generated ${(size / 1024 ** 2).toFixed(0)} MB of CSV in ${((performance.now() - t0) / 1000).toFixed(1)} s (not counted)`,
    );

    // The raw baseline first, on the same file, while the machine is as quiet as it will be for the import.
    const names = new Map(placeIds.map((id, i) => [id, [PLACES[i]!.name, ...PLACES[i]!.alt.map((a) => a.name)]]));
    const raw = await rawImport(csvFile, path.join(dir, 'raw-baseline.db'), names);
    if (raw.rows !== ROWS) throw new Error(`the raw baseline read ${raw.rows} rows, not ${ROWS}`);

    // The import runs as `corridor import records FILE` does, in a process of its own, so that its peak memory is
    // the import's and not this generator's: check the whole file, then import it. CPU time is printed next to wall
    // time: on a shared machine it is the steadier figure.
    const run = await importThroughCli(dir, csvFile, 'importer@bench.test');
    const count = await p.database.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(count.n) !== ROWS) throw new Error(`the import wrote ${count.n} records, not ${ROWS}`);
    console.log(
      `\nimport (corridor import records, its own process): check ${run.checkS.toFixed(1)} s + write ` +
        `${run.writeS.toFixed(1)} s = ${run.totalS.toFixed(1)} s (${Math.round(ROWS / run.totalS).toLocaleString('en')} ` +
        `rows/s), peak RSS ${run.peakRssMb} MB, database ${((await stat(dbFile)).size / 1024 ** 3).toFixed(2)} GB` +
        `\n  CPU: ${run.cpuS.toFixed(1)} s (${Math.round(ROWS / run.cpuS).toLocaleString('en')} rows per CPU second); ` +
        `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores` +
        `\n  raw baseline (the same rows read, folded and added to a bare FTS5 table, one thread, nothing else): ` +
        `${raw.wallS.toFixed(1)} s, ${raw.cpuS.toFixed(1)} CPU s` +
        `\n  ratio to the raw baseline: ${(run.totalS / raw.wallS).toFixed(2)} (wall), ` +
        `${(run.cpuS / raw.cpuS).toFixed(2)} (CPU); the import step alone ${(run.writeS / raw.wallS).toFixed(2)} (wall)` +
        `\n  goal: ≤ 180 s and ≤ 500 MB for 1,000,000 rows`,
    );

    await queries(p, viewer, { place: placeIds[0]!, right: (await p.rights.findByCode(rightCodes[0]!))!.id }, dbFile);
  } finally {
    await platform?.close();
    if (values.keep || values.reuse) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `corridor import records FILE --as EMAIL` on the benchmark's data directory, as a child process: wall time to the
 * end of the check (the CLI's summary line) and in all, and the child's own peak RSS and CPU (`bench/rusage.js`).
 */
async function importThroughCli(
  dir: string,
  csvFile: string,
  email: string,
): Promise<{ checkS: number; writeS: number; totalS: number; cpuS: number; peakRssMb: number }> {
  const usageFile = path.join(dir, 'rusage.json');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const t0 = performance.now();
  let checked = 0;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_IMPORT_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      '--import',
      './bench/rusage.js',
      'bin/corridor.js',
      'import',
      'records',
      csvFile,
      '--as',
      email,
    ],
    {
      cwd: root,
      env: { ...process.env, CORRIDOR_DATA_DIR: dir, CORRIDOR_SECRET: SECRET, BENCH_RUSAGE_FILE: usageFile },
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  let tail = '';
  // The CLI's progress lines while it writes ("importing [...] 120,000/1,000,000 rows, …"), to show how the rate
  // changes as the database grows.
  const written: { at: number; rows: number }[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
    // The summary the CLI prints once the whole file is checked: "N rows: … to create, …".
    if (!checked && / rows: \d+ to create/.test(tail)) checked = performance.now();
    for (const m of chunk.matchAll(/importing .*? ([\d,]+)\/[\d,]+ rows/g))
      written.push({ at: performance.now(), rows: Number(m[1]!.replace(/,/g, '')) });
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const end = performance.now();
  if (code !== 0) throw new Error(`corridor import exited with ${code}:\n${tail}`);
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  const checkMs = (checked || end) - t0;
  printRates(written, checked || t0);
  return {
    checkS: checkMs / 1000,
    writeS: (end - t0 - checkMs) / 1000,
    totalS: (end - t0) / 1000,
    cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    peakRssMb: Math.round(usage.maxRSS / 1024),
  };
}

/** The writing's rate by tenths of the file: rows a second in each tenth, from the CLI's progress lines. */
function printRates(samples: { at: number; rows: number }[], start: number): void {
  const total = samples.at(-1)?.rows ?? 0;
  if (samples.length < 2 || total === 0) return;
  const rates: string[] = [];
  let prev = { at: start, rows: 0 };
  for (let tenth = 1; tenth <= 10; tenth++) {
    const s = samples.find((x) => x.rows >= (total * tenth) / 10);
    if (!s || s.rows === prev.rows) continue;
    rates.push(Math.round((s.rows - prev.rows) / ((s.at - prev.at) / 1000)).toLocaleString('en'));
    prev = s;
  }
  console.log(`write rate by tenth of the file (rows/s): ${rates.join(', ')}`);
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
