import { z } from '@hono/zod-openapi';

/**
 * Reports and their editions: request and response shapes, and the edition's content (what is frozen when an
 * edition is published), the single source of truth for the API, the pages and the PDF.
 *
 * Limits: a title of 1–300 characters per language (at least one language); at most 500 selected records; 0–50
 * newest records per right when none was selected for it.
 */

export const EDITION_LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type EditionLang = (typeof EDITION_LANGS)[number];
export const EditionLangSchema = z.enum(EDITION_LANGS).openapi('EditionLang');

export const EDITION_STATUSES = ['building', 'draft', 'failed', 'published'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];
export const EditionStatusSchema = z.enum(EDITION_STATUSES).openapi('EditionStatus', {
  description:
    'building: in progress (see progress); draft: built, a preview; failed: see failure; published: frozen for good',
});

const IsoDate = z.iso.date().openapi({ example: '2023-03-21' });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Id = z.string().min(1).max(64);

const Title = z.string().trim().min(1).max(300);
export const ReportTitlesSchema = z
  .object({ en: Title.optional(), fr: Title.optional(), hy: Title.optional(), ru: Title.optional() })
  .refine((t) => EDITION_LANGS.some((l) => t[l] !== undefined), { message: 'give the title in at least one language' })
  .openapi('ReportTitles', { description: 'The title in each language given; at least one' });
export type ReportTitles = z.infer<typeof ReportTitlesSchema>;

export const EditionSummarySchema = z
  .object({
    id: z.string(),
    reportId: z.string(),
    lang: EditionLangSchema,
    asOf: z.string(),
    status: EditionStatusSchema,
    progress: z.number().int().min(0).max(100).openapi({ description: 'Percent of the build done' }),
    stage: z.string().nullable().openapi({ description: 'What the build is doing now' }),
    failure: z.string().nullable(),
    contentSha256: z.string().nullable().openapi({ description: "SHA-256 of the edition's content (canonical JSON)" }),
    pdfSha256: z.string().nullable(),
    pdfSize: z.number().int().nullable(),
    pages: z.number().int().nullable(),
    builtAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    supersededBy: z
      .string()
      .nullable()
      .openapi({ description: 'A later published edition of the same report and language, when there is one' }),
    createdAt: z.string(),
  })
  .openapi('EditionSummary');
export type EditionSummary = z.infer<typeof EditionSummarySchema>;

