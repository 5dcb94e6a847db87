/**
 * Report edition benchmark (issue 6): a synthetic register (published public records in French and Armenian with
 * sources, a crisis with disruptions, indicators and key figures) written through the real services, then an
 * edition of about 100 pages built through the reports service exactly as `POST /api/reports/{id}/editions` does
 * (data, charts, map, Typst PDF, content and PDF kept by hash). Each build is timed against a raw baseline in the
 * same process: Typst compiling a plain document with the same text (titles and summaries, no tables, links,
 * figures or endnotes). Not a test: it prints figures and asserts nothing. Goal: ≤ 5 s a build.
 *
 *   npm run bench:report [-- --records 460 --runs 3 --lang fr]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/lib/server/core/logger.js';
import type { Actor } from '../../src/lib/server/http/access.js';
import { createPlatform } from '../../src/lib/server/platform.js';
import { compilePdf, typstText } from '../../src/lib/server/render/index.js';
import type { EditionLang } from '../../src/lib/server/reports/index.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '460' },
    runs: { type: 'string', default: '3' },
    lang: { type: 'string', default: 'fr' },
  },
});
const RECORDS = Math.max(16, Number(values.records) || 460);
const RUNS = Math.max(1, Number(values.runs) || 3);
const LANG = (['en', 'fr', 'hy', 'ru'].includes(values.lang) ? values.lang : 'fr') as EditionLang;

const FR_WORDS =
  'blocus route corridor gaz électricité hôpital école enfants familles approvisionnement pénurie coupure ' +
  'médicaments opération reportée déplacement frontière convoi nourriture hiver chauffage eau mobile réseau';
const HY_WORDS =
  'շրջափակում ճանապարհ միջանցք գազ էլեկտրաէներգիա հիվանդանոց դպրոց երեխաներ ընտանիքներ մատակարարում ' +
  'պակասուրդ անջատում դեղորայք վիրահատություն տեղաշարժ սահման սնունդ ձմեռ ջեռուցում ջուր';

function sentence(words: string[], n: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(words[(seed * 7 + i * 13) % words.length]!);
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'corridor-bench-report-'));
  const platform = await createPlatform({
    database: { kind: 'sqlite', file: path.join(dir, 'bench.db') },
    secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    logger: createLogger('silent'),
    dataDir: dir,
  });
  try {
    const t0 = performance.now();
    const user = async (role: 'documenter' | 'reviewer') => {
      const u = await platform.accounts.createUser(
        { email: `${role}@bench.invalid`, displayName: role, role, password: 'correct horse battery staple' },
        null,
      );
      return { userId: u.id, role, via: 'session', pendingSecondFactor: false } satisfies Actor;
    };
    const documenter = await user('documenter');
    const reviewer = await user('reviewer');
    const rights = (await platform.rights.tree()).flatMap((c) => c.children);
    const places = [];
    for (const [name, hy, lon, lat] of [
      ['Stepanakert', 'Ստեփանակերտ', 46.752, 39.815],
      ['Goris', 'Գորիս', 46.339, 39.511],
      ['Berdzor', 'Բերձոր', 46.546, 39.64],
      ['Shushi', 'Շուշի', 46.749, 39.758],
    ] as const)
      places.push(
        await platform.places.create(
          {
            name,
            type: 'town',
            altNames: [{ name: hy, lang: 'hy' }],
            geometry: { type: 'Point', coordinates: [lon, lat] },
          },
          null,
        ),
      );
    const sources = [];
    for (let i = 0; i < 40; i++)
      sources.push(
        await platform.sources.create(
          {
            type: i % 5 === 0 ? 'interview' : 'media-report',
            title: `Source ${i + 1}`,
            publisher: 'Bench',
            date: '2023-01-15',
          },
          null,
        ),
      );
    const frWords = FR_WORDS.split(' ');
    const hyWords = HY_WORDS.split(' ');
    for (let i = 0; i < RECORDS; i++) {
      const r = await platform.records.create(
        {
          texts: {
            fr: {
              title: sentence(frWords, 8, i),
              summary: Array.from({ length: 5 }, (_, k) => sentence(frWords, 16, i + k)).join(' '),
            },
            hy: {
              title: sentence(hyWords, 6, i),
              summary: Array.from({ length: 4 }, (_, k) => sentence(hyWords, 14, i + k)).join(' '),
              translationStatus: 'translated',
            },
          },
          startDate: `2023-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`,
          startPrecision: 'day',
          rightIds: [rights[i % rights.length]!.id],
          placeIds: [places[i % places.length]!.id],
          affected: { children: i % 3 === 0 ? 10 : null, wholePopulation: i % 7 === 0 ? 120000 : null },
          confidentiality: 'public',
        },
        documenter,
      );
      await platform.sources.linkRecord(
        sources[i % sources.length]!.id,
        { recordId: r.id, relation: 'supports', quote: 'cité' },
        documenter,
      );
      await platform.records.transition(r.id, { to: 'in-review' }, documenter);
      await platform.records.transition(r.id, { to: 'approved' }, reviewer);
      await platform.records.transition(r.id, { to: 'published' }, reviewer);
    }
    await platform.crisis.putCrisis(
      {
        name: { en: 'Blockade (bench)', fr: 'Blocus (banc d’essai)' },
        startsAt: '2022-12-12T10:30',
        timeZone: 'Asia/Yerevan',
      },
      null,
    );
    for (const service of ['gas', 'electricity', 'internet'] as const)
      await platform.crisis.createDisruption(
        {
          service,
          severity: 'complete',
          start: '2022-12-13',
          end: '2022-12-20',
          sourceId: sources[0]!.id,
          intervals: [{ start: '2023-01-17', end: null, severity: 'partial' }],
        },
        null,
      );
    for (const [name, base] of [
      ['Personnes', 1000],
      ['Véhicules', 200],
      ['Tonnes', 400],
    ] as const) {
      const ind = await platform.crisis.createIndicator(
        { name: { fr: name }, unit: { fr: name.toLowerCase() }, baselinePerDay: base, illustrative: true },
        null,
      );
      await platform.crisis.addObservation(ind.id, { asOf: '2023-03-01', cumulative: base * 2 }, null);
    }
    const report = await platform.reports.create(
      { titles: { fr: 'Banc d’essai', hy: 'Փորձարկում' }, recordsPerRight: Math.ceil(RECORDS / rights.length) },
      null,
    );
    console.log(`setup: ${RECORDS} published records, ${rights.length} rights, in ${ms(t0)} ms`);

    // Warm-up: the first build loads fonts, the world atlas and Typst.
    await platform.reports.build(report.id, { asOf: '2023-03-21', lang: LANG }, null, { wait: true });

    const rows: { total: number; data: number; pdf: number; pages: number; baseline: number; size: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      let dataDone = 0;
      const tb = performance.now();
      const e = await platform.reports.build(report.id, { asOf: '2023-03-21', lang: LANG }, null, {
        wait: true,
        onProgress: (_p, stage) => {
          if (stage === 'pdf' && dataDone === 0) dataDone = performance.now();
        },
      });
      const total = ms(tb);
      if (e.status !== 'draft' || !e.content) throw new Error(`build ended ${e.status}: ${e.failure}`);
      // Baseline: the same words, plainly set by Typst, in this process.
      const plain = [
        '#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")',
        `#set text(font: "DejaVu Sans", size: 10pt, lang: "${LANG}")`,
        ...e.content.categories.flatMap((c) => [
          `= ${typstText(c.name)}`,
          ...c.rights.flatMap((r) => [
            `== ${typstText(r.name)}`,
            ...r.records.map((x) => `*${typstText(x.title.text)}* \\\n${typstText(x.summary.text)}\n`),
          ]),
        ]),
      ].join('\n');
      const t1 = performance.now();
      compilePdf(plain);
      const baseline = ms(t1);
      rows.push({
        total,
        data: Math.round(dataDone - tb),
        pdf: Math.round(tb + total - dataDone),
        pages: e.pages ?? 0,
        baseline,
        size: e.pdfSize ?? 0,
      });
      console.log(
        `run ${run + 1}: ${e.pages} pages, ${total} ms in all (data ${rows.at(-1)!.data} ms, PDF and storing ${rows.at(-1)!.pdf} ms); ` +
          `plain Typst baseline ${baseline} ms; PDF ${(rows.at(-1)!.size / 1024).toFixed(0)} KB`,
      );
    }
    const t = median(rows.map((r) => r.total));
    console.log(
      `\nedition build, median of ${RUNS}: ${t} ms for ${rows[0]!.pages} pages (goal ≤ 5000 ms: ${t <= 5000 ? 'met' : 'NOT met'}); ` +
        `plain Typst baseline ${median(rows.map((r) => r.baseline))} ms, ratio ${(t / Math.max(1, median(rows.map((r) => r.baseline)))).toFixed(1)}×`,
    );
  } finally {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
