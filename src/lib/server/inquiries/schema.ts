import { z } from '@hono/zod-openapi';

/**
 * Inquiries to state bodies (HURIDOCS "intervention"): request and response shapes, the single source of truth for
 * the API and its types.
 *
 * Limits: body 1–300 characters, subject 1–500, response summary up to 5000, reference up to 100; at most 50
 * attachments. Dates are ISO calendar dates (YYYY-MM-DD). The status is computed from the dates, never stored.
 */

export const INQUIRY_STATUSES = ['overdue', 'sent', 'answered'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];
export const InquiryStatusSchema = z.enum(INQUIRY_STATUSES).openapi('InquiryStatus', {
  description:
    'answered when a response date is set; overdue when not and the due date is before today (UTC); else sent',
});

export const IsoDateSchema = z.iso.date().openapi({ example: '2023-01-12' });
export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lower-case hex digits')
  .openapi({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
export const MediaTypeSchema = z
  .string()
  .max(127)
  .regex(/^[a-zA-Z0-9][\w!#$&^.+-]*\/[a-zA-Z0-9][\w!#$&^.+-]*$/, 'must be a media type such as application/pdf')
  .openapi({ example: 'application/pdf' });

export const AttachmentSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    sha256: Sha256Schema,
    mediaType: MediaTypeSchema,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .openapi('InquiryAttachment', {
    description: 'Metadata of an attached file; the file itself arrives with the storage module (issue 4)',
  });
export type Attachment = z.infer<typeof AttachmentSchema>;

const Body = z.string().trim().min(1).max(300).openapi({ description: 'The state body the inquiry went to' });
const Subject = z.string().trim().min(1).max(500);
const Summary = z.string().trim().max(5000);
const Reference = z.string().trim().min(1).max(100).openapi({ description: 'The outgoing reference number' });
const Attachments = z.array(AttachmentSchema).max(50);

export const InquiryRecordLinkSchema = z
  .object({ recordId: z.string(), createdAt: z.string() })
  .openapi('InquiryRecordLink');

export const InquirySummarySchema = z
  .object({
    id: z.string(),
    body: z.string(),
    subject: z.string(),
    sentOn: z.string(),
    dueOn: z.string(),
    respondedOn: z.string().nullable(),
    reference: z.string().nullable(),
    status: InquiryStatusSchema,
  })
  .openapi('InquirySummary');
export type InquirySummary = z.infer<typeof InquirySummarySchema>;

export const InquiryListSchema = z
  .object({
    items: z.array(InquirySummarySchema),
    nextOffset: z.number().int().nullable().openapi({ description: 'Offset of the next page, null on the last' }),
  })
  .openapi('InquiryList');

export const InquirySchema = InquirySummarySchema.extend({
  responseSummary: z.string().nullable(),
  attachments: z.array(AttachmentSchema),
  records: z
    .array(InquiryRecordLinkSchema)
    .openapi({ description: 'Linked records the caller may see; the others are left out, uncounted' }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Inquiry');
export type Inquiry = z.infer<typeof InquirySchema>;

export const CreateInquirySchema = z
  .object({
    body: Body,
    subject: Subject,
    sentOn: IsoDateSchema,
    dueOn: IsoDateSchema,
    respondedOn: IsoDateSchema.nullable().optional(),
    responseSummary: Summary.nullable().optional(),
    reference: Reference.nullable().optional(),
    attachments: Attachments.default([]),
  })
  .openapi('CreateInquiry');
export type CreateInquiryInput = z.input<typeof CreateInquirySchema>;

export const UpdateInquirySchema = z
  .object({
    body: Body.optional(),
    subject: Subject.optional(),
    sentOn: IsoDateSchema.optional(),
    dueOn: IsoDateSchema.optional(),
    respondedOn: IsoDateSchema.nullable().optional(),
    responseSummary: Summary.nullable().optional(),
    reference: Reference.nullable().optional(),
    attachments: Attachments.optional().openapi({ description: 'Replaces the attachment list as a whole' }),
  })
  .openapi('UpdateInquiry');
export type UpdateInquiryInput = z.input<typeof UpdateInquirySchema>;

export const InquiryIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const InquiryRecordParamSchema = InquiryIdParamSchema.extend({
  recordId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'recordId', in: 'path' } }),
});

export const LinkInquiryRecordSchema = z.object({ recordId: z.string().min(1).max(64) }).openapi('LinkInquiryRecord');

export const InquiryQuerySchema = z
  .object({
    status: InquiryStatusSchema.optional(),
    body: z.string().max(300).optional().openapi({ description: 'The body contains this, ignoring case' }),
    from: IsoDateSchema.optional().openapi({ description: 'Sent on or after this date' }),
    to: IsoDateSchema.optional().openapi({ description: 'Sent on or before this date' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['to'],
  });
export type InquiryQuery = z.infer<typeof InquiryQuerySchema>;
