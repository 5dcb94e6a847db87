import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import { escapeXml, formatNumber, nextFigureId, svgDocument, type Figure, type RenderLang } from './svg.js';

/**
 * Charts drawn on the server as plain SVG (d3-scale, d3-shape), so that the web page, the PDF and a press download
 * show the same picture without a browser or a script. Every chart returns its text alternative with it.
 * Colours pass WCAG 2.2 non-text contrast (3:1) against white, and a pattern, not only a colour, tells partial cuts
 * from complete ones.
 */

const INK = '#1a1a1a';
const MUTED = '#555555';
const EXPECTED = '#8a9bb0';
const OBSERVED = '#b3261e';
const COMPLETE = '#b3261e';
const GRID = '#d0d0d0';

export interface ShortfallBar {
  label: string;
  expected: number;
  /** null: nothing observed yet. */
  observed: number | null;
  /** Shown after the observed value, e.g. "about 50 times fewer · 2 % of normal". */
  note?: string;
}

export interface ShortfallChartInput {
  title: string;
  lang: RenderLang;
  bars: ShortfallBar[];
  legend: { expected: string; observed: string; none: string };
  width?: number;
  idPrefix?: string;
}

/**
 * Expected against observed, one pair of bars per indicator. Each pair has its own scale (expected = full width):
 * indicators count different things (people, vehicles, tonnes), and the point is the gap, not comparing units.
 */
export function renderShortfallChart(input: ShortfallChartInput): Figure {
  const width = input.width ?? 640;
  const left = 16;
  const right = 16;
  const rowHeight = 78;
  const top = 40;
  const height = top + rowHeight * Math.max(1, input.bars.length) + 8;
  const x = scaleLinear()
    .domain([0, 1])
    .range([left, width - right]);
  const parts: string[] = [legend(input.legend, left)];
  const sentences: string[] = [];
  input.bars.forEach((b, i) => {
    const y = top + i * rowHeight;
    const ratio = b.expected > 0 && b.observed !== null ? Math.min(1, b.observed / b.expected) : 0;
    const exp = formatNumber(b.expected, input.lang);
    const obs = b.observed === null ? input.legend.none : formatNumber(b.observed, input.lang);
    parts.push(
      `<text x="${left}" y="${y + 12}" font-size="13" font-weight="bold" fill="${INK}">${escapeXml(b.label)}</text>`,
      `<rect x="${left}" y="${y + 18}" width="${(x(1) - left).toFixed(1)}" height="18" fill="${EXPECTED}"/>`,
      `<text x="${left + 4}" y="${y + 31}" font-size="11" fill="${INK}">${escapeXml(`${input.legend.expected}: ${exp}`)}</text>`,
      `<rect x="${left}" y="${y + 40}" width="${Math.max(1, x(ratio) - left).toFixed(1)}" height="18" fill="${OBSERVED}"/>`,
      `<text x="${(Math.max(1, x(ratio) - left) + left + 4).toFixed(1)}" y="${y + 53}" font-size="11" fill="${INK}">` +
        `${escapeXml(`${input.legend.observed}: ${obs}${b.note ? ` · ${b.note}` : ''}`)}</text>`,
    );
    sentences.push(
      `${b.label}: ${input.legend.expected} ${exp}, ${input.legend.observed} ${obs}${b.note ? ` (${b.note})` : ''}.`,
    );
  });
  const text = sentences.join(' ');
  return {
    svg: svgDocument(
      { title: input.title, desc: text, width, height, lang: input.lang },
      parts.join(''),
      input.idPrefix,
    ),
    title: input.title,
    text,
  };
}

function legend(l: { expected: string; observed: string }, x: number): string {
  return (
    `<rect x="${x}" y="8" width="14" height="14" fill="${EXPECTED}"/>` +
    `<text x="${x + 20}" y="20" font-size="12" fill="${INK}">${escapeXml(l.expected)}</text>` +
    `<rect x="${x + 160}" y="8" width="14" height="14" fill="${OBSERVED}"/>` +
    `<text x="${x + 180}" y="20" font-size="12" fill="${INK}">${escapeXml(l.observed)}</text>`
  );
}

export interface TimelineInterval {
  /** ISO date (YYYY-MM-DD) or instant. */
  start: string;
  /** null: still going on as of the chart's end. */
  end: string | null;
  severity: 'complete' | 'partial';
}

export interface DisruptionTimelineInput {
  title: string;
  lang: RenderLang;
  /** The period shown, ISO dates: usually the crisis start to the edition's as-of date. */
  from: string;
  to: string;
  rows: { label: string; intervals: TimelineInterval[] }[];
  legend: { complete: string; partial: string; ongoing: string };
  width?: number;
  idPrefix?: string;
}

const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
const nextDay = (d: Date) => new Date(d.getTime() + 86_400_000);

