import { z } from '@hono/zod-openapi';

/**
 * The register's records: request and response shapes, the single source of truth for the API and its types.
 *
 * Limits: per language a title of 1–300 characters, a summary of 1–2,000 and a description of at most 50,000; at most
 * 100 places, 50 rights, 30 tags (each normalised to lower case, 1–50 characters), 50 links, 50 responsible actors;
 * affected counts are non-negative integers (null: not known).
 */

export const LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
export const TRANSLATION_STATUSES = ['original', 'translated', 'needs-review'] as const;
export const PRECISIONS = ['day', 'month', 'year', 'approximate'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const VERIFICATIONS = ['reported', 'corroborated', 'verified', 'disputed', 'retracted'] as const;
export type Verification = (typeof VERIFICATIONS)[number];
export const CONFIDENTIALITIES = ['public', 'internal', 'restricted'] as const;
export type Confidentiality = (typeof CONFIDENTIALITIES)[number];
export const STATUSES = ['draft', 'in-review', 'approved', 'published', 'unpublished'] as const;
export type RecordStatus = (typeof STATUSES)[number];
export const LINK_KINDS = ['caused-by', 'part-of', 'follow-up-of'] as const;
/**
 * Violation types: a closed list, so that counts group cleanly; `other` for anything else (say what in the summary).
 */
export const VIOLATION_TYPES = [
  'killing',
  'injury',
  'attack-on-civilians',
  'attack-on-infrastructure',
  'blockade',
  'denial-of-services',
  'detention',
  'displacement',
  'property-destruction',
  'restriction-of-movement',
  'threat',
  'other',
] as const;
export const AFFECTED_GROUPS = [
  'individuals',
  'children',
  'women',
  'olderPersons',
  'personsWithDisabilities',
  'displaced',
  'wholePopulation',
] as const;
export type AffectedGroup = (typeof AFFECTED_GROUPS)[number];

export const TITLE_MAX = 300;
export const SUMMARY_MAX = 2000;
export const DESCRIPTION_MAX = 50_000;
export const TAG_MAX = 50;
export const TAGS_MAX = 30;

export const StatusSchema = z.enum(STATUSES).openapi('RecordStatus');
export const VerificationSchema = z.enum(VERIFICATIONS).openapi('RecordVerification');
export const ConfidentialitySchema = z.enum(CONFIDENTIALITIES).openapi('RecordConfidentiality', {
  description:
    'public: visible to everyone once published; internal: staff only; restricted: only the author and the named users',
});
export const PrecisionSchema = z.enum(PRECISIONS).openapi('DatePrecision');
export const ViolationTypeSchema = z.enum(VIOLATION_TYPES).openapi('ViolationType');
export const LinkKindSchema = z.enum(LINK_KINDS).openapi('RecordLinkKind');

const Id = z.string().min(1).max(64);

export const TextVariantSchema = z
  .object({
    title: z.string().trim().min(1).max(TITLE_MAX),
    summary: z.string().trim().min(1).max(SUMMARY_MAX),
    description: z.string().max(DESCRIPTION_MAX).nullable().default(null),
    translationStatus: z.enum(TRANSLATION_STATUSES).default('original'),
  })
  .openapi('RecordText');
export type TextVariant = z.output<typeof TextVariantSchema>;

export const TextsSchema = z
  .object({
    en: TextVariantSchema.optional(),
    fr: TextVariantSchema.optional(),
    hy: TextVariantSchema.optional(),
    ru: TextVariantSchema.optional(),
  })
  .refine((t) => LANGS.some((l) => t[l] !== undefined), { message: 'at least one language is required' })
  .openapi('RecordTexts', { description: 'Title, summary and description per language (en, fr, hy, ru)' });
export type Texts = Partial<Record<Lang, TextVariant>>;

const DATE_FORMS: Record<Exclude<Precision, 'approximate'>, RegExp> = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  year: /^\d{4}$/,
};

/** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, and a real calendar date. */
export const PartialDateSchema = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY-MM-DD, YYYY-MM or YYYY')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number);
    if (m === undefined) return true;
    if (m < 1 || m > 12) return false;
    if (d === undefined) return true;
    const date = new Date(Date.UTC(y!, m - 1, d));
    return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'not a calendar date')
  .openapi({ example: '2023-09-19' });

export const ResponsibleSchema = z
  .object({
    name: z.string().trim().min(1).max(300),
    attribution: z
      .string()
      .trim()
      .min(1, 'an attribution is required ("according to …")')
      .max(1000)
      .openapi({ example: 'According to the ombudsman’s interim report of 2023-10-02' }),
  })
  .openapi('ResponsibleActor');

