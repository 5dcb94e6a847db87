import { compilePdf, formatNumber, typstString, typstText } from '../render/index.js';
import type { EditionContent, EditionLang, LocalText, TracedNumber } from './schema.js';
import { wordsFor, type WordKey } from './wording.js';

/**
 * An edition as a Typst document, and its PDF. Every piece of text that comes from data (titles, summaries, names,
 * sources) goes through `typstText`, so that a record titled `#import …` or `]` prints as written; the only markup
 * is the template's. Each number links to its endnote in "Where the numbers come from".
 */
export function editionTypst(
  content: EditionContent,
  contentSha256: string,
): { source: string; files: Record<string, string> } {
  const lang = content.lang;
  const w = wordsFor(lang);
  const t = typstText;
  const fmt = (n: number) => formatNumber(n, lang, n % 1 === 0 ? 0 : 1);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso.slice(0, 10)}T00:00:00Z`),
    );
  const langName = (l: EditionLang) => w(`rep_lang_${l}` as WordKey);
  const text = (x: LocalText) =>
    x.fallback
      ? `#text(lang: "${x.lang}")[${t(x.text)}] #text(size: 0.8em, style: "italic")[(${t(w('rep_ed_untranslated', { language: langName(x.lang) }))})]`
      : t(x.text);
  const traceN = new Map(content.traces.map((tr) => [tr.id, tr.n]));
  const n = (x: TracedNumber) => `#link(<${x.trace}>)[${t(fmt(x.value))}#super[${traceN.get(x.trace) ?? '?'}]]`;
  const files: Record<string, string> = {};
  const figure = (name: string, fig: { svg: string; title: string; text: string } | null, width = '100%') => {
    if (!fig) return '';
    files[`fig/${name}.svg`] = fig.svg;
    return (
      `#figure(image("/fig/${name}.svg", width: ${width}, alt: ${typstString(fig.text)}), ` +
      `caption: [${t(fig.title)}])\n`
    );
  };

  const out: string[] = [];
  out.push(
    `#set document(title: ${typstString(content.title.text)})`,
    `#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1", footer: context [#set text(size: 8pt, fill: gray); ${t(content.title.text)} · ${t(w('rep_ed_edition_as_of', { date: date(content.asOf) }))} #h(1fr) #counter(page).display()])`,
    `#set text(font: "DejaVu Sans", size: 10pt, lang: "${lang}")`,
    '#set par(justify: false, leading: 0.6em)',
    '#set heading(numbering: none)',
    '#show heading.where(level: 1): it => { pagebreak(weak: true); it }',
    '#show link: set text(fill: rgb("#1d3557"))',
    '',
    // Title page.
    '#align(center + horizon)[',
    `  #text(size: 24pt, weight: "bold")[${text(content.title)}]`,
    '  #v(1em)',
    content.crisis ? `  #text(size: 14pt)[${text(content.crisis.name)}]` : '',
    '  #v(1em)',
    `  #text(size: 14pt)[${t(w('rep_ed_edition_as_of', { date: date(content.asOf) }))}]`,
    content.keyNumbers.day
      ? `  #v(2em) #text(size: 40pt, weight: "bold")[${n(content.keyNumbers.day)}] \\ ${t(w('rep_card_day'))}`
      : '',
    '  #v(3em)',
    `  #text(size: 7pt, fill: gray)[${t(w('rep_hash_content'))}: ${t(contentSha256)}]`,
    ']',
    '#pagebreak()',
    `#outline(title: [${t(w('rep_ed_contents'))}], depth: 2)`,
    '',
  );

  // Key numbers.
  out.push(`= ${t(w('rep_ed_key_numbers'))}`);
  const k = content.keyNumbers;
  if (k.day) {
    // The number sits inside the sentence: split around a private-use mark so each side is escaped on its own.
    const [before = '', after = ''] = w('rep_ed_day_sentence', { date: date(content.asOf), day: '\ue000' }).split(
      '\ue000',
    );
    out.push(`${t(before)}${n(k.day)}${t(after)}`);
  } else out.push(t(w('rep_ed_no_crisis')));
  out.push('', `${t(w('rep_ed_published_records'))}: ${n(k.publishedRecords)}`, '');
  const illustrative = ` #text(size: 0.8em, style: "italic")[(${t(w('rep_ed_illustrative'))})]`;
  if (k.disruptions.length > 0) {
    out.push(
      `== ${t(w('rep_ed_disruptions'))}`,
      '#table(columns: (2fr, 1fr, 1fr, 1fr, 1fr), stroke: 0.5pt + gray, inset: 5pt,',
      `  table.header([*${t(w('rep_ed_col_service'))}*], [*${t(w('rep_ed_col_complete'))}*], [*${t(w('rep_ed_col_partial'))}*], [*${t(w('rep_ed_col_any'))}*], [*${t(w('rep_ed_col_now'))}*]),`,
      ...k.disruptions.map(
        (d) =>
          `  [${t(d.label)}${d.illustrative ? illustrative : ''}], [${n(d.completeDays)}], [${n(d.partialDays)}], [${n(d.anyDays)}], [${t(d.ongoing ? w('rep_ed_cut_now') : w('rep_ed_not_cut'))}],`,
      ),
      ')',
      figure('disruptions', content.figures.disruptions),
    );
  }
  if (k.indicators.length > 0) {
    out.push(
      `== ${t(w('rep_ed_indicators'))}`,
      '#table(columns: (2fr, 1fr, 1fr, 2fr), stroke: 0.5pt + gray, inset: 5pt,',
      `  table.header([*${t(w('rep_ed_col_indicator'))}*], [*${t(w('rep_ed_col_expected'))}*], [*${t(w('rep_ed_col_observed'))}*], [*${t(w('rep_ed_col_shortfall'))}*]),`,
      ...k.indicators.map(
        (i) =>
          `  [${text(i.name)} (${text(i.unit)})${i.illustrative ? illustrative : ''}], [${n(i.expected)}], [${i.observed ? n(i.observed) : t(w('rep_ed_none_observed'))}], [${t(i.wording)}],`,
      ),
      ')',
      figure('indicators', content.figures.indicators),
    );
  }
  if (k.keyFigures.length > 0) {
    out.push(`== ${t(w('rep_ed_key_figures'))}`);
    for (const f of k.keyFigures)
      out.push(
        `- ${text(f.label)}: *${n(f.value)}*${f.unit ? ` ${text(f.unit)}` : ''} (${t(date(f.asOf))})${f.illustrative ? illustrative : ''}`,
      );
  }
  if (k.disruptions.some((d) => d.illustrative) || k.indicators.some((i) => i.illustrative))
    out.push('', `#text(size: 0.85em, style: "italic")[${t(w('rep_ed_illustrative_note'))}]`);
  out.push(figure('map', content.figures.map, '85%'));

  // Rights.
  for (const c of content.categories) {
    out.push(`= ${t(c.name)}`, `${t(w('rep_ed_records_count'))}: ${n(c.count)}`, '');
    for (const r of c.rights) {
      out.push(
        `== ${t(r.name)}`,
        r.instruments.length > 0 ? `#text(size: 0.85em, fill: gray)[${t(r.instruments.join(' · '))}]` : '',
        '',
        `${t(w('rep_ed_records_count'))}: ${n(r.count)}`,
        '',
      );
      if (r.groups.length > 0)
        out.push(`${t(w('rep_ed_groups'))}: ${r.groups.map((g) => `${t(g.label)} (${n(g.count)})`).join(', ')}`, '');
      if (r.records.length === 0) out.push(`#emph[${t(w('rep_ed_no_records'))}]`, '');
      else {
        out.push(`=== ${t(w('rep_ed_selected'))}`);
        for (const rec of r.records) {
          const meta = w('rep_ed_record_meta', {
            code: rec.code,
            date: rec.startDate ?? '—',
            verification: rec.verification,
          });
          out.push(
            `#block(breakable: false, below: 1em)[*${text(rec.title)}* \\`,
            `#text(size: 0.85em, fill: gray)[${t(meta)}${rec.places.length > 0 ? ` · ${t(rec.places.join(', '))}` : ''}${
              rec.sourceNumbers.length > 0
                ? ` · ${t(w('rep_ed_sources'))} ${rec.sourceNumbers.map((s) => `#link(<src${s}>)[\\[${s}\\]]`).join(' ')}`
                : ''
            }] \\`,
            `${text(rec.summary)}]`,
          );
        }
      }
      if (r.contributions.length > 0) {
        out.push(`=== ${t(w('rep_ed_stories'))}`);
        for (const s of r.contributions) out.push(`*${text(s.title)}* \\`, s.text ? text(s.text) : '', '');
      }
    }
  }

  // Methodology.
  out.push(`= ${t(w('rep_ed_methodology'))}`);
  for (const p of content.methodology.paragraphs) out.push(t(p), '');
  for (const v of content.methodology.verification) out.push(`- ${t(v.label)}: ${t(fmt(v.count))}`);

  // Annex.
  out.push('', `= ${t(w('rep_ed_annex'))}`);
  if (content.annex.length === 0) out.push(t(w('rep_ed_annex_none')));
  for (const a of content.annex) {
    const kind = w(`rep_src_${a.type.replace('-', '_')}` as WordKey);
    const parts = [
      a.title ?? w('rep_ed_interview'),
      a.title !== null ? kind : null,
      a.publisher,
      a.date ? date(a.date) : null,
    ].filter((x): x is string => x !== null);
    out.push(
      `#block(below: 0.6em)[\\[${a.n}\\] ${t(parts.join(' · '))}${a.url ? ` \\ #link(${typstString(a.url)})[${t(a.url)}]` : ''}] <src${a.n}>`,
    );
  }

  // Endnotes: where every number comes from.
  out.push('', `= ${t(w('rep_ed_traces'))}`);
  for (const tr of content.traces) {
    const lines = [`*${tr.n}.* ${t(tr.label)}: ${t(tr.method)}`];
    for (const item of tr.items)
      lines.push(`${t(item.text)}${item.sourceIds.length > 0 ? ` ${sourceRefs(content, item.sourceIds)}` : ''}`);
    if (tr.records.length > 0) {
      lines.push(
        `${t(w('rep_ed_trace_records', { total: fmt(tr.recordsTotal) }))} ${t(tr.records.map((r) => r.code).join(', '))}`,
      );
    }
    if (tr.recordsTotal > tr.records.length && tr.query) {
      const query = `/api/public/records?${new URLSearchParams(tr.query).toString()}`;
      lines.push(
        t(
          tr.records.length === 0
            ? w('rep_ed_trace_query', { query })
            : w('rep_ed_trace_more', { count: fmt(tr.recordsTotal - tr.records.length), query }),
        ),
      );
    }
    out.push(`#block(below: 0.8em)[${lines.join(' \\\n')}] <${tr.id}>`);
  }
  return { source: out.join('\n'), files };
}

function sourceRefs(content: EditionContent, ids: string[]): string {
  const ns = ids.flatMap((id) => {
    const a = content.annex.find((x) => x.id === id);
    return a ? [a.n] : [];
  });
  return ns.map((s) => `#link(<src${s}>)[\\[${s}\\]]`).join(' ');
}

export function editionPdf(content: EditionContent, contentSha256: string): Buffer {
  const { source, files } = editionTypst(content, contentSha256);
  return compilePdf(source, files);
}