/** One lane per service, a bar per cut: solid for complete, hatched for partial. Days are whole, inclusive. */
export function renderDisruptionTimeline(input: DisruptionTimelineInput): Figure {
  const width = input.width ?? 640;
  const labelWidth = 130;
  const laneHeight = 30;
  const top = 34;
  const axis = 22;
  const height = top + laneHeight * Math.max(1, input.rows.length) + axis;
  const id = input.idPrefix ?? nextFigureId();
  const from = day(input.from);
  const to = nextDay(day(input.to));
  const x = scaleUtc()
    .domain([from, to])
    .range([labelWidth, width - 12]);
  const clampX = (d: Date) => x(d < from ? from : d > to ? to : d);
  const dateText = new Intl.DateTimeFormat(input.lang, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const parts: string[] = [
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="${COMPLETE}"/></pattern></defs>`,
    `<rect x="${labelWidth}" y="8" width="14" height="14" fill="${COMPLETE}"/>`,
    `<text x="${labelWidth + 20}" y="20" font-size="12" fill="${INK}">${escapeXml(input.legend.complete)}</text>`,
    `<rect x="${labelWidth + 170}" y="8" width="14" height="14" fill="url(#${id}-hatch)" stroke="${COMPLETE}"/>`,
    `<text x="${labelWidth + 190}" y="20" font-size="12" fill="${INK}">${escapeXml(input.legend.partial)}</text>`,
  ];
  const sentences: string[] = [];
  input.rows.forEach((row, i) => {
    const y = top + i * laneHeight;
    parts.push(
      `<line x1="${labelWidth}" x2="${width - 12}" y1="${y + laneHeight - 2}" y2="${y + laneHeight - 2}" stroke="${GRID}"/>`,
      `<text x="4" y="${y + 18}" font-size="12" fill="${INK}">${escapeXml(row.label)}</text>`,
    );
    const spans: string[] = [];
    for (const it of row.intervals) {
      const s = day(it.start);
      const e = it.end === null ? to : nextDay(day(it.end));
      if (e <= from || s >= to) continue;
      const x0 = clampX(s);
      const w = Math.max(1.5, clampX(e) - x0);
      const fill = it.severity === 'complete' ? COMPLETE : `url(#${id}-hatch)`;
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${y + 6}" width="${w.toFixed(1)}" height="${laneHeight - 12}" fill="${fill}" stroke="${COMPLETE}" stroke-width="0.5"/>`,
      );
      const label = it.severity === 'complete' ? input.legend.complete : input.legend.partial;
      spans.push(
        `${label} ${dateText.format(s)} – ${it.end === null ? input.legend.ongoing : dateText.format(day(it.end))}`,
      );
    }
    sentences.push(`${row.label}: ${spans.length > 0 ? spans.join('; ') : '—'}.`);
  });
  const axisY = top + laneHeight * Math.max(1, input.rows.length) + 14;
  const monthText = new Intl.DateTimeFormat(input.lang, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const ticks = x.ticks(Math.max(2, Math.floor((width - labelWidth) / 90)));
  for (const t of ticks)
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top}" y2="${axisY - 10}" stroke="${GRID}" stroke-dasharray="2 3"/>`,
      `<text x="${x(t).toFixed(1)}" y="${axisY}" font-size="10" fill="${MUTED}" text-anchor="middle">${escapeXml(monthText.format(t))}</text>`,
    );
  const text = sentences.join(' ');
  return {
    svg: svgDocument({ title: input.title, desc: text, width, height, lang: input.lang }, parts.join(''), id),
    title: input.title,
    text,
  };
}

export interface SeriesChartInput {
  title: string;
  lang: RenderLang;
  points: { asOf: string; expected: number; cumulative: number }[];
  legend: { expected: string; observed: string };
  unit?: string;
  width?: number;
  height?: number;
  idPrefix?: string;
}

/** Cumulative expected against cumulative observed over time: how the gap grows (dashboards, editions). */
export function renderSeriesChart(input: SeriesChartInput): Figure {
  const width = input.width ?? 640;
  const height = input.height ?? 260;
  const m = { top: 34, right: 16, bottom: 26, left: 70 };
  const pts = [...input.points].sort((a, b) => a.asOf.localeCompare(b.asOf));
  const dates = pts.map((p) => day(p.asOf));
  const x = scaleUtc()
    .domain(dates.length > 1 ? [dates[0]!, dates[dates.length - 1]!] : [new Date(0), new Date(86_400_000)])
    .range([m.left, width - m.right]);
  const max = Math.max(1, ...pts.map((p) => Math.max(p.expected, p.cumulative)));
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([height - m.bottom, m.top]);
  const path = (key: 'expected' | 'cumulative') =>
    line<(typeof pts)[number]>()
      .x((p) => x(day(p.asOf)))
      .y((p) => y(p[key]))
      .digits(1)(pts) ?? '';
  const parts: string[] = [legend(input.legend, m.left)];
  for (const t of y.ticks(4))
    parts.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${GRID}"/>`,
      `<text x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" font-size="10" fill="${MUTED}" text-anchor="end">${escapeXml(formatNumber(t, input.lang))}</text>`,
    );
  const dateText = new Intl.DateTimeFormat(input.lang, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  for (const t of x.ticks(5))
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${height - 8}" font-size="10" fill="${MUTED}" text-anchor="middle">${escapeXml(dateText.format(t))}</text>`,
    );
  parts.push(
    `<path d="${path('expected')}" fill="none" stroke="${EXPECTED}" stroke-width="2.5" stroke-dasharray="6 3"/>`,
    `<path d="${path('cumulative')}" fill="none" stroke="${OBSERVED}" stroke-width="2.5"/>`,
  );
  const unit = input.unit ? ` ${input.unit}` : '';
  const text = pts
    .map(
      (p) =>
        `${dateText.format(day(p.asOf))}: ${input.legend.expected} ${formatNumber(p.expected, input.lang)}${unit}, ` +
        `${input.legend.observed} ${formatNumber(p.cumulative, input.lang)}${unit}.`,
    )
    .join(' ');
  return {
    svg: svgDocument(
      { title: input.title, desc: text, width, height, lang: input.lang },
      parts.join(''),
      input.idPrefix,
    ),
    title: input.title,
    text,
  };
}
