import { z } from '@hono/zod-openapi';
import { isIsoDate, isTimeZone, LANGS } from './counters.js';

/**
 * The crisis dashboard's shapes (issue 6): the crisis, its disruptions of services, its indicators (baseline against
 * observed) and its key figures. The single source of truth for the API, its OpenAPI document and the types.
 *
 * Dates are calendar dates (`YYYY-MM-DD`) in the crisis time zone; intervals include both their start and end date.
 * Names come in language variants (en, fr, hy, ru), at least one; a plain string is taken as English.
 */

export const SERVICES = ['gas', 'electricity', 'internet', 'mobile', 'water', 'fuel', 'custom'] as const;
export type Service = (typeof SERVICES)[number];
export const SEVERITIES = ['complete', 'partial'] as const;
export const CRISIS_STATUSES = ['ongoing', 'ended'] as const;

export const DateSchema = z
  .string()
  .refine(isIsoDate, 'must be a calendar date, YYYY-MM-DD')
  .openapi({ example: '2023-01-30', format: 'date' });

const Text = (max: number) => z.string().trim().min(1).max(max);

export const VariantsSchema = z
  .object({ en: Text(300).optional(), fr: Text(300).optional(), hy: Text(300).optional(), ru: Text(300).optional() })
  .refine((v) => LANGS.some((l) => v[l] !== undefined), 'give at least one language')
  .openapi('LanguageVariants', { description: 'The text in each working language given; at least one' });
export type Variants = z.infer<typeof VariantsSchema>;

/** Input: variants, or a plain string taken as English. */
export const VariantsInputSchema = z
  .union([Text(300).transform((en) => ({ en }) as Variants), VariantsSchema])
  .openapi({ description: 'Language variants ({ en, fr, hy, ru }, at least one), or a plain string (English)' });

const SourceId = z.string().min(1).max(64).openapi({ description: 'A source of the register (`/api/sources`)' });
const Note = z.string().trim().max(2000);

// --- crisis -------------------------------------------------------------------------------------------------------