const Count = z.number().int().min(0).max(100_000_000).nullable();
export const AffectedSchema = z
  .object({
    individuals: Count.default(null),
    children: Count.default(null),
    women: Count.default(null),
    olderPersons: Count.default(null),
    personsWithDisabilities: Count.default(null),
    displaced: Count.default(null),
    wholePopulation: Count.default(null),
  })
  .openapi('AffectedPersons', { description: 'Counts of affected persons; null when not known' });
export type Affected = z.output<typeof AffectedSchema>;
export const NO_COUNTS: Affected = {
  individuals: null,
  children: null,
  women: null,
  olderPersons: null,
  personsWithDisabilities: null,
  displaced: null,
  wholePopulation: null,
};

export const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(TAG_MAX)
  .regex(/^[^,]+$/, 'a tag cannot contain a comma');

export const LinkInputSchema = z.object({ kind: LinkKindSchema, recordId: Id }).openapi('RecordLinkInput');

/** The content fields: what a revision restores. */
const contentShape = {
  texts: TextsSchema,
  violationType: ViolationTypeSchema.nullable().default(null),
  startDate: PartialDateSchema.nullable().default(null),
  startPrecision: PrecisionSchema.nullable().default(null),
  endDate: PartialDateSchema.nullable().default(null),
  endPrecision: PrecisionSchema.nullable().default(null),
  ongoing: z.boolean().default(false),
  affected: AffectedSchema.default(NO_COUNTS),
  responsible: z.array(ResponsibleSchema).max(50).default([]),
  placeIds: z.array(Id).max(100).default([]),
  rightIds: z.array(Id).max(50).default([]),
  tags: z.array(TagSchema).max(TAGS_MAX).default([]),
  links: z.array(LinkInputSchema).max(50).default([]),
};

type DateFields = {
  startDate?: string | null;
  startPrecision?: Precision | null;
  endDate?: string | null;
  endPrecision?: Precision | null;
  ongoing?: boolean;
};

/** Cross-field date rules, shared by create, update (on the merged result) and restore. */
export function dateIssues(d: DateFields): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const side of ['start', 'end'] as const) {
    const date = d[`${side}Date`];
    const precision = d[`${side}Precision`];
    if (date == null) {
      if (precision != null) out.push({ path: `${side}Date`, message: 'a precision needs a date' });
      continue;
    }
    if (precision == null) {
      out.push({ path: `${side}Precision`, message: 'give the precision of the date' });
      continue;
    }
    if (precision !== 'approximate' && !DATE_FORMS[precision].test(date))
      out.push({ path: `${side}Date`, message: `a ${precision} precision needs the form ${formOf(precision)}` });
  }
  if (d.endDate != null && d.startDate == null) out.push({ path: 'startDate', message: 'an end needs a start' });
  if (d.endDate != null && d.startDate != null) {
    // Compare on the common prefix: 2023-09 does not end before 2023-09-19, 2023-08 does.
    const n = Math.min(d.startDate.length, d.endDate.length);
    if (d.endDate.slice(0, n) < d.startDate.slice(0, n))
      out.push({ path: 'endDate', message: 'the end date is before the start date' });
  }
  if (d.ongoing && d.endDate != null) out.push({ path: 'endDate', message: 'an ongoing record has no end date' });
  return out;
}

const formOf = (p: Exclude<Precision, 'approximate'>) => ({ day: 'YYYY-MM-DD', month: 'YYYY-MM', year: 'YYYY' })[p];

