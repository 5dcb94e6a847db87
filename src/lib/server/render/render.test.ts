import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  compilePdf,
  fontPaths,
  renderDisruptionTimeline,
  renderSeriesChart,
  renderShareCard,
  renderShortfallChart,
  renderStaticMap,
  typstText,
  TypstError,
} from './index.js';

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-test-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('fonts', () => {
  it('resolves the DejaVu faces from node_modules, not the system', () => {
    const paths = fontPaths();
    expect(paths).toHaveLength(4);
    for (const p of paths) {
      expect(path.isAbsolute(p)).toBe(true);
      expect(p).toContain(`${path.sep}node_modules${path.sep}dejavu-fonts-ttf${path.sep}ttf${path.sep}`);
    }
  });
});

describe('charts', () => {
  it('the shortfall chart is labelled, scaled per indicator and says its values in words', () => {
    const fig = renderShortfallChart({
      title: 'Indicators',
      lang: 'en',
      legend: { expected: 'expected', observed: 'observed', none: 'none observed' },
      bars: [
        { label: 'People crossing', expected: 30_000, observed: 600, note: 'about 50 times fewer' },
        { label: 'Trucks <goods>', expected: 4_000, observed: null },
      ],
      idPrefix: 'c1',
    });
    expect(fig.svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-t c1-d"/);
    expect(fig.svg).toContain('<title id="c1-t">Indicators</title>');
    expect(fig.svg).toContain('Trucks &lt;goods&gt;');
    expect(fig.text).toBe(
      'People crossing: expected 30,000, observed 600 (about 50 times fewer). Trucks <goods>: expected 4,000, observed none observed.',
    );
    // The observed bar of the first indicator is 2 % of the expected one.
    const widths = [...fig.svg.matchAll(/<rect x="16" y="\d+" width="([\d.]+)" height="18"/g)].map((m) => Number(m[1]));
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.02, 2);
  });

  it('the timeline draws complete cuts solid and partial ones hatched, ongoing to the end', () => {
    const fig = renderDisruptionTimeline({
      title: 'Disruptions',
      lang: 'fr',
      from: '2022-12-12',
      to: '2023-03-21',
      rows: [
        {
          label: 'Gaz',
          intervals: [
            { start: '2022-12-13', end: '2022-12-16', severity: 'complete' },
            { start: '2023-01-17', end: null, severity: 'partial' },
          ],
        },
      ],
      legend: { complete: 'coupure totale', partial: 'coupure partielle', ongoing: 'en cours' },
      idPrefix: 't1',
    });
    expect(fig.svg).toContain('fill="url(#t1-hatch)"');
    expect(fig.text).toContain(
      'Gaz: coupure totale 13 déc. 2022 – 16 déc. 2022; coupure partielle 17 janv. 2023 – en cours.',
    );
  });

  it('the series chart draws both lines and lists each point', () => {
    const fig = renderSeriesChart({
      title: 'Crossings',
      lang: 'ru',
      legend: { expected: 'ожидалось', observed: 'наблюдалось' },
      points: [
        { asOf: '2023-01-01', expected: 21_000, cumulative: 500 },
        { asOf: '2023-02-01', expected: 52_000, cumulative: 900 },
      ],
    });
    expect([...fig.svg.matchAll(/<path d="M/g)]).toHaveLength(2);
    expect(fig.text).toContain('ожидалось 52\u00a0000');
  });
});

describe('static map', () => {
  it('is the South Caucasus, clipped and small, with the points labelled in the language', () => {
    const fig = renderStaticMap({
      points: [
        { lon: 46.752, lat: 39.815, label: 'Ստեփանակերտ' },
        { lon: 46.339, lat: 39.511, label: 'Գորիս' },
        { lon: 2.35, lat: 48.85, label: 'Paris' },
      ],
      width: 600,
      height: 400,
      lang: 'hy',
    });
    expect(fig.svg.length).toBeLessThan(40_000);
    expect(fig.svg).toContain('ՀԱՅԱՍՏԱՆ');
    expect([...fig.svg.matchAll(/<circle /g)]).toHaveLength(2);
    expect(fig.text).toBe('Նշված վայրեր: Ստեփանակերտ, Գորիս.');
    expect(fig.svg).toContain('<title id=');
  });
});

describe('share cards', () => {
  for (const [lang, label] of [
    ['hy', 'Շրջափակման օր'],
    ['ru', 'дней блокады'],
    ['fr', 'jours de blocus'],
    ['en', 'days of blockade'],
  ] as const) {
    it(`${lang}: the SVG draws the text as paths, and the PNG has ink where the label is`, async () => {
      const svg = await renderShareCard({ kind: 'day', lang, figure: '100', label, format: 'svg' });
      expect(svg.contentType).toBe('image/svg+xml');
      const text = svg.body.toString('utf8');
      expect(text).not.toContain('<text');
      expect([...text.matchAll(/<path /g)].length).toBeGreaterThan(1);

      const png = await renderShareCard({ kind: 'day', lang, figure: '100', label, format: 'png' });
      const { data, info } = await sharp(png.body).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([1200, 630]);
      // The label's line (below the figure) has white pixels on the dark background: the glyphs were drawn.
      let light = 0;
      for (let y = 440; y < 520; y++)
        for (let x = 72; x < 700; x++) if (data[(y * info.width + x) * info.channels]! > 200) light++;
      expect(light).toBeGreaterThan(500);
    });
  }

  it('a card without its label has no ink on that line (the check above can fail)', async () => {
    const png = await renderShareCard({ kind: 'day', lang: 'hy', figure: '100', label: ' ', format: 'png' });
    const { data, info } = await sharp(png.body).raw().toBuffer({ resolveWithObject: true });
    let light = 0;
    for (let y = 440; y < 520; y++)
      for (let x = 72; x < 700; x++) if (data[(y * info.width + x) * info.channels]! > 200) light++;
    expect(light).toBe(0);
  });
});

describe('typst', () => {
  it('prints Armenian, Cyrillic and French intact, and user text that looks like markup as text', () => {
    const hostile = '#import "evil.typ": * ] *bold* _it_ $x$ <lbl> @ref // c \\ `raw` = h';
    const pdf = compilePdf(
      [
        '#set text(font: "DejaVu Sans")',
        `= ${typstText('Ստեփանակերտ · Степанакерт · Élément')}`,
        typstText(hostile),
        `#image("/fig/a.svg", width: 50%)`,
      ].join('\n\n'),
      { 'fig/a.svg': renderStaticMap({ points: [], width: 300, height: 200, lang: 'ru' }).svg },
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Ստեփանակերտ · Степанакерт · Élément');
    expect(text).toContain('#import "evil.typ": * ] *bold* _it_ $x$ <lbl> @ref // c \\ `raw` = h');
    expect(text).toContain('АРМЕНИЯ');
  });

  it('unescaped markup would not survive: the test above can fail', () => {
    expect(() => compilePdf('#import "evil.typ": *')).toThrow(TypstError);
  });
});