export const PopulationFigureSchema = z
  .object({
    label: VariantsSchema,
    value: z.number().int().min(0).max(1e12),
    sourceId: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('PopulationFigure');

export const PopulationFigureInputSchema = z
  .object({
    label: VariantsInputSchema,
    value: z.number().int().min(0).max(1e12),
    sourceId: SourceId,
    note: Note.nullable().optional(),
  })
  .openapi('PopulationFigureInput', { description: 'A population figure; its source is required' });

export const CrisisSchema = z
  .object({
    name: VariantsSchema,
    startsAt: z.string().openapi({ description: 'The start instant, UTC', example: '2022-12-12T06:30:00.000Z' }),
    startsAtLocal: z
      .string()
      .openapi({ description: 'The start as a wall time in the zone', example: '2022-12-12T10:30' }),
    startDate: z.string().openapi({ description: 'Day 1: the start date in the zone', example: '2022-12-12' }),
    timeZone: z.string().openapi({ example: 'Asia/Yerevan' }),
    status: z.enum(CRISIS_STATUSES),
    endsAt: z.string().nullable(),
    endDate: z.string().nullable(),
    population: z.array(PopulationFigureSchema),
    updatedAt: z.string(),
  })
  .openapi('Crisis');
export type Crisis = z.infer<typeof CrisisSchema>;

const Instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/,
    'must be YYYY-MM-DDTHH:mm, optionally with seconds and an offset',
  )
  .refine((v) => isIsoDate(v.slice(0, 10)) && Number(v.slice(11, 13)) < 24 && Number(v.slice(14, 16)) < 60, {
    message: 'not a real date and time',
  })
  .openapi({
    description: 'An instant with an offset, or a wall time without one, read in `timeZone`',
    example: '2022-12-12T10:30',
  });

export const PutCrisisSchema = z
  .object({
    name: VariantsInputSchema,
    startsAt: Instant,
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Yerevan'),
    status: z.enum(CRISIS_STATUSES).default('ongoing'),
    endsAt: Instant.nullable().optional(),
    population: z.array(PopulationFigureInputSchema).max(20).optional(),
  })
  .openapi('PutCrisis');
export type PutCrisisInput = z.input<typeof PutCrisisSchema>;

// --- disruptions --------------------------------------------------------------------------------------------------

export const IntervalSchema = z
  .object({
    id: z.string(),
    start: z.string(),
    end: z.string().nullable().openapi({ description: 'Null while ongoing' }),
    severity: z.enum(SEVERITIES),
    sourceId: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('DisruptionInterval');

export const DisruptionSchema = z
  .object({
    id: z.string(),
    service: z.enum(SERVICES),
    label: z.string().nullable().openapi({ description: 'The service’s name when it is `custom`' }),
    area: z.string().nullable(),
    placeIds: z.array(z.string()).openapi({
      description: 'Gazetteer places the disruption covers: the public map draws their outlines or points',
    }),
    sourceId: z.string().nullable(),
    note: z.string().nullable(),
    illustrative: z.boolean().openapi({ description: 'Dates not given by the source: shown as illustrative' }),
    intervals: z.array(IntervalSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Disruption');
export type Disruption = z.infer<typeof DisruptionSchema>;

export const AddIntervalSchema = z
  .object({
    start: DateSchema,
    end: DateSchema.nullable().optional().openapi({ description: 'Leave out, or null, while the cut goes on' }),
    severity: z.enum(SEVERITIES),
    sourceId: SourceId.nullable().optional(),
    note: Note.nullable().optional(),
  })
  .refine((i) => i.end == null || i.end >= i.start, { message: 'the end cannot be before the start', path: ['end'] })
  .openapi('AddDisruptionInterval');

export const UpdateIntervalSchema = z
  .object({
    start: DateSchema.optional(),
    end: DateSchema.nullable().optional(),
    severity: z.enum(SEVERITIES).optional(),
    sourceId: SourceId.nullable().optional(),
    note: Note.nullable().optional(),
  })
  .openapi('UpdateDisruptionInterval');

export const DISRUPTION_PLACES_MAX = 50;

const DisruptionFields = {
  service: z.enum(SERVICES),
  label: Text(100).nullable().optional(),
  area: Text(300).nullable().optional(),
  placeIds: z
    .array(z.string().trim().min(1).max(64))
    .max(DISRUPTION_PLACES_MAX)
    .optional()
    .openapi({ description: 'Gazetteer places it covers, in order (each must exist); replaces the list when given' }),
  sourceId: SourceId.nullable().optional(),
  note: Note.nullable().optional(),
  illustrative: z.boolean().optional(),
};

const customNeedsLabel = (d: { service?: Service; label?: string | null }) =>
  d.service !== 'custom' || (d.label ?? '') !== '';

export const CreateDisruptionSchema = z
  .object({
    ...DisruptionFields,
    severity: z.enum(SEVERITIES),
    start: DateSchema,
    end: DateSchema.nullable().optional(),
    intervals: z
      .array(AddIntervalSchema)
      .max(200)
      .optional()
      .openapi({ description: 'Further intervals besides the first (start, end, severity)' }),
  })
  .refine(customNeedsLabel, { message: 'a custom service needs a label', path: ['label'] })
  .refine((d) => d.end == null || d.end >= d.start, { message: 'the end cannot be before the start', path: ['end'] })
  .openapi('CreateDisruption');
export type CreateDisruptionInput = z.input<typeof CreateDisruptionSchema>;

export const UpdateDisruptionSchema = z
  .object({ ...DisruptionFields, service: DisruptionFields.service.optional() })
  .openapi('UpdateDisruption');
export type UpdateDisruptionInput = z.input<typeof UpdateDisruptionSchema>;

// --- indicators ---------------------------------------------------------------------------------------------------

export const ObservationSchema = z
  .object({
    id: z.string(),
    asOf: z.string(),
    kind: z.enum(['cumulative', 'daily']),
    value: z.number(),
    sourceId: z.string().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('IndicatorObservation');

export const IndicatorSchema = z
  .object({
    id: z.string(),
    name: VariantsSchema,
    unit: VariantsSchema,
    baselinePerDay: z.number(),
    baselineSourceId: z.string().nullable(),
    baselinePeriod: z.string().nullable().openapi({ description: 'The reference period of the baseline' }),
    illustrative: z.boolean(),
    note: z.string().nullable(),
    observations: z.array(ObservationSchema).openapi({ description: 'Oldest first' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Indicator');
export type Indicator = z.infer<typeof IndicatorSchema>;

/** Checked by the service, not here: the API contract answers a baseline ≤ 0 with 400, not a 422 validation. */
const Baseline = z
  .number()
  .finite()
  .max(1e12)
  .openapi({ exclusiveMinimum: 0, description: 'The normal daily average; must be greater than 0 (400 otherwise)' });

export const CreateIndicatorSchema = z
  .object({
    name: VariantsInputSchema,
    unit: VariantsInputSchema,
    baselinePerDay: Baseline,
    baselineSourceId: SourceId.nullable().optional(),
    baselinePeriod: Text(200).nullable().optional(),
    illustrative: z.boolean().optional(),
    note: Note.nullable().optional(),
  })
  .openapi('CreateIndicator');
export type CreateIndicatorInput = z.input<typeof CreateIndicatorSchema>;

// Every field optional: only what is given changes.
export const UpdateIndicatorSchema = CreateIndicatorSchema.partial().openapi('UpdateIndicator');

const Amount = z.number().finite().min(0).max(1e15);

export const AddObservationSchema = z
  .object({
    asOf: DateSchema,
    cumulative: Amount.optional().openapi({ description: 'The total since the crisis began, as of `asOf`' }),
    daily: Amount.optional().openapi({ description: 'Or the count of that one day; daily values are summed' }),
    sourceId: SourceId.nullable().optional(),
    note: Note.nullable().optional(),
  })
  .refine((o) => (o.cumulative === undefined) !== (o.daily === undefined), {
    message: 'give either cumulative or daily',
    path: ['cumulative'],
  })
  .openapi('AddObservation');
export type AddObservationInput = z.input<typeof AddObservationSchema>;

export const IndicatorSummarySchema = z
  .object({
    id: z.string(),
    asOf: z.string(),
    day: z.number().int(),
    expected: z.number().openapi({ description: 'baseline × day' }),
    observed: z.number().nullable().openapi({ description: 'Null when nothing was observed by then' }),
    ratio: z.number().nullable().openapi({ description: 'expected ÷ observed; null when none was observed' }),
    percentOfNormal: z.number().nullable(),
    text: z.string().openapi({ example: 'about 50 times fewer' }),
    lang: z.enum(LANGS),
  })
  .openapi('IndicatorSummary');
export type IndicatorSummary = z.infer<typeof IndicatorSummarySchema>;

// --- key figures --------------------------------------------------------------------------------------------------

export const KeyFigureSchema = z
  .object({
    id: z.string(),
    label: VariantsSchema,
    value: z.number(),
    unit: VariantsSchema.nullable(),
    asOf: z.string(),
    sourceId: z.string().nullable(),
    note: z.string().nullable(),
    illustrative: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KeyFigure');
export type KeyFigure = z.infer<typeof KeyFigureSchema>;

export const CreateKeyFigureSchema = z
  .object({
    label: VariantsInputSchema,
    value: z.number().finite().min(-1e15).max(1e15),
    unit: VariantsInputSchema.nullable().optional(),
    asOf: DateSchema,
    sourceId: SourceId.nullable().optional(),
    note: Note.nullable().optional(),
    illustrative: z.boolean().optional(),
  })
  .openapi('CreateKeyFigure');
export type CreateKeyFigureInput = z.input<typeof CreateKeyFigureSchema>;

export const UpdateKeyFigureSchema = CreateKeyFigureSchema.partial().openapi('UpdateKeyFigure');

// --- counters -----------------------------------------------------------------------------------------------------

export const ServiceCounterSchema = z
  .object({
    service: z.enum(SERVICES),
    label: z.string().nullable().openapi({ description: 'For a custom service, its name' }),
    completeDays: z.number().int(),
    partialDays: z.number().int().openapi({ description: 'Days with a partial cut and no complete one' }),
    anyDays: z.number().int().openapi({ description: 'completeDays + partialDays: the union, each day once' }),
    ongoing: z.boolean(),
    currentCutDays: z.number().int().nullable(),
    currentCutSince: z.string().nullable(),
    illustrative: z.boolean().openapi({ description: 'Some of the intervals counted are illustrative' }),
  })
  .openapi('ServiceCounter');
export type ServiceCounter = z.infer<typeof ServiceCounterSchema>;

export const IndicatorCounterSchema = z
  .object({
    id: z.string(),
    name: VariantsSchema,
    unit: VariantsSchema,
    day: z.number().int(),
    expected: z.number(),
    observed: z.number().nullable(),
    ratio: z.number().nullable(),
    percentOfNormal: z.number().nullable(),
    text: z.string(),
    illustrative: z.boolean(),
  })
  .openapi('IndicatorCounter');

/** Whom a public number is attributed to; an interview is never named (its title can name the person). */
export const PublicCitationSchema = z
  .object({
    title: z.string().nullable().openapi({ description: 'Null for an interview' }),
    publisher: z.string().nullable(),
    date: z.string().nullable(),
    url: z.string().nullable(),
  })
  .openapi('PublicCitation');
export type PublicCitation = z.infer<typeof PublicCitationSchema>;

/** A key figure as the public sees it: no note or source id, the source as a citation. */
export const PublicKeyFigureSchema = KeyFigureSchema.pick({
  id: true,
  label: true,
  value: true,
  unit: true,
  asOf: true,
  illustrative: true,
})
  .extend({
    source: PublicCitationSchema.nullable().openapi({ description: 'Null when the figure cites no source' }),
  })
  .openapi('PublicKeyFigure');

export const PublicCountersSchema = z
  .object({
    day: z.number().int(),
    asOf: z.string(),
    crisis: z.object({
      name: VariantsSchema,
      startDate: z.string(),
      timeZone: z.string(),
      status: z.enum(CRISIS_STATUSES),
    }),
    disruptions: z.array(ServiceCounterSchema),
    indicators: z.array(IndicatorCounterSchema),
    keyFigures: z.array(PublicKeyFigureSchema).openapi({ description: 'The newest figure per label stated by asOf' }),
  })
  .openapi('PublicCounters');
export type PublicCounters = z.infer<typeof PublicCountersSchema>;

export const AsOfQuerySchema = z.object({
  asOf: DateSchema.optional().openapi({
    description: 'Defaults to today in the crisis zone (the end date once ended)',
  }),
  lang: z.enum(LANGS).default('en').openapi({ description: 'Language of the wording (`text`)' }),
});

export const ActivitySchema = z
  .object({
    items: z.array(
      z.object({
        kind: z.enum(['crisis', 'disruption', 'indicator', 'observation', 'key-figure']),
        id: z.string(),
        parentId: z.string().nullable(),
        label: z.string(),
        at: z.string(),
      }),
    ),
  })
  .openapi('CrisisActivity');
export type Activity = z.infer<typeof ActivitySchema>;

export const IdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
export const ChildParamSchema = IdParamSchema.extend({
  childId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'childId', in: 'path' } }),
});

/** Where each number comes from: the edition's traceability links and endnotes. */
export interface Explanation {
  disruptions: {
    service: string;
    label: string | null;
    intervals: {
      start: string;
      end: string | null;
      severity: 'complete' | 'partial';
      sourceId: string | null;
      area: string | null;
      illustrative: boolean;
    }[];
  }[];
  indicators: {
    id: string;
    baseline: { perDay: number; sourceId: string | null; period: string | null };
    observation: { asOf: string; cumulative: number; sourceId: string | null } | null;
  }[];
  keyFigures: { id: string; sourceId: string | null }[];
}

export interface DisruptionIntervalRow {
  disruptionId: string;
  service: Service;
  label: string | null;
  area: string | null;
  illustrative: boolean;
  start: string;
  end: string | null;
  severity: 'complete' | 'partial';
  sourceId: string | null;
}