function addDateIssues(d: DateFields, ctx: z.RefinementCtx) {
  for (const i of dateIssues(d)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
}

export const CreateRecordSchema = z
  .object({
    ...contentShape,
    verification: VerificationSchema.default('reported'),
    verificationNote: z.string().trim().max(2000).nullable().optional(),
    confidentiality: ConfidentialitySchema.default('internal'),
  })
  .superRefine(addDateIssues)
  .openapi('CreateRecord');
export type CreateRecordInput = z.input<typeof CreateRecordSchema>;
export type CreateRecordData = z.output<typeof CreateRecordSchema>;

export const UpdateRecordSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'The version read; or send it as If-Match. A mismatch is 409 `stale`' }),
    texts: TextsSchema.optional(),
    violationType: ViolationTypeSchema.nullable().optional(),
    startDate: PartialDateSchema.nullable().optional(),
    startPrecision: PrecisionSchema.nullable().optional(),
    endDate: PartialDateSchema.nullable().optional(),
    endPrecision: PrecisionSchema.nullable().optional(),
    ongoing: z.boolean().optional(),
    affected: AffectedSchema.optional(),
    responsible: z.array(ResponsibleSchema).max(50).optional(),
    placeIds: z.array(Id).max(100).optional(),
    rightIds: z.array(Id).max(50).optional(),
    tags: z.array(TagSchema).max(TAGS_MAX).optional(),
    links: z.array(LinkInputSchema).max(50).optional(),
    verification: VerificationSchema.optional(),
    verificationNote: z.string().trim().max(2000).nullable().optional(),
    confidentiality: ConfidentialitySchema.optional(),
  })
  .openapi('UpdateRecord', {
    description: 'Each field given replaces the whole field (texts: every language at once)',
  });
export type UpdateRecordInput = z.input<typeof UpdateRecordSchema>;
export type UpdateRecordData = z.output<typeof UpdateRecordSchema>;

/** The content of a record, as stored in each revision's snapshot and restored from it. */
export const ContentSchema = z.object({
  texts: TextsSchema,
  violationType: ViolationTypeSchema.nullable(),
  startDate: z.string().nullable(),
  startPrecision: PrecisionSchema.nullable(),
  endDate: z.string().nullable(),
  endPrecision: PrecisionSchema.nullable(),
  ongoing: z.boolean(),
  affected: AffectedSchema,
  responsible: z.array(ResponsibleSchema),
  placeIds: z.array(z.string()),
  rightIds: z.array(z.string()),
  tags: z.array(z.string()),
  links: z.array(z.object({ kind: LinkKindSchema, recordId: z.string() })),
});
export type Content = z.output<typeof ContentSchema>;
export const CONTENT_FIELDS = Object.keys(ContentSchema.shape) as (keyof Content)[];

export const VerificationEventSchema = z
  .object({ status: VerificationSchema, note: z.string().nullable(), actorId: z.string().nullable(), at: z.string() })
  .openapi('VerificationEvent');

export const RecordLinkSchema = z
  .object({ kind: LinkKindSchema, recordId: z.string(), code: z.string() })
  .openapi('RecordLink');

// A record is its content plus identity, workflow and access; the content fields are declared once, above.
export const RecordSchema = ContentSchema.extend({
  id: z.string(),
  code: z.string().openapi({ example: 'V-2023-0042' }),
  status: StatusSchema,
  verification: VerificationSchema,
  confidentiality: ConfidentialitySchema,
  links: z.array(RecordLinkSchema).openapi({ description: 'Links to records the caller may see' }),
  verificationHistory: z.array(VerificationEventSchema),
  accessUserIds: z.array(z.string()).openapi({ description: 'Named users who may see it when restricted' }),
  accessGroupIds: z.array(z.string()).openapi({ description: 'Named groups whose members may see it when restricted' }),
  authorId: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
}).openapi('Record');
export type RecordView = z.infer<typeof RecordSchema>;

export const RecordSummarySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    status: StatusSchema,
    verification: VerificationSchema,
    confidentiality: ConfidentialitySchema,
    titles: z.record(z.string(), z.string()).openapi({ description: 'Title per language' }),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    ongoing: z.boolean(),
    updatedAt: z.string(),
  })
  .openapi('RecordSummary');
export type RecordSummary = z.infer<typeof RecordSummarySchema>;

/** The affected groups a record can be found by (the `group` facet): every count but individuals. */
export const SEARCH_GROUPS = [
  'children',
  'women',
  'olderPersons',
  'personsWithDisabilities',
  'displaced',
  'wholePopulation',
] as const satisfies readonly AffectedGroup[];
export type SearchGroup = (typeof SEARCH_GROUPS)[number];
export const SORTS = ['relevance', 'date'] as const;

export const FacetValueSchema = z
  .object({
    value: z.string().openapi({ description: 'What to filter by: an id, a code or the value itself' }),
    label: z.string().openapi({ description: 'English name of a right or category, preferred name of a place' }),
    count: z.number().int(),
  })
  .openapi('FacetValue');
export type FacetValue = z.infer<typeof FacetValueSchema>;

export const SearchTotalSchema = z
  .object({
    value: z.number().int(),
    approx: z.boolean().openapi({ description: 'An estimate ("about"), rounded to two significant digits' }),
  })
  .openapi('SearchTotal', { description: 'Matching records the caller may see' });
