import type { PlacesService } from '../places/index.js';
import type { FacetValue, PublicRecord, RecordsService } from '../records/index.js';
import { SEARCH_GROUPS } from '../records/index.js';
import type { RightsService } from '../rights/index.js';
import type { SourcesService } from '../sources/index.js';
import {
  formatNumber,
  renderDisruptionTimeline,
  renderShortfallChart,
  renderStaticMap,
  type MapPoint,
} from '../render/index.js';
import {
  EDITION_LANGS,
  type Contribution,
  type EditionContent,
  type EditionLang,
  type EditionRecord,
  type LocalText,
  type ReportTitles,
  type Trace,
  type TracedNumber,
} from './schema.js';
import { wordsFor, type WordKey, type Words } from './wording.js';

/** Text in language variants, as the crisis module and the report's titles keep it. */
export type Variants = Partial<Record<EditionLang, string>>;

/**
 * What an edition needs of the crisis module: pure reads of public facts, the shapes of `crisis/schema.ts`
 * (`Crisis`, `PublicCounters`, `KeyFigure`, `Explanation`). `platform.ts` hands over the crisis service.
 */
export interface CrisisReader {
  crisis(): Promise<{ name: Variants; startDate: string; timeZone: string } | null>;
  counters(asOf: string): Promise<{
    day: number;
    disruptions: {
      service: string;
      label: string | null;
      completeDays: number;
      partialDays: number;
      anyDays: number;
      ongoing: boolean;
      illustrative: boolean;
    }[];
    indicators: {
      id: string;
      name: Variants;
      unit: Variants;
      day: number;
      expected: number;
      observed: number | null;
      ratio: number | null;
      percentOfNormal: number | null;
      illustrative: boolean;
    }[];
  }>;
  keyFigures(asOf: string): Promise<
    {
      id: string;
      label: Variants;
      value: number;
      unit: Variants | null;
      asOf: string;
      sourceId: string | null;
      illustrative: boolean;
    }[]
  >;
  explain(asOf: string): Promise<{
    disruptions: {
      service: string;
      label: string | null;
      intervals: {
        start: string;
        end: string | null;
        severity: 'complete' | 'partial';
        sourceId: string | null;
        area: string | null;
      }[];
    }[];
    indicators: {
      id: string;
      baseline: { perDay: number; sourceId: string | null; period: string | null };
      observation: { asOf: string; cumulative: number; sourceId: string | null } | null;
    }[];
    keyFigures: { id: string; sourceId: string | null }[];
  }>;
}

/** What a later module (human stories, the photo bank) adds to a right's section of an edition. */
export interface EditionContributor {
  /** A stable name, kept with each contribution (e.g. `stories`). */
  readonly id: string;
  /**
   * The material for one right, cleared for publication (consent given and valid, pseudonymised), in the edition's
   * language where it exists (mark a fallback as such). Called once per right, in the build; must not write.
   */
  contribute(ctx: {
    rightId: string;
    lang: EditionLang;
    asOf: string;
    /** The published records the section shows. */
    recordIds: string[];
  }): Promise<Omit<Contribution, 'contributor'>[]>;
}

export interface BuildDeps {
  crisis: CrisisReader | null;
  /** `list` with no actor is the public's view (published public records only); `publicGetMany` reads them. */
  records: Pick<RecordsService, 'list' | 'publicGetMany'>;
  sources: Pick<SourcesService, 'ofRecord' | 'get'>;
  rights: Pick<RightsService, 'tree'>;
  places: Pick<PlacesService, 'get'>;
  contributors: readonly EditionContributor[];
}

export interface BuildInput {
  reportId: string;
  titles: ReportTitles;
  selection: string[];
  recordsPerRight: number;
  lang: EditionLang;
  asOf: string;
}

/** Records listed in a trace, at most. The trace's query gives the rest. */
const TRACE_RECORDS = 200;

/**
 * Builds an edition's content from the data as it is now: only public facts (the crisis module's counters) and
 * published public records (the records module's public search and reads) ever enter it. `onProgress` hears the
 * percent done and the stage.
 */
