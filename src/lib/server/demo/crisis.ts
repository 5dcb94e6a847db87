import type { CrisisService } from '../crisis/index.js';
import type { SourcesService } from '../sources/index.js';
import { DEMO_SOURCES, type DemoSourceKey } from './records.js';

/**
 * The demo crisis (issue 6), from the seed documents: the blockade that began on 2022-12-12 at about 10:30 (GMT+4,
 * Asia/Yerevan), its population figures, the disruptions of gas, electricity and the internet, and a key figure.
 *
 * Every entry cites the seed document it comes from. Where the documents give no dates, the entry is flagged
 * illustrative and its note says so. The indicators are wholly illustrative: no seed document gives a normal daily
 * traffic or a count, so their baselines and observations are made-up numbers, flagged and labelled as such.
 */

export const DEMO_CRISIS = {
  name: {
    en: 'Blockade of the Lachin corridor',
    fr: 'Blocus du corridor de Latchine',
    hy: 'Լաչինի միջանցքի շրջափակում',
    ru: 'Блокада Лачинского коридора',
  },
  // According to the ombudsman's 100-day report: "since December 12, 2022, at around 10:30 am (GMT+4)".
  startsAt: '2022-12-12T10:30',
  timeZone: 'Asia/Yerevan',
  population: [
    {
      label: {
        en: 'Population cut off',
        fr: 'Population isolée',
        hy: 'Մեկուսացված բնակչություն',
        ru: 'Отрезанное население',
      },
      value: 120_000,
      source: 'ombudsman-100-days' as DemoSourceKey,
      note: 'According to the ombudsman’s 100-day report, the whole population of 120,000 people was left isolated.',
    },
    {
      label: { en: 'Children among them', fr: 'Dont enfants', hy: 'Որից երեխաներ', ru: 'Из них детей' },
      value: 30_000,
      source: 'ombudsman-100-days' as DemoSourceKey,
      note: 'According to the ombudsman’s 100-day report, 30,000 of them children.',
    },
  ],
};

interface DemoDisruption {
  service: 'gas' | 'electricity' | 'internet';
  area: string;
  source: DemoSourceKey;
  illustrative: boolean;
  note: string;
  intervals: { start: string; end: string | null; severity: 'complete' | 'partial' }[];
}

/** Matched on service and note, so that a second run adds nothing. */
export const DEMO_DISRUPTIONS: readonly DemoDisruption[] = [
  {
    service: 'electricity',
    area: 'Supply from Armenia (the only high-voltage line)',
    source: 'armaras-2023-01-16',
    illustrative: false,
    note:
      'According to the ARMARAS press release of 16 January 2023 (a Monday), the only high-voltage line bringing ' +
      'electricity had been damaged "since Friday", 13 January, and repair crews were refused access. The release ' +
      'gives no end: the interval stops at its date, the last day it documents.',
    intervals: [{ start: '2023-01-13', end: '2023-01-16', severity: 'complete' }],
  },
  {
    service: 'internet',
    area: 'Connection from Armenia (the only fibre-optic cable)',
    source: 'armaras-2023-01-16',
    illustrative: false,
    note:
      'According to the ARMARAS press release of 16 January 2023, the only fibre-optic cable connecting the region ' +
      'to the internet through Armenia had been damaged since Friday, 13 January. The release gives no end: the ' +
      'interval stops at its date.',
    intervals: [{ start: '2023-01-13', end: '2023-01-16', severity: 'complete' }],
  },
  {
    service: 'gas',
    area: 'Whole region',
    source: 'ombudsman-100-days',
    illustrative: true,
    note:
      'ILLUSTRATIVE DATES. According to the ombudsman’s 100-day report, the natural gas supply was deliberately ' +
      'disrupted during the blockade, and the ARMARAS release of 30 January 2023 asks how long 120,000 people can go ' +
      'without gas in sub-zero temperatures; neither gives dates. The intervals here are placeholders for the demo.',
    intervals: [
      { start: '2022-12-13', end: '2022-12-16', severity: 'complete' },
      { start: '2023-01-17', end: '2023-02-06', severity: 'complete' },
      { start: '2023-02-07', end: '2023-03-21', severity: 'partial' },
    ],
  },
];

const ILLUSTRATIVE = 'Illustrative numbers for the demo: no seed document gives a normal daily figure or a count.';

