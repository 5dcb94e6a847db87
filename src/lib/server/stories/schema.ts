import { z } from '@hono/zod-openapi';

/**
 * Human stories: a first-person or reported account, published under the person's pseudonym only, with the consent
 * of that person. Limits: a title of 1–200 characters and a narrative of 1–20,000 per language; at most 50 linked
 * records, 20 rights, 20 places and 20 photos; consent notes up to 1,000 characters.
 */

export const STORY_LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type StoryLang = (typeof STORY_LANGS)[number];
export const STORY_STATUSES = ['draft', 'in-review', 'approved', 'published', 'unpublished'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];
export const CONSENT_SCOPES = ['text', 'quote', 'photo'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export const TRANSLATIONS = ['original', 'translated', 'needs-review'] as const;
export const STORY_LINK_KINDS = ['record', 'right', 'place', 'photo'] as const;
export type StoryLinkKind = (typeof STORY_LINK_KINDS)[number];

const IsoDate = z.iso.date().openapi({ example: '2023-03-01' });

export const StoryTextSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    narrative: z.string().trim().min(1).max(20_000),
    translation: z.enum(TRANSLATIONS).default('original'),
  })
  .openapi('StoryText');

export const StoryTextsSchema = z
  .object({
    en: StoryTextSchema.optional(),
    fr: StoryTextSchema.optional(),
    hy: StoryTextSchema.optional(),
    ru: StoryTextSchema.optional(),
  })
  .refine((t) => STORY_LANGS.some((l) => t[l] !== undefined), { message: 'at least one language is required' })
  .openapi('StoryTexts');
export type StoryTexts = z.output<typeof StoryTextsSchema>;

const Ids = (max: number) => z.array(z.string().min(1).max(100)).max(max);

export const CreateStorySchema = z
  .object({
    personId: z.string().min(1).max(100).openapi({ description: 'The protected person the story is about' }),
    texts: StoryTextsSchema,
    interviewSourceId: z.string().min(1).max(100).nullable().default(null).openapi({
      description: "The interview's source record in the register (a source of type interview)",
    }),
    recordIds: Ids(50).default([]),
    rightIds: Ids(20).default([]),
    placeIds: Ids(20).default([]),
    photoIds: Ids(20).default([]).openapi({ description: 'Photo bank items shown with the story' }),
  })
  .openapi('CreateStory');
export type CreateStoryInput = z.input<typeof CreateStorySchema>;

export const UpdateStorySchema = z
  .object({
    version: z.number().int().min(1).openapi({ description: 'The version read; a newer one answers 409' }),
    texts: StoryTextsSchema.optional(),
    interviewSourceId: z.string().min(1).max(100).nullable().optional(),
    recordIds: Ids(50).optional(),
    rightIds: Ids(20).optional(),
    placeIds: Ids(20).optional(),
    photoIds: Ids(20).optional(),
  })
  .openapi('UpdateStory');
export type UpdateStoryInput = z.input<typeof UpdateStorySchema>;

export const ConsentSchema = z
  .object({
    id: z.string(),
    scopes: z.array(z.enum(CONSENT_SCOPES)),
    givenOn: z.string(),
    expiresOn: z.string().nullable(),
    withdrawnOn: z.string().nullable(),
    withdrawalNote: z.string().nullable(),
    evidence: z.enum(['form', 'verbal']),
    evidenceNote: z.string(),
    witness: z.string().nullable(),
    formSha256: z.string().nullable(),
    validToday: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('StoryConsent');
export type Consent = z.infer<typeof ConsentSchema>;

export const CreateConsentSchema = z
  .object({
    scopes: z.array(z.enum(CONSENT_SCOPES)).min(1),
    givenOn: IsoDate,
    expiresOn: IsoDate.nullable().default(null),
    evidence: z.enum(['form', 'verbal']).openapi({
      description:
        'form: a signed form (its SHA-256 in formSha256); verbal: a note of the verbal consent and a witness',
    }),
    evidenceNote: z.string().trim().min(1).max(1000),
    witness: z.string().trim().min(1).max(200).nullable().default(null).openapi({
      description: 'Who witnessed a verbal consent (a colleague; never the person)',
    }),
    formSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lower-case hex digits')
      .nullable()
      .default(null),
  })
  .superRefine((c, ctx) => {
    if (c.expiresOn !== null && c.expiresOn < c.givenOn)
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'must not be before givenOn' });
    if (c.evidence === 'verbal' && c.witness === null)
      ctx.addIssue({ code: 'custom', path: ['witness'], message: 'a verbal consent needs a witness' });
    if (c.evidence === 'form' && c.formSha256 === null)
      ctx.addIssue({ code: 'custom', path: ['formSha256'], message: 'give the SHA-256 of the signed form' });
  })
  .openapi('CreateStoryConsent');