export async function buildEdition(
  deps: BuildDeps,
  input: BuildInput,
  onProgress: (percent: number, stage: WordKey) => Promise<void> | void = () => undefined,
): Promise<EditionContent> {
  const { lang, asOf } = input;
  const w = wordsFor(lang);
  const fmt = (n: number, digits = 0) => formatNumber(n, lang, digits);
  const dateText = (iso: string) =>
    new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${iso.slice(0, 10)}T00:00:00Z`),
    );
  const local = localiser(lang);
  const traces: Trace[] = [];
  const trace = (t: Omit<Trace, 'id' | 'n'>): string => {
    const n = traces.length + 1;
    const id = `t${n}`;
    traces.push({ id, n, ...t });
    return id;
  };
  const num = (value: number, t: Omit<Trace, 'id' | 'n'>): TracedNumber => ({ value, trace: trace(t) });
  const annex = new Annex(deps.sources);

  // 1. The crisis and its counters.
  await onProgress(2, 'rep_stage_counters');
  const crisis = deps.crisis ? await deps.crisis.crisis() : null;
  let keyNumbers: Omit<EditionContent['keyNumbers'], 'publishedRecords'> = {
    day: null,
    disruptions: [],
    indicators: [],
    keyFigures: [],
  };
  let timeline: EditionContent['figures']['disruptions'] = null;
  let shortfall: EditionContent['figures']['indicators'] = null;
  if (deps.crisis && crisis && crisis.startDate <= asOf) {
    const [counters, figures, why] = await Promise.all([
      deps.crisis.counters(asOf),
      deps.crisis.keyFigures(asOf),
      deps.crisis.explain(asOf),
    ]);
    const serviceName = (service: string, label: string | null) =>
      service === 'custom' && label ? label : serviceLabel(w, service);
    const day = num(counters.day, {
      kind: 'day',
      label: w('rep_ed_day_sentence', { date: dateText(asOf), day: counters.day }),
      method: w('rep_tr_day', { day: counters.day, zone: crisis.timeZone, start: crisis.startDate, date: asOf }),
      records: [],
      recordsTotal: 0,
      query: null,
      items: [],
      sourceIds: [],
    });
    const disruptions: EditionContent['keyNumbers']['disruptions'] = [];
    for (const d of counters.disruptions) {
      const label = serviceName(d.service, d.label);
      const intervals = why.disruptions
        .filter((x) => x.service === d.service && (d.service !== 'custom' || x.label === d.label))
        .flatMap((x) => x.intervals);
      const sourceIds = unique(intervals.flatMap((i) => (i.sourceId ? [i.sourceId] : [])));
      await annex.addAll(sourceIds);
      const items = intervals.map((i) => ({
        text:
          `${i.severity === 'complete' ? w('rep_ed_complete') : w('rep_ed_partial')}: ${i.start} – ` +
          `${i.end ?? w('rep_ed_ongoing')}${i.area ? ` (${i.area})` : ''}`,
        sourceIds: i.sourceId ? [i.sourceId] : [],
      }));
      const traced = (what: WordKey, value: number) =>
        num(value, {
          kind: 'disruption',
          label: `${label}, ${w(what)}`,
          method: w('rep_tr_disruption', { service: label, what: w(what), date: asOf }),
          records: [],
          recordsTotal: 0,
          query: null,
          items,
          sourceIds,
        });
      disruptions.push({
        service: d.service,
        label,
        completeDays: traced('rep_ed_col_complete', d.completeDays),
        partialDays: traced('rep_ed_col_partial', d.partialDays),
        anyDays: traced('rep_ed_col_any', d.anyDays),
        ongoing: d.ongoing,
        illustrative: d.illustrative,
      });
    }
    const indicators: EditionContent['keyNumbers']['indicators'] = [];
    for (const i of counters.indicators) {
      const name = local(i.name);
      const basis = why.indicators.find((x) => x.id === i.id);
      const baselineSources = basis?.baseline.sourceId ? [basis.baseline.sourceId] : [];
      const observationSources = basis?.observation?.sourceId ? [basis.observation.sourceId] : [];
      await annex.addAll([...baselineSources, ...observationSources]);
      const expected = num(i.expected, {
        kind: 'indicator',
        label: `${name.text}, ${w('rep_ed_legend_expected')}`,
        method: w('rep_tr_expected', {
          indicator: name.text,
          baseline: fmt(basis?.baseline.perDay ?? 0, 2),
          days: i.day,
        }),
        records: [],
        recordsTotal: 0,
        query: null,
        items: basis
          ? [
              {
                text: w('rep_tr_baseline', {
                  baseline: fmt(basis.baseline.perDay, 2),
                  period: basis.baseline.period ?? '—',
                }),
                sourceIds: baselineSources,
              },
            ]
          : [],
        sourceIds: baselineSources,
      });
      const observed =
        i.observed === null
          ? null
          : num(i.observed, {
              kind: 'indicator',
              label: `${name.text}, ${w('rep_ed_legend_observed')}`,
              method: w('rep_tr_observed', { indicator: name.text, date: basis?.observation?.asOf ?? asOf }),
              records: [],
              recordsTotal: 0,
              query: null,
              items: basis?.observation
                ? [
                    {
                      text: `${basis.observation.asOf}: ${fmt(basis.observation.cumulative)}`,
                      sourceIds: observationSources,
                    },
                  ]
                : [],
              sourceIds: observationSources,
            });
      indicators.push({
        id: i.id,
        name,
        unit: local(i.unit),
        expected,
        observed,
        percentOfNormal: i.percentOfNormal,
        wording: shortfallWording(w, i.expected, i.observed, lang),
        illustrative: i.illustrative,
      });
    }
    const keyFigures: EditionContent['keyNumbers']['keyFigures'] = [];
    for (const f of figures) {
      const label = local(f.label);
      const sourceIds = f.sourceId ? [f.sourceId] : [];
      await annex.addAll(sourceIds);
      keyFigures.push({
        id: f.id,
        label,
        value: num(f.value, {
          kind: 'key-figure',
          label: label.text,
          method: w('rep_tr_key_figure', { label: label.text, date: f.asOf }),
          records: [],
          recordsTotal: 0,
          query: null,
          items: [],
          sourceIds,
        }),
        unit: f.unit ? local(f.unit) : null,
        asOf: f.asOf,
        illustrative: f.illustrative,
      });
    }
    keyNumbers = { day, disruptions, indicators, keyFigures };
    if (disruptions.length > 0)
      timeline = renderDisruptionTimeline({
        title: w('rep_ed_fig_disruptions'),
        lang,
        from: crisis.startDate,
        to: asOf,
        rows: disruptions.map((d) => ({
          label: d.label,
          intervals: why.disruptions
            .filter((x) => x.service === d.service)
            .flatMap((x) => x.intervals)
            .map((i) => ({ start: i.start, end: i.end, severity: i.severity })),
        })),
        legend: { complete: w('rep_ed_complete'), partial: w('rep_ed_partial'), ongoing: w('rep_ed_ongoing') },
        idPrefix: 'fig-disruptions',
      });
    if (indicators.length > 0)
      shortfall = renderShortfallChart({
        title: w('rep_ed_fig_indicators', { date: dateText(asOf) }),
        lang,
        bars: indicators.map((i) => ({
          label: i.name.text,
          expected: i.expected.value,
          observed: i.observed?.value ?? null,
          note: i.wording,
        })),
        legend: {
          expected: w('rep_ed_legend_expected'),
          observed: w('rep_ed_legend_observed'),
          none: w('rep_ed_none_observed'),
        },
        idPrefix: 'fig-indicators',
      });
  }

  // 2. The register: counts by category, right and affected group; the records shown.
  await onProgress(10, 'rep_stage_rights');
  // No actor: the public's view, so that only published public records are counted or listed.
  const everything = await deps.records.list(null, { to: asOf, sort: 'date', limit: TRACE_RECORDS });
  const recordsQuery = { to: asOf };
  const publishedRecords = num(everything.total.value, {
    kind: 'records',
    label: w('rep_ed_published_records'),
    method: w('rep_tr_records_all', { date: asOf }),
    records: everything.items.map((r) => ({ id: r.id, code: r.code })),
    recordsTotal: everything.total.value,
    query: recordsQuery,
    items: [],
    sourceIds: [],
  });
  const countOf = (facet: FacetValue[], value: string) => facet.find((f) => f.value === value)?.count ?? 0;
  const selected = await selectedRecords(deps.records, input.selection, asOf);
  const tree = (await deps.rights.tree()).filter((c) => c.retiredAt === null);
  const rightsTotal = tree.reduce((n, c) => n + c.children.length, 0);
  let rightsDone = 0;
  const places = new Map<string, { point: MapPoint | null; name: string }>();
  const categories: EditionContent['categories'] = [];
  for (const category of tree) {
    const rights: EditionContent['categories'][number]['rights'] = [];
    const categoryCount = num(countOf(everything.facets.category, category.id), {
      kind: 'records',
      label: category.names[lang],
      method: w('rep_tr_records_right', { right: category.names[lang], date: asOf }),
      records: [],
      recordsTotal: countOf(everything.facets.category, category.id),
      query: { category: category.id, to: asOf },
      items: [],
      sourceIds: [],
    });
    for (const right of category.children.filter((r) => r.retiredAt === null)) {
      const name = right.names[lang];
      const list = await deps.records.list(null, { right: right.id, to: asOf, sort: 'date', limit: TRACE_RECORDS });
      const count = num(list.total.value, {
        kind: 'records',
        label: name,
        method: w('rep_tr_records_right', { right: name, date: asOf }),
        records: list.items.map((r) => ({ id: r.id, code: r.code })),
        recordsTotal: list.total.value,
        query: { right: right.id, to: asOf },
        items: [],
        sourceIds: [],
      });
      const groups = SEARCH_GROUPS.flatMap((g) => {
        const n = countOf(list.facets.group, g);
        if (n === 0) return [];
        const label = w(`rep_group_${g}` as WordKey);
        return [
          {
            group: g,
            label,
            count: num(n, {
              kind: 'records' as const,
              label: `${name}: ${label}`,
              method: `${w('rep_tr_records_right', { right: name, date: asOf })} ${w('rep_tr_records_group', { group: label })}`,
              records: [],
              recordsTotal: n,
              query: { right: right.id, group: g, to: asOf },
              items: [],
              sourceIds: [],
            }),
          },
        ];
      });
      const chosen = selected.filter((r) => r.rightIds.includes(right.id));
      const shown =
        chosen.length > 0
          ? chosen
          : await deps.records.publicGetMany(list.items.slice(0, input.recordsPerRight).map((r) => r.id));
      const records: EditionRecord[] = [];
      for (const r of shown) records.push(await editionRecord(r, lang, local, annex, deps.places, places, w));
      const contributions: Contribution[] = [];
      for (const c of deps.contributors) {
        const given = await c.contribute({ rightId: right.id, lang, asOf, recordIds: records.map((r) => r.id) });
        contributions.push(...given.map((g) => ({ ...g, contributor: c.id })));
      }
      rights.push({
        id: right.id,
        code: right.code,
        name,
        instruments: right.instruments,
        count,
        groups,
        records,
        contributions,
      });
      rightsDone += 1;
      await onProgress(10 + Math.round((60 * rightsDone) / Math.max(1, rightsTotal)), 'rep_stage_rights');
    }
    categories.push({ id: category.id, code: category.code, name: category.names[lang], count: categoryCount, rights });
  }

  // 3. Figures.
  await onProgress(72, 'rep_stage_figures');
  const points = [...places.values()].flatMap((p) => (p.point ? [p.point] : []));
  const map =
    points.length > 0
      ? renderStaticMap({ points, width: 640, height: 420, lang, title: w('rep_ed_fig_map'), idPrefix: 'fig-map' })
      : null;

  const content: EditionContent = {
    format: 1,
    reportId: input.reportId,
    lang,
    asOf,
    title: local(input.titles),
    crisis: crisis ? { name: local(crisis.name), startDate: crisis.startDate, timeZone: crisis.timeZone } : null,
    keyNumbers: { ...keyNumbers, publishedRecords },
    figures: { indicators: shortfall, disruptions: timeline, map },
    categories,
    methodology: {
      paragraphs: [
        w('rep_ed_method_records', { date: dateText(asOf) }),
        w('rep_ed_method_counters'),
        w('rep_ed_method_trace'),
        w('rep_ed_method_verification'),
      ],
      verification: everything.facets.verification.map((v) => ({
        value: v.value,
        label: w(`rep_verif_${v.value}` as WordKey),
        count: v.count,
      })),
    },
    annex: annex.entries(),
    traces,
    untranslated: 0,
  };
  content.untranslated = countFallbacks(content);
  return content;
}

/** Picks a text for the edition's language: the language itself, else the original, else any; never silently. */
export function localiser(lang: EditionLang) {
  return (variants: Variants, original?: EditionLang): LocalText => {
    const own = variants[lang];
    if (own !== undefined) return { text: own, lang, fallback: false };
    const order = [...(original ? [original] : []), ...EDITION_LANGS];
    const other = order.find((l) => variants[l] !== undefined) ?? lang;
    return { text: variants[other] ?? '', lang: other, fallback: true };
  };
}

export function serviceLabel(w: Words, service: string): string {
  const known = ['gas', 'electricity', 'internet', 'mobile', 'water', 'fuel'];
  return w((known.includes(service) ? `rep_service_${service}` : 'rep_service_custom') as WordKey);
}

/**
 * "about 50 times fewer", "none observed": the shortfall in words, rounded to what a reader can say (two significant
 * digits above ten, one decimal below).
 */
export function shortfallWording(w: Words, expected: number, observed: number | null, lang: EditionLang): string {
  if (observed === null || observed <= 0) return w('rep_ed_none_observed');
  const ratio = expected / observed;
  const percent = (100 * observed) / expected;
  const percentText = formatNumber(percent, lang, percent < 10 ? 1 : 0);
  if (ratio < 1.05) return w('rep_ed_percent_of_normal', { percent: percentText });
  const rounded = ratio >= 10 ? Number(ratio.toPrecision(2)) : Math.round(ratio * 10) / 10;
  return `${w('rep_ed_times_fewer', { n: formatNumber(rounded, lang, 1) })} · ${w('rep_ed_percent_of_normal', { percent: percentText })}`;
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/** The chosen records that are published and public, and began by the edition's date; the others are skipped. */
async function selectedRecords(records: BuildDeps['records'], ids: string[], asOf: string): Promise<PublicRecord[]> {
  return (await records.publicGetMany(ids)).filter(
    (r) => r.startDate === null || r.startDate.slice(0, asOf.length) <= asOf,
  );
}

async function editionRecord(
  r: PublicRecord,
  lang: EditionLang,
  local: ReturnType<typeof localiser>,
  annex: Annex,
  places: BuildDeps['places'],
  seen: Map<string, { point: MapPoint | null; name: string }>,
  w: Words,
): Promise<EditionRecord> {
  const original = (Object.entries(r.texts).find(([, t]) => t?.translationStatus === 'original')?.[0] ?? undefined) as
    EditionLang | undefined;
  const titles: Variants = {};
  const summaries: Variants = {};
  for (const l of EDITION_LANGS) {
    const t = r.texts[l];
    if (t) {
      titles[l] = t.title;
      summaries[l] = t.summary;
    }
  }
  const sources = await annex.addRecord(r.id);
  const placeNames: string[] = [];
  for (const p of r.places) {
    let known = seen.get(p.id);
    if (!known) {
      const place = await places.get(p.id).catch(() => null);
      const name = place?.altNames.find((a) => a.lang === lang)?.name ?? p.name;
      known = {
        name,
        point: place?.centroid ? { lon: place.centroid.lon, lat: place.centroid.lat, label: name, weight: 0 } : null,
      };
      seen.set(p.id, known);
    }
    if (known.point) known.point.weight = (known.point.weight ?? 0) + 1;
    placeNames.push(known.name);
  }
  return {
    id: r.id,
    code: r.code,
    title: local(titles, original),
    summary: local(summaries, original),
    startDate: r.startDate,
    places: placeNames,
    verification: w(`rep_verif_${r.verification}` as WordKey),
    sourceNumbers: sources,
  };
}

/** The annex: every source document cited, numbered in order of first citation. */
class Annex {
  private readonly byId = new Map<string, EditionContent['annex'][number]>();

  constructor(private readonly sources: BuildDeps['sources']) {}

  async addAll(ids: string[]): Promise<number[]> {
    const out: number[] = [];
    for (const id of ids) {
      const n = await this.add(id);
      if (n !== null) out.push(n);
    }
    return out;
  }

  /** The sources of a published record (the public may see its links), numbered. */
  async addRecord(recordId: string): Promise<number[]> {
    const linked = await this.sources.ofRecord(recordId, null);
    const out: number[] = [];
    for (const s of linked) {
      const known = this.byId.get(s.id);
      if (known) {
        out.push(known.n);
        continue;
      }
      const full = await this.sources.get(s.id, null);
      out.push(this.put(full).n);
    }
    return unique(out);
  }

  private async add(id: string): Promise<number | null> {
    const known = this.byId.get(id);
    if (known) return known.n;
    try {
      return this.put(await this.sources.get(id, null)).n;
    } catch {
      // A source deleted since it was cited: the number keeps its trace, the annex cannot list it.
      return null;
    }
  }

  private put(s: Awaited<ReturnType<BuildDeps['sources']['get']>>) {
    const entry = {
      n: this.byId.size + 1,
      id: s.id,
      type: s.type,
      // An interview's title can name the person interviewed: never printed.
      title: s.type === 'interview' ? null : s.title,
      publisher: s.type === 'interview' ? null : s.publisher,
      date: s.date,
      url: s.type === 'interview' ? null : s.url,
    };
    this.byId.set(s.id, entry);
    return entry;
  }

  entries(): EditionContent['annex'] {
    return [...this.byId.values()];
  }
}

function countFallbacks(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countFallbacks(v), 0);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.fallback === 'boolean' && typeof o.text === 'string') return o.fallback ? 1 : 0;
    return Object.values(o).reduce((n: number, v) => n + countFallbacks(v), 0);
  }
  return 0;
}
