import { z } from '@hono/zod-openapi';

export const PHOTO_LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export const USAGE_RIGHTS = ['own-work', 'open-source', 'no-rights'] as const;
export const CONSENT_SCOPES = ['publish-image', 'press-kit', 'social-media'] as const;
export const CONSENT_SUBJECTS = ['author', 'person'] as const;
export const CONSENT_EVIDENCE = ['form', 'verbal'] as const;
export const PHOTO_STATUSES = ['draft', 'published', 'unpublished'] as const;
export const PHOTO_SIZES = ['thumb', 'web', 'large'] as const;
export const PHOTO_FORMATS = ['jpeg', 'webp'] as const;

export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type UsageRights = (typeof USAGE_RIGHTS)[number];

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const Tag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .transform((t) => t.toLowerCase());
const HttpUrl = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http or https address');

export const CaptionsSchema = z
  .object(
    Object.fromEntries(PHOTO_LANGS.map((l) => [l, z.string().trim().min(1).max(2000).optional()])) as {
      [K in (typeof PHOTO_LANGS)[number]]: z.ZodOptional<z.ZodString>;
    },
  )
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'a caption in at least one language')
  .openapi('PhotoCaptions');

const PhotoFields = {
  captions: CaptionsSchema,
  credit: z.string().trim().min(1).max(200).openapi({ example: 'Photo: A. Petrosyan / Corridor' }),
  takenOn: IsoDate.nullable().optional(),
  placeId: z.string().max(100).nullable().optional().openapi({
    description: 'The public location: the place only, never the GPS of the file',
  }),
  tags: z.array(Tag).max(30).default([]),
  recordIds: z.array(z.string().max(100)).max(50).default([]),
  usage: z.enum(USAGE_RIGHTS),
  sourceUrl: HttpUrl.nullable().optional(),
  licence: z.string().trim().max(200).nullable().optional(),
  identifiablePersons: z.number().int().min(0).max(100).default(0).openapi({
    description: 'How many identifiable people the picture shows; each needs a valid consent to publish',
  }),
};

const requireSourceForOpen = (
  p: { usage?: string; sourceUrl?: string | null; licence?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (p.usage !== 'open-source') return;
  if (!p.sourceUrl) ctx.addIssue({ code: 'custom', path: ['sourceUrl'], message: 'an open source needs its address' });
  if (!p.licence) ctx.addIssue({ code: 'custom', path: ['licence'], message: 'an open source needs its licence' });
};

export const CreatePhotoSchema = z
  .object({ evidenceId: z.string().min(1).max(100), ...PhotoFields })
  .superRefine(requireSourceForOpen)
  .openapi('CreatePhoto');
export type CreatePhotoInput = z.input<typeof CreatePhotoSchema>;

export const UpdatePhotoSchema = z
  .object({
    captions: CaptionsSchema.optional(),
    credit: PhotoFields.credit.optional(),
    takenOn: PhotoFields.takenOn,
    placeId: PhotoFields.placeId,
    tags: z.array(Tag).max(30).optional(),
    recordIds: z.array(z.string().max(100)).max(50).optional(),
    usage: z.enum(USAGE_RIGHTS).optional(),
    sourceUrl: PhotoFields.sourceUrl,
    licence: PhotoFields.licence,
    identifiablePersons: z.number().int().min(0).max(100).optional(),
  })
  .openapi('UpdatePhoto');
export type UpdatePhotoInput = z.input<typeof UpdatePhotoSchema>;

export const ConsentInputSchema = z
  .object({
    subject: z.enum(CONSENT_SUBJECTS),
    personLabel: z.string().trim().min(1).max(200).openapi({
      description: 'Who, as the team knows them (a description or pseudonym); the same label for a renewed consent',
    }),
    personId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .openapi({
        description:
          'Optionally, the person in the people registry (by id; the photo bank shows only their pseudonym). A renewed ' +
          'consent of the same registry person supersedes the earlier one whatever its label',
      }),
    scopes: z.array(z.enum(CONSENT_SCOPES)).min(1).max(3),
    givenOn: IsoDate,
    expiresOn: IsoDate.nullable().optional(),
    evidencedBy: z.enum(CONSENT_EVIDENCE),
    formEvidenceId: z.string().max(100).nullable().optional().openapi({
      description: 'The signed form, uploaded to the evidence vault (evidencedBy=form)',
    }),
    verbalNote: z.string().trim().max(2000).nullable().optional(),
    witness: z.string().trim().max(200).nullable().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.evidencedBy === 'form' && !c.formEvidenceId)
      ctx.addIssue({ code: 'custom', path: ['formEvidenceId'], message: 'attach the signed form' });
    if (c.evidencedBy === 'verbal') {
      if (!c.verbalNote) ctx.addIssue({ code: 'custom', path: ['verbalNote'], message: 'note what was agreed' });
      if (!c.witness) ctx.addIssue({ code: 'custom', path: ['witness'], message: 'name the witness' });
    }
    if (c.expiresOn && c.expiresOn < c.givenOn)
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'the expiry cannot be before the date given' });
  })
  .openapi('ConsentInput');
export type ConsentInput = z.input<typeof ConsentInputSchema>;