export const DEMO_INDICATORS = [
  {
    name: {
      en: 'People crossing the corridor',
      fr: 'Personnes traversant le corridor',
      hy: 'Միջանցքով անցնող մարդիկ',
      ru: 'Люди, пересекающие коридор',
    },
    unit: { en: 'people', fr: 'personnes', hy: 'մարդ', ru: 'чел.' },
    baselinePerDay: 1200,
    observations: [
      { asOf: '2023-01-30', cumulative: 900 },
      { asOf: '2023-03-21', cumulative: 2100 },
    ],
  },
  {
    name: { en: 'Goods brought in', fr: 'Marchandises acheminées', hy: 'Ներմուծված ապրանքներ', ru: 'Ввезённые грузы' },
    unit: { en: 'tonnes', fr: 'tonnes', hy: 'տոննա', ru: 'т' },
    baselinePerDay: 400,
    observations: [
      { asOf: '2023-01-30', cumulative: 800 },
      { asOf: '2023-03-21', cumulative: 2400 },
    ],
  },
] as const;

export const DEMO_KEY_FIGURES = [
  {
    label: {
      en: 'Children deprived of school for lack of heating',
      fr: 'Enfants privés d’école faute de chauffage',
      hy: 'Ջեռուցման բացակայության պատճառով դպրոցից զրկված երեխաներ',
      ru: 'Дети, лишённые школы из-за отсутствия отопления',
    },
    value: 30_000,
    asOf: '2023-01-30',
    source: 'armaras-2023-01-30' as DemoSourceKey,
    note: 'According to the ARMARAS press release of 30 January 2023.',
  },
];

export interface DemoCrisisResult {
  crisis: boolean;
  disruptions: number;
  indicators: number;
  keyFigures: number;
}

/**
 * Loads the demo crisis. Idempotent: the crisis is set only when none exists (an admin's settings stay), and each
 * disruption, indicator and key figure is added only when one with the same service and note, English name, or
 * label and date is not there yet. Writes are the system's (actor null).
 */
export async function loadDemoCrisis(
  crisis: Pick<
    CrisisService,
    | 'crisis'
    | 'putCrisis'
    | 'disruptions'
    | 'createDisruption'
    | 'indicators'
    | 'createIndicator'
    | 'addObservation'
    | 'allKeyFigures'
    | 'createKeyFigure'
  >,
  sources: Pick<SourcesService, 'list'>,
): Promise<DemoCrisisResult> {
  const sourceIds = new Map<DemoSourceKey, string>();
  for (const s of DEMO_SOURCES) {
    const { items } = await sources.list({ q: s.input.title, type: s.input.type, limit: 500 });
    const same = items.find((i) => i.title === s.input.title && i.publisher === s.input.publisher);
    if (same) sourceIds.set(s.key, same.id);
  }
  const cite = (key: DemoSourceKey) => sourceIds.get(key) ?? null;
  const result: DemoCrisisResult = { crisis: false, disruptions: 0, indicators: 0, keyFigures: 0 };

  if (!(await crisis.crisis())) {
    await crisis.putCrisis(
      {
        name: DEMO_CRISIS.name,
        startsAt: DEMO_CRISIS.startsAt,
        timeZone: DEMO_CRISIS.timeZone,
        // A figure whose source an admin removed is left out: a population figure must cite one.
        population: DEMO_CRISIS.population.flatMap((p) => {
          const sourceId = cite(p.source);
          return sourceId ? [{ label: p.label, value: p.value, sourceId, note: p.note }] : [];
        }),
      },
      null,
    );
    result.crisis = true;
  }

  const disruptions = await crisis.disruptions();
  for (const d of DEMO_DISRUPTIONS) {
    if (disruptions.some((x) => x.service === d.service && x.note === d.note)) continue;
    const [first, ...more] = d.intervals;
    await crisis.createDisruption(
      {
        service: d.service,
        area: d.area,
        sourceId: cite(d.source),
        note: d.note,
        illustrative: d.illustrative,
        severity: first!.severity,
        start: first!.start,
        end: first!.end,
        intervals: more,
      },
      null,
    );
    result.disruptions += 1;
  }

  const indicators = await crisis.indicators();
  for (const i of DEMO_INDICATORS) {
    if (indicators.some((x) => x.name.en === i.name.en)) continue;
    const created = await crisis.createIndicator(
      {
        name: i.name,
        unit: i.unit,
        baselinePerDay: i.baselinePerDay,
        baselinePeriod: 'illustrative',
        illustrative: true,
        note: ILLUSTRATIVE,
      },
      null,
    );
    for (const o of i.observations)
      await crisis.addObservation(created.id, { asOf: o.asOf, cumulative: o.cumulative, note: ILLUSTRATIVE }, null);
    result.indicators += 1;
  }

  const figures = await crisis.allKeyFigures();
  for (const f of DEMO_KEY_FIGURES) {
    if (figures.some((x) => x.label.en === f.label.en && x.asOf === f.asOf)) continue;
    await crisis.createKeyFigure(
      { label: f.label, value: f.value, asOf: f.asOf, sourceId: cite(f.source), note: f.note },
      null,
    );
    result.keyFigures += 1;
  }
  return result;
}
