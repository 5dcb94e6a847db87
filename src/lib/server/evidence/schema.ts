import { z } from '@hono/zod-openapi';

export const COLLECTION_METHODS = ['upload', 'url-capture', 'import'] as const;
export const CUSTODY_ACTIONS = [
  'collected',
  'collected-again',
  'viewed-original',
  'downloaded-original',
  'derivative-made',
  'redacted',
  'linked',
  'unlinked',
  'exported',
] as const;
export const LINK_TYPES = ['record', 'source'] as const;
export const REDACTION_FILLS = ['solid', 'mosaic'] as const;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Id = z.string().min(1).max(100);

export const IdParamSchema = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });
export const UploadIdParamSchema = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

export const CollectionSchema = z
  .object({
    collectedBy: z.string().nullable(),
    collectedAt: z.string(),
    method: z.enum(COLLECTION_METHODS),
    origin: z.string().nullable().openapi({ description: 'Where it came from: a URL, a device, a person (by role)' }),
    tool: z.string().nullable().openapi({ description: 'What it was collected with' }),
    originalName: z.string(),
  })
  .openapi('EvidenceCollection');

export const MetadataSchema = z
  .object({
    camera: z
      .object({ make: z.string().nullable(), model: z.string().nullable(), lens: z.string().nullable() })
      .nullable(),
    capturedAt: z.string().nullable(),
    gps: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().nullable() }).nullable(),
    software: z.string().nullable(),
  })
  .openapi('EvidenceMetadata');

export const DerivativeSchema = z
  .object({
    variant: z.string().openapi({ description: '"original", or the redaction it was made from' }),
    kind: z.enum(['thumb', 'web', 'large']),
    format: z.enum(['jpeg', 'webp']),
    sha256: Sha256,
    size: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    url: z.string(),
  })
  .openapi('EvidenceDerivative');

export const LinkSchema = z
  .object({ type: z.enum(LINK_TYPES), id: z.string(), createdAt: z.string() })
  .openapi('EvidenceLink');

export const EvidenceSummarySchema = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'E-0012' }),
    title: z.string(),
    sha256: Sha256,
    size: z.number().int(),
    mediaType: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    status: z.enum(['processing', 'ready', 'failed']),
    thumbnail: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('EvidenceSummary');
export type EvidenceSummary = z.infer<typeof EvidenceSummarySchema>;

export const RedactionSchema = z
  .object({
    id: z.string(),
    regions: z.array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })),
    fill: z.enum(REDACTION_FILLS),
    sha256: Sha256,
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('EvidenceRedaction');

export const EvidenceSchema = EvidenceSummarySchema.extend({
  collections: z.array(CollectionSchema),
  metadata: MetadataSchema.nullable().openapi({
    description: 'Camera, capture time and GPS: null unless the caller may read metadata (documenters, reviewers)',
  }),
  derivatives: z.array(DerivativeSchema),
  redactions: z.array(RedactionSchema),
  links: z.array(LinkSchema),
  nearDuplicates: z
    .array(z.object({ id: z.string(), code: z.string(), distance: z.number().int(), photoCode: z.string().nullable() }))
    .openapi({ description: 'Images that look like this one (perceptual hash), nearest first' }),
}).openapi('Evidence');
export type Evidence = z.infer<typeof EvidenceSchema>;

export const IngestResultSchema = z
  .object({
    item: EvidenceSchema,
    duplicate: z
      .boolean()
      .openapi({ description: 'The same bytes were already in the vault: linked, not stored twice' }),
  })
  .openapi('EvidenceIngest');
export type IngestResult = z.infer<typeof IngestResultSchema>;

export const EvidenceListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  type: z.enum(['image', 'video', 'audio', 'document']).optional(),
  record: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const EvidenceListSchema = z
  .object({ items: z.array(EvidenceSummarySchema), nextOffset: z.number().int().nullable() })
  .openapi('EvidenceList');

export const CustodyEntrySchema = z
  .object({
    at: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    detail: z.unknown(),
    auditSeq: z.number().int(),
  })
  .openapi('CustodyEntry');
export type CustodyEntry = z.infer<typeof CustodyEntrySchema>;
export const CustodyListSchema = z.object({ items: z.array(CustodyEntrySchema) }).openapi('CustodyLog');

export const UploadQuerySchema = z.object({
  filename: z.string().max(255).optional(),
  title: z.string().max(300).optional(),
  method: z.enum(COLLECTION_METHODS).optional(),
  origin: z.string().max(2000).optional(),
  tool: z.string().max(300).optional(),
});

export const UploadSettingsSchema = z
  .object({
    partSize: z
      .number()
      .int()
      .positive()
      .openapi({
        description:
          'The size of a tus PATCH part this server prefers, in bytes: 5 MiB when files are kept in S3-compatible ' +
          'storage (a smaller part waits in the bucket and is sent again with the next one), 1 MiB on disk',
        example: 5_242_880,
      }),
    maxBytes: z.number().int().positive().openapi({ description: 'The largest file accepted, in bytes' }),
    multipartMaxBytes: z
      .number()
      .int()
      .positive()
      .openapi({ description: 'The largest file accepted in one multipart POST; larger files go through tus' }),
  })
  .openapi('UploadSettings');
export type UploadSettings = z.infer<typeof UploadSettingsSchema>;

export const LinkInputSchema = z.object({ type: z.enum(LINK_TYPES), id: Id }).openapi('EvidenceLinkInput');
export const LinkParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
  type: z.enum(LINK_TYPES).openapi({ param: { name: 'type', in: 'path' } }),
  targetId: Id.openapi({ param: { name: 'targetId', in: 'path' } }),
});

export const RegionSchema = z.object({
  x: z.number().min(0).max(100_000),
  y: z.number().min(0).max(100_000),
  width: z.number().min(1).max(100_000),
  height: z.number().min(1).max(100_000),
});
export const RedactInputSchema = z
  .object({ regions: z.array(RegionSchema).min(1).max(50), fill: z.enum(REDACTION_FILLS) })
  .openapi('RedactionInput');

export const FileParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
  file: z
    .string()
    .regex(/^(thumb|web|large)\.(jpeg|webp)$/)
    .openapi({ param: { name: 'file', in: 'path' }, example: 'web.jpeg' }),
});