export const ReportSchema = z
  .object({
    id: z.string(),
    titles: ReportTitlesSchema,
    selection: z.array(z.string()).openapi({ description: 'Records chosen to be shown (published public ones only)' }),
    recordsPerRight: z.number().int(),
    editions: z.array(EditionSummarySchema).openapi({ description: 'Newest first' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Report');
export type Report = z.infer<typeof ReportSchema>;
export const ReportListSchema = z.object({ items: z.array(ReportSchema) }).openapi('ReportList');

export const CreateReportSchema = z
  .object({
    titles: ReportTitlesSchema,
    selection: z.array(Id).max(500).default([]),
    recordsPerRight: z.number().int().min(0).max(50).default(3),
  })
  .openapi('CreateReport');
export type CreateReportInput = z.input<typeof CreateReportSchema>;

export const UpdateReportSchema = z
  .object({
    titles: ReportTitlesSchema.optional(),
    selection: z.array(Id).max(500).optional(),
    recordsPerRight: z.number().int().min(0).max(50).optional(),
  })
  .openapi('UpdateReport');
export type UpdateReportInput = z.input<typeof UpdateReportSchema>;

export const BuildEditionSchema = z
  .object({ asOf: IsoDate, lang: EditionLangSchema })
  .openapi('BuildEdition', { description: 'Build a draft edition as of a date, in a language' });
export type BuildEditionInput = z.input<typeof BuildEditionSchema>;

// --- the content of an edition ------------------------------------------------------------------------------------

/**
 * A text in the edition's language, or, when it has no translation yet, in the language it exists in: `lang` says
 * which, and `fallback` that it is not the edition's language (pages and the PDF mark it, never silently).
 */
export const LocalTextSchema = z
  .object({ text: z.string(), lang: EditionLangSchema, fallback: z.boolean() })
  .openapi('EditionText');
export type LocalText = z.infer<typeof LocalTextSchema>;

/** A number of the edition with the id of the trace that says how it was computed. */
export const TracedNumberSchema = z
  .object({ value: z.number(), trace: z.string() })
  .openapi('TracedNumber', { description: 'A number and the id of its trace (how it was computed, from what)' });
export type TracedNumber = z.infer<typeof TracedNumberSchema>;

export const TRACE_KINDS = ['day', 'disruption', 'indicator', 'key-figure', 'records'] as const;
export const TraceSchema = z
  .object({
    id: z.string(),
    n: z.number().int().openapi({ description: 'The endnote number in the PDF' }),
    kind: z.enum(TRACE_KINDS),
    label: z.string().openapi({ description: 'What the number is, in the edition language' }),
    method: z.string().openapi({ description: 'How it was computed, in the edition language' }),
    records: z
      .array(z.object({ id: z.string(), code: z.string() }))
      .openapi({ description: 'Records counted (the first 200 at most; see recordsTotal)' }),
    recordsTotal: z.number().int(),
    query: z
      .record(z.string(), z.string())
      .nullable()
      .openapi({ description: 'The public records search that gives the same records (GET /api/public/records)' }),
    items: z
      .array(z.object({ text: z.string(), sourceIds: z.array(z.string()) }))
      .openapi({ description: 'Intervals, observations or statements the number was computed from' }),
    sourceIds: z.array(z.string()),
  })
  .openapi('EditionTrace');
export type Trace = z.infer<typeof TraceSchema>;

export const FigureSchema = z
  .object({ svg: z.string(), title: z.string(), text: z.string() })
  .openapi('EditionFigure', { description: 'A server-made SVG and its text alternative' });

/** What a later module (human stories, pictures) adds to a right's section: only material cleared for publication. */
export const ContributionSchema = z
  .object({
    kind: z.enum(['story', 'picture']),
    contributor: z.string(),
    title: LocalTextSchema,
    text: LocalTextSchema.nullable(),
    /** A picture: its bytes are a blob of the contributing module; the edition keeps its alternative text and credit. */
    image: z.object({ sha256: Sha256, mediaType: z.string(), alt: LocalTextSchema, credit: z.string() }).nullable(),
  })
  .openapi('EditionContribution');
export type Contribution = z.infer<typeof ContributionSchema>;

export const EditionRecordSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    title: LocalTextSchema,
    summary: LocalTextSchema,
    startDate: z.string().nullable(),
    places: z.array(z.string()),
    verification: z.string(),
    sourceNumbers: z.array(z.number().int()).openapi({ description: 'Annex numbers of its sources' }),
  })
  .openapi('EditionRecord');
export type EditionRecord = z.infer<typeof EditionRecordSchema>;

export const EditionContentSchema = z
  .object({
    format: z.literal(1),
    reportId: z.string(),
    lang: EditionLangSchema,
    asOf: z.string(),
    title: LocalTextSchema,
    crisis: z
      .object({ name: LocalTextSchema, startDate: z.string(), timeZone: z.string() })
      .nullable()
      .openapi({ description: 'Null when no crisis is defined' }),
    keyNumbers: z.object({
      day: TracedNumberSchema.nullable(),
      disruptions: z.array(
        z.object({
          service: z.string(),
          label: z.string(),
          completeDays: TracedNumberSchema,
          partialDays: TracedNumberSchema,
          anyDays: TracedNumberSchema,
          ongoing: z.boolean(),
          illustrative: z.boolean(),
        }),
      ),
      indicators: z.array(
        z.object({
          id: z.string(),
          name: LocalTextSchema,
          unit: LocalTextSchema,
          expected: TracedNumberSchema,
          observed: TracedNumberSchema.nullable(),
          percentOfNormal: z.number().nullable(),
          wording: z.string(),
          illustrative: z.boolean(),
        }),
      ),
      keyFigures: z.array(
        z.object({
          id: z.string(),
          label: LocalTextSchema,
          value: TracedNumberSchema,
          unit: LocalTextSchema.nullable(),
          asOf: z.string(),
          illustrative: z.boolean(),
        }),
      ),
      publishedRecords: TracedNumberSchema,
    }),
    figures: z.object({
      indicators: FigureSchema.nullable(),
      disruptions: FigureSchema.nullable(),
      map: FigureSchema.nullable(),
    }),
    categories: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        name: z.string(),
        count: TracedNumberSchema,
        rights: z.array(
          z.object({
            id: z.string(),
            code: z.string(),
            name: z.string(),
            instruments: z.array(z.string()),
            count: TracedNumberSchema,
            groups: z.array(z.object({ group: z.string(), label: z.string(), count: TracedNumberSchema })),
            records: z.array(EditionRecordSchema),
            contributions: z.array(ContributionSchema),
          }),
        ),
      }),
    ),
    methodology: z.object({
      paragraphs: z.array(z.string()),
      verification: z.array(z.object({ value: z.string(), label: z.string(), count: z.number().int() })),
    }),
    annex: z.array(
      z.object({
        n: z.number().int(),
        id: z.string(),
        type: z.string(),
        title: z.string().nullable().openapi({ description: 'Null for interviews: their titles can name people' }),
        publisher: z.string().nullable(),
        date: z.string().nullable(),
        url: z.string().nullable(),
      }),
    ),
    traces: z.array(TraceSchema),
    untranslated: z.number().int().openapi({ description: 'How many texts are shown in another language' }),
  })
  .openapi('EditionContent');
export type EditionContent = z.infer<typeof EditionContentSchema>;

export const EditionSchema = EditionSummarySchema.extend({
  reportTitle: LocalTextSchema,
  content: EditionContentSchema.nullable().openapi({ description: 'Null until built' }),
}).openapi('Edition');
export type Edition = z.infer<typeof EditionSchema>;

export const PublicEditionSchema = EditionSchema.omit({ failure: true, stage: true, progress: true }).openapi(
  'PublicEdition',
);
export const PublicEditionListSchema = z
  .object({ items: z.array(EditionSummarySchema.extend({ reportTitle: LocalTextSchema })) })
  .openapi('PublicEditionList');

export const IdParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
});

export const CardQuerySchema = z.object({
  kind: z.enum(['day', 'disruption', 'indicator', 'figure']).default('day'),
  item: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'Which disruption (service) or indicator or key figure (id); the first when not given' }),
  format: z.enum(['png', 'svg']).default('png'),
});
export type CardQuery = z.infer<typeof CardQuerySchema>;

export const LiveCardQuerySchema = CardQuerySchema.extend({ lang: EditionLangSchema.default('en') });

export const PublicEditionQuerySchema = z.object({
  reportId: Id.optional(),
  lang: EditionLangSchema.optional(),
});