export const WithdrawConsentSchema = z
  .object({ withdrawnOn: IsoDate, note: z.string().trim().min(1).max(1000) })
  .openapi('WithdrawStoryConsent');

export const StorySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.enum(STORY_STATUSES),
    version: z.number().int(),
    personId: z.string(),
    pseudonym: z.string(),
    texts: StoryTextsSchema,
    interviewSourceId: z.string().nullable(),
    recordIds: z.array(z.string()),
    rightIds: z.array(z.string()),
    placeIds: z.array(z.string()),
    photoIds: z.array(z.string()),
    consents: z.array(ConsentSchema),
    /** Whether the public can read it right now: published, with a valid consent for every scope it needs. */
    publicNow: z.boolean(),
    missingConsent: z.array(z.enum(CONSENT_SCOPES)),
    authorId: z.string(),
    statusReason: z.string().nullable(),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Story');
export type Story = z.infer<typeof StorySchema>;

export const StorySummarySchema = StorySchema.pick({
  id: true,
  code: true,
  status: true,
  pseudonym: true,
  publicNow: true,
  updatedAt: true,
})
  .extend({ title: z.string(), lang: z.enum(STORY_LANGS) })
  .openapi('StorySummary');

export const StoryListSchema = z.object({ items: z.array(StorySummarySchema) }).openapi('StoryList');

export const StoryTransitionSchema = z
  .object({
    to: z.enum(STORY_STATUSES),
    reason: z.string().trim().min(1).max(1000).optional(),
    piiOverride: z
      .object({ reason: z.string().trim().min(10).max(1000) })
      .optional()
      .openapi({ description: "A reviewer's written reason to publish despite the PII guard's findings (audited)" }),
  })
  .openapi('StoryTransition');

export const PiiCheckSchema = z
  .object({ texts: StoryTextsSchema.optional() })
  .openapi('StoryPiiCheck', { description: 'Texts to check; the stored texts when left out' });

export const PiiFindingSchema = z
  .object({
    kind: z.enum(['real-name', 'name-part', 'address', 'phone', 'email', 'id-number']),
    field: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    pseudonym: z.string().optional(),
    message: z.string(),
  })
  .openapi('PiiFinding', { description: 'Where the text shows something it must not; never the matched text' });

export const PiiReportSchema = z
  .object({
    findings: z.array(PiiFindingSchema),
    /** Pseudonyms of linked persons whose identity the caller may not read: the reviewer's check covers them. */
    unchecked: z.array(z.string()),
  })
  .openapi('PiiReport');

export const PublicStorySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    pseudonym: z.string(),
    texts: StoryTextsSchema,
    recordIds: z.array(z.string()),
    rightIds: z.array(z.string()),
    placeIds: z.array(z.string()),
    photoIds: z.array(z.string()),
    publishedAt: z.string(),
  })
  .openapi('PublicStory', { description: 'A published story with valid consent; the person by pseudonym only' });
export type PublicStory = z.infer<typeof PublicStorySchema>;

export const PublicStoryListSchema = z.object({ items: z.array(PublicStorySchema) }).openapi('PublicStoryList');

export const StoryIdParamSchema = z.object({ id: z.string().min(1).max(100) });
export const ConsentParamSchema = z.object({ id: z.string().min(1).max(100), consentId: z.string().min(1).max(100) });
