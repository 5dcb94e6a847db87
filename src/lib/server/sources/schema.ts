import { z } from '@hono/zod-openapi';
import { IsoDateSchema, MediaTypeSchema, Sha256Schema } from '../inquiries/schema.js';
import { LanguageTagSchema } from '../places/schema.js';

/**
 * Sources (HURIDOCS "source information"): request and response shapes, the single source of truth for the API and
 * its types.
 *
 * Limits: title 1–300 characters, publisher up to 300, URL up to 2000 (http or https only), quote 1–2000.
 * An interviewee is never named here: `personRef` is the hook for the people-protection module (issue 5), an opaque
 * id. An open source's archived copy is kept as metadata only (SHA-256, media type, size): the file itself arrives
 * with the storage module (issue 4).
 */

export const SOURCE_TYPES = [
  'inquiry',
  'interview',
  'open-source',
  'official-document',
  'study-report',
  'media-report',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export const DATE_PRECISIONS = ['day', 'month', 'year', 'approximate'] as const;
/** Admiralty scale: reliability of the source A (completely reliable) – F (cannot be judged). */
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const LINK_RELATIONS = ['supports', 'contradicts'] as const;

export const SourceTypeSchema = z.enum(SOURCE_TYPES).openapi('SourceType');
export const DatePrecisionSchema = z.enum(DATE_PRECISIONS).openapi('DatePrecision');
export const ReliabilitySchema = z
  .enum(RELIABILITY)
  .openapi('Reliability', { description: 'Admiralty reliability of the source: A (completely reliable) to F' });
export const CredibilitySchema = z
  .number()
  .int()
  .min(1)
  .max(6)
  .openapi({ description: 'Admiralty credibility of the information: 1 (confirmed) to 6 (cannot be judged)' });
export const LinkRelationSchema = z.enum(LINK_RELATIONS).openapi('SourceRecordRelation');

export const HttpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol), {
    message: 'must be an http or https URL',
  })
  .openapi({ example: 'https://example.org/statement' });

export const ArchiveSchema = z
  .object({
    sha256: Sha256Schema,
    mediaType: MediaTypeSchema,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .openapi('SourceArchive', {
    description: "The archived copy's metadata; the file itself arrives with the storage module (issue 4)",
  });

const Title = z.string().trim().min(1).max(300);
const Publisher = z.string().trim().min(1).max(300).openapi({ description: 'Publisher or author' });
const PersonRef = z.string().trim().min(1).max(64).openapi({
  description:
    'Interviews only: an opaque reference to a protected person (people-protection module, issue 5), never a name',
});

export const GradeSchema = z
  .object({ reliability: ReliabilitySchema, credibility: CredibilitySchema })
  .openapi('SourceGrade');

export const SourceRecordLinkSchema = z
  .object({ recordId: z.string(), relation: LinkRelationSchema, quote: z.string(), createdAt: z.string() })
  .openapi('SourceRecordLink');

export const SourceSummarySchema = z
  .object({
    id: z.string(),
    type: SourceTypeSchema,
    title: z.string(),
    date: z.string().nullable(),
    datePrecision: DatePrecisionSchema.nullable(),
    language: z.string().nullable(),
    publisher: z.string().nullable(),
    reliability: ReliabilitySchema.nullable(),
    credibility: z.number().int().nullable(),
  })
  .openapi('SourceSummary');
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

/** A source as seen from a record it is linked to: what it says about that record, and the claim quoted. */
export const RecordSourceSchema = SourceSummarySchema.extend({
  relation: LinkRelationSchema,
  quote: z.string(),
  linkedAt: z.string(),
}).openapi('RecordSource');
export type RecordSource = z.infer<typeof RecordSourceSchema>;
export const RecordSourceListSchema = z.object({ items: z.array(RecordSourceSchema) }).openapi('RecordSourceList');

export const SourceListSchema = z
  .object({
    items: z.array(SourceSummarySchema),
    nextOffset: z.number().int().nullable().openapi({ description: 'Offset of the next page, null on the last' }),
  })
  .openapi('SourceList');

export const SourceSchema = SourceSummarySchema.extend({
  personRef: z.string().nullable(),
  url: z.string().nullable(),
  capturedAt: z.string().nullable(),
  archive: ArchiveSchema.nullable(),
  inquiryId: z.string().nullable(),
  gradedBy: z.string().nullable(),
  gradedAt: z.string().nullable(),
  records: z
    .array(SourceRecordLinkSchema)
    .openapi({ description: 'Links to the records the caller may see; the others are left out, uncounted' }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Source');
export type Source = z.infer<typeof SourceSchema>;

const fields = {
  title: Title,
  date: IsoDateSchema.nullable().optional(),
  datePrecision: DatePrecisionSchema.nullable()
    .optional()
    .openapi({ description: 'How much of the date is meant; day when a date is given without it' }),
  language: LanguageTagSchema.nullable().optional(),
  publisher: Publisher.nullable().optional(),
  personRef: PersonRef.nullable().optional(),
  url: HttpUrlSchema.nullable().optional(),
  capturedAt: z.iso.datetime({ offset: true }).nullable().optional().openapi({ description: 'When it was captured' }),
  archive: ArchiveSchema.nullable().optional(),
  inquiryId: z.string().max(64).nullable().optional().openapi({ description: 'Type inquiry only: the inquiry' }),
};

export const CreateSourceSchema = z.object({ type: SourceTypeSchema, ...fields }).openapi('CreateSource');
export type CreateSourceInput = z.input<typeof CreateSourceSchema>;

export const UpdateSourceSchema = z
  .object({ type: SourceTypeSchema.optional(), ...fields, title: Title.optional() })
  .openapi('UpdateSource', { description: 'Grades are set through the grade endpoint, never here' });
export type UpdateSourceInput = z.input<typeof UpdateSourceSchema>;

export const LinkSourceRecordSchema = z
  .object({
    recordId: z.string().min(1).max(64),
    relation: LinkRelationSchema,
    quote: z.string().trim().min(1).max(2000).openapi({ description: 'The claim, quoted from the source' }),
  })
  .openapi('LinkSourceRecord');

export const SourceIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const SourceRecordParamSchema = SourceIdParamSchema.extend({
  recordId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'recordId', in: 'path' } }),
});

export const UnlinkQuerySchema = z.object({
  relation: LinkRelationSchema.optional().openapi({ description: 'Only this relation; default both' }),
});

export const SourceQuerySchema = z.object({
  type: SourceTypeSchema.optional(),
  graded: z.enum(['true', 'false']).optional().openapi({ description: 'Only graded (true) or ungraded (false)' }),
  language: LanguageTagSchema.optional(),
  q: z
    .string()
    .max(300)
    .optional()
    .openapi({ description: 'Words of the title or publisher, ignoring case and accents; the last one as a prefix' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type SourceQuery = z.infer<typeof SourceQuerySchema>;