export type SearchTotal = z.infer<typeof SearchTotalSchema>;

const facetList = z.array(FacetValueSchema);
const publicFacets = {
  right: facetList,
  category: facetList,
  place: facetList,
  year: facetList.openapi({ description: 'Year of the start date, newest first' }),
  verification: facetList,
  group: facetList.openapi({ description: 'Affected groups with a count above zero' }),
  tag: facetList,
};
export const RecordFacetsSchema = z
  .object({ ...publicFacets, confidentiality: facetList, status: facetList })
  .openapi('RecordFacets', {
    description: 'Counts over the records the caller may see; at most 50 values per facet, the most frequent first',
  });
export const PublicRecordFacetsSchema = z.object(publicFacets).openapi('PublicRecordFacets');
export const RECORD_FACETS = Object.keys(RecordFacetsSchema.shape) as (keyof z.infer<typeof RecordFacetsSchema>)[];
export const PUBLIC_RECORD_FACETS = Object.keys(publicFacets) as (keyof typeof publicFacets)[];

/** A hit's excerpt: plain text, never HTML; the page marks the highlighted ranges itself. */
const hitFields = {
  snippet: z.string().nullable().openapi({ description: 'Plain text around the first match (null without `q`)' }),
  highlights: z
    .array(z.array(z.number().int()).length(2))
    .openapi({ description: 'Matched words as [start, end) offsets into the snippet (UTF-16 code units)' }),
};

const listFields = {
  total: SearchTotalSchema,
  facetsApprox: z.boolean().openapi({ description: 'Facet counts are estimates (above 10,000 matches)' }),
  sort: z.enum(SORTS).openapi({ description: 'The order applied: relevance needs words to rank by' }),
  nextCursor: z.string().nullable(),
};

export const RecordListSchema = z
  .object({
    items: z.array(RecordSummarySchema.extend(hitFields)),
    facets: RecordFacetsSchema,
    ...listFields,
  })
  .openapi('RecordList');
export type RecordList = z.infer<typeof RecordListSchema>;

const dateQuery = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY-MM-DD, YYYY-MM or YYYY');
export const RecordQuerySchema = z.object({
  q: z
    .string()
    .max(500)
    .optional()
    .openapi({
      description:
        'Words in titles, summaries and descriptions (every language) or place names (every name); `"a phrase"`, `-word` or `NOT word`, `a OR b`, `pre*`. ' +
        'Case and accents are ignored; the last word also matches as a prefix',
    }),
  sort: z
    .enum(SORTS)
    .optional()
    .openapi({ description: 'Default: relevance with `q`, else date (start date, newest first)' }),
  status: StatusSchema.optional(),
  confidentiality: ConfidentialitySchema.optional(),
  verification: VerificationSchema.optional(),
  right: Id.optional(),
  category: Id.optional().openapi({ description: 'A right category: records citing any of its rights' }),
  place: Id.optional(),
  group: z.enum(SEARCH_GROUPS).optional().openapi({ description: 'An affected group (count above zero)' }),
  tag: z.string().trim().toLowerCase().max(TAG_MAX).optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be YYYY')
    .optional()
    .openapi({ description: 'Start year: the `year` facet’s value (unlike from/to, which take any overlap)' }),
  from: dateQuery.optional().openapi({ description: 'Records whose period reaches this date (from its first day)' }),
  to: dateQuery.optional().openapi({ description: 'Records started by this date (to its last day)' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional().openapi({ description: 'nextCursor of the previous page' }),
});
export type RecordQuery = z.output<typeof RecordQuerySchema>;

export const PublicRecordQuerySchema = RecordQuerySchema.pick({
  q: true,
  sort: true,
  verification: true,
  category: true,
  group: true,
  right: true,
  place: true,
  tag: true,
  year: true,
  from: true,
  to: true,
  limit: true,
  cursor: true,
});

export const RecordIdParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
});
export const RevisionParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
  rev: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'rev', in: 'path' }, type: 'integer' }),
});
export const DiffQuerySchema = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
export const UpdateHeadersSchema = z.object({
  'if-match': z.string().max(40).optional().openapi({ description: 'The version read, e.g. "3"' }),
});

export const TransitionSchema = z
  .object({
    to: StatusSchema,
    reason: z.string().trim().min(1).max(2000).optional().openapi({ description: 'Required to unpublish' }),
    note: z.string().trim().max(2000).optional(),
    piiOverride: z
      .object({ reason: z.string().trim().min(10).max(1000) })
      .optional()
      .openapi({
        description: "Publishing only: a reviewer's written reason to publish despite the PII guard (audited)",
      }),
  })
  .openapi('RecordTransition');