export const WithdrawSchema = z.object({ note: z.string().trim().max(2000).optional() }).openapi('ConsentWithdrawal');
export const UnpublishSchema = z.object({ reason: z.string().trim().min(1).max(500) }).openapi('PhotoUnpublish');

export const ConsentSchema = z
  .object({
    id: z.string(),
    subject: z.enum(CONSENT_SUBJECTS),
    personLabel: z.string(),
    person: z
      .object({ id: z.string(), pseudonym: z.string() })
      .nullable()
      .openapi({ description: 'The registry person, by pseudonym only (the identity stays in the registry)' }),
    scopes: z.array(z.enum(CONSENT_SCOPES)),
    givenOn: z.string(),
    expiresOn: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    withdrawnNote: z.string().nullable(),
    evidencedBy: z.enum(CONSENT_EVIDENCE),
    formEvidenceId: z.string().nullable(),
    verbalNote: z.string().nullable(),
    witness: z.string().nullable(),
    state: z.enum(['valid', 'withdrawn', 'expired', 'not-yet']),
    createdAt: z.string(),
  })
  .openapi('PhotoConsent');
export type Consent = z.infer<typeof ConsentSchema>;

export const GateSchema = z
  .object({
    scope: z.enum(CONSENT_SCOPES),
    ok: z.boolean(),
    reasons: z.array(z.string()).openapi({ description: 'Why it may not be published for this use' }),
  })
  .openapi('PhotoGate');
export type Gate = z.infer<typeof GateSchema>;

export const AllowedUsesSchema = z.array(z.enum(CONSENT_SCOPES)).openapi({
  description:
    'What the picture may be used for now: none unless it is published and its consents hold; then each use whose ' +
    'consents (of the author and of every person shown) and usage rights allow it. Computed at each read, so a ' +
    'withdrawal or an expiry narrows it at once.',
  example: ['publish-image', 'press-kit'],
});

const ImageSet = z.object(
  Object.fromEntries(PHOTO_SIZES.map((s) => [s, z.object({ jpeg: z.string(), webp: z.string() }).nullable()])) as {
    [K in (typeof PHOTO_SIZES)[number]]: z.ZodNullable<z.ZodObject<{ jpeg: z.ZodString; webp: z.ZodString }>>;
  },
);

export const PhotoSchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'P-0012' }),
    evidenceId: z.string(),
    evidenceCode: z.string(),
    captions: z.record(z.string(), z.string()),
    credit: z.string(),
    takenOn: z.string().nullable(),
    place: z.object({ id: z.string(), name: z.string() }).nullable(),
    tags: z.array(z.string()),
    recordIds: z.array(z.string()),
    usage: z.enum(USAGE_RIGHTS),
    sourceUrl: z.string().nullable(),
    licence: z.string().nullable(),
    identifiablePersons: z.number().int(),
    status: z.enum(PHOTO_STATUSES),
    statusReason: z.string().nullable(),
    publishedAt: z.string().nullable(),
    consents: z.array(ConsentSchema),
    gates: z.array(GateSchema),
    allowedUses: AllowedUsesSchema,
    images: ImageSet,
    downloads: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Photo');
export type Photo = z.infer<typeof PhotoSchema>;

export const PhotoSummarySchema = PhotoSchema.pick({
  id: true,
  code: true,
  captions: true,
  credit: true,
  takenOn: true,
  place: true,
  tags: true,
  usage: true,
  status: true,
}).extend({ thumbnail: z.string().nullable(), publishable: z.boolean() });
export type PhotoSummary = z.infer<typeof PhotoSummarySchema>;

export const PhotoListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  place: z.string().max(100).optional(),
  tag: z.string().max(50).optional(),
  record: z.string().max(100).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  status: z.enum(PHOTO_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PhotoListQuery = z.infer<typeof PhotoListQuerySchema>;
export const PhotoListSchema = z
  .object({ items: z.array(PhotoSummarySchema), nextOffset: z.number().int().nullable() })
  .openapi('PhotoList');

export const PublicPhotoSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    captions: z.record(z.string(), z.string()),
    credit: z.string(),
    takenOn: z.string().nullable(),
    place: z.string().nullable().openapi({ description: 'The place named, never coordinates' }),
    tags: z.array(z.string()),
    usage: z.enum(['own-work', 'open-source']),
    sourceUrl: z.string().nullable(),
    licence: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    images: ImageSet,
    allowedUses: AllowedUsesSchema,
    publishedAt: z.string().nullable(),
  })
  .openapi('PublicPhoto');
export type PublicPhoto = z.infer<typeof PublicPhotoSchema>;

export const PublicPhotoListQuerySchema = PhotoListQuerySchema.omit({ status: true, record: true, q: true });
export const PublicPhotoListSchema = z
  .object({ items: z.array(PublicPhotoSchema), nextOffset: z.number().int().nullable() })
  .openapi('PublicPhotoList');

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
export const ConsentParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
  consentId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'consentId', in: 'path' } }),
});
export const ImageParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
  file: z
    .string()
    .regex(/^(thumb|web|large)\.(jpeg|webp)$/)
    .openapi({ param: { name: 'file', in: 'path' }, example: 'web.jpeg' }),
});
export const DownloadQuerySchema = z.object({
  size: z.enum(PHOTO_SIZES).default('large'),
  format: z.enum(PHOTO_FORMATS).default('jpeg'),
});