export type TransitionInput = z.input<typeof TransitionSchema>;

export const AccessSchema = z
  .object({ userIds: z.array(Id).max(200), groupIds: z.array(Id).max(50).default([]) })
  .openapi('RecordAccess', {
    description: 'Named users and groups who may see the record when it is restricted; PUT replaces both lists',
  });
export type AccessInput = z.input<typeof AccessSchema>;

export const RevisionSummarySchema = z
  .object({
    rev: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    note: z.string().nullable(),
  })
  .openapi('RecordRevisionSummary');
export type RevisionSummary = z.infer<typeof RevisionSummarySchema>;

export const SnapshotSchema = ContentSchema.extend({
  status: StatusSchema,
  verification: VerificationSchema,
  confidentiality: ConfidentialitySchema,
}).openapi('RecordSnapshot');
export type Snapshot = z.output<typeof SnapshotSchema>;

export const RevisionSchema = RevisionSummarySchema.extend({ snapshot: SnapshotSchema }).openapi('RecordRevision');
export const RevisionListSchema = z.object({ items: z.array(RevisionSummarySchema) }).openapi('RecordRevisionList');

export const DiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
  })
  .openapi('RecordDiff');

export const PublicRecordSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    verification: VerificationSchema,
    texts: TextsSchema,
    violationType: ViolationTypeSchema.nullable(),
    startDate: z.string().nullable(),
    startPrecision: PrecisionSchema.nullable(),
    endDate: z.string().nullable(),
    endPrecision: PrecisionSchema.nullable(),
    ongoing: z.boolean(),
    affected: AffectedSchema,
    responsible: z.array(ResponsibleSchema),
    places: z.array(z.object({ id: z.string(), name: z.string() })),
    rightIds: z.array(z.string()),
    tags: z.array(z.string()),
    links: z.array(RecordLinkSchema),
    publishedAt: z.string().nullable(),
  })
  .openapi('PublicRecord');
export type PublicRecord = z.infer<typeof PublicRecordSchema>;

export const PublicRecordListSchema = z
  .object({
    items: z.array(PublicRecordSchema.extend(hitFields)),
    facets: PublicRecordFacetsSchema,
    ...listFields,
  })
  .openapi('PublicRecordList');
export type PublicRecordList = z.infer<typeof PublicRecordListSchema>;

// The public timeline: published public records per month of their start, for the portal.

export const PublicTimelineQuerySchema = z.object({
  category: Id.optional().openapi({ description: 'A right category: records citing any of its rights' }),
  right: Id.optional(),
  place: Id.optional(),
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be YYYY')
    .optional()
    .openapi({ description: 'Records that started in this year' }),
  perPeriod: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(20)
    .openapi({ description: 'At most this many records listed per period (all are counted), earliest first' }),
});
export type PublicTimelineQuery = z.output<typeof PublicTimelineQuerySchema>;

export const TimelineItemSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    titles: z.record(z.string(), z.string()).openapi({ description: 'Title per language it was written in' }),
    originalLang: z
      .enum(LANGS)
      .nullable()
      .openapi({ description: 'The language the record was written in (shown when the reader’s is missing)' }),
    verification: VerificationSchema,
    startDate: z.string().nullable(),
    startPrecision: PrecisionSchema.nullable(),
    endDate: z.string().nullable(),
    ongoing: z.boolean(),
  })
  .openapi('TimelineItem');
export type TimelineItem = z.infer<typeof TimelineItemSchema>;

export const TimelineGroupSchema = z
  .object({
    period: z.string().nullable().openapi({
      description: 'YYYY-MM of the start; YYYY when only the year is known; null for records without a date',
    }),
    count: z.number().int(),
    items: z.array(TimelineItemSchema),
  })
  .openapi('TimelineGroup');

export const PublicTimelineSchema = z
  .object({
    total: z.number().int(),
    groups: z.array(TimelineGroupSchema).openapi({ description: 'Oldest first; undated records last' }),
    years: z
      .array(z.object({ value: z.string(), count: z.number().int() }))
      .openapi({ description: 'Start years with counts under the other filters (for a year filter), oldest first' }),
  })
  .openapi('PublicTimeline');
export type PublicTimeline = z.infer<typeof PublicTimelineSchema>;
