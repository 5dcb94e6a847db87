import { z } from '@hono/zod-openapi';
import { PublicRecordQuerySchema, RecordQuerySchema } from '../records/index.js';

/** Import and export of records: request and response shapes. The CSV columns are in `columns.ts`. */

export const IMPORT_STATUSES = ['checking', 'checked', 'rejected', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_MODES = ['all', 'valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const PREVIEW_ACTIONS = ['create', 'update', 'unchanged', 'error'] as const;

/** Row errors kept with a job; `errorCount` counts them all. */
export const ERRORS_KEPT = 1000;
/** Rows shown in the dry run's preview. */
export const PREVIEW_ROWS = 20;

export const RowErrorSchema = z
  .object({
    line: z.number().int().openapi({ description: 'Line of the file where the row starts (the header is line 1)' }),
    column: z.string().openapi({ description: 'The column at fault, or `(row)` for the row as a whole' }),
    reason: z.string(),
  })
  .openapi('ImportRowError');
export type RowError = z.infer<typeof RowErrorSchema>;

export const PreviewRowSchema = z
  .object({
    line: z.number().int(),
    externalId: z.string(),
    title: z.string().nullable(),
    action: z.enum(PREVIEW_ACTIONS).openapi({ description: 'What importing the row would do' }),
  })
  .openapi('ImportPreviewRow');
export type PreviewRow = z.infer<typeof PreviewRowSchema>;

export const ImportJobSchema = z
  .object({
    id: z.string(),
    kind: z.literal('records'),
    filename: z.string(),
    sha256: z.string().openapi({ description: 'SHA-256 of the uploaded file, as kept and as named in the audit log' }),
    size: z.number().int(),
    status: z.enum(IMPORT_STATUSES).openapi({
      description:
        'checking → checked (dry run done) → importing → done; rejected: the file itself is unusable (encoding, ' +
        'quoting, headers) and nothing was written; failed: the import stopped (see failure)',
    }),
    mode: z.enum(IMPORT_MODES).nullable(),
    rows: z.object({
      total: z.number().int().openapi({ description: 'Data rows in the file' }),
      invalid: z.number().int().openapi({ description: 'Rows with at least one error' }),
      toCreate: z.number().int(),
      toUpdate: z.number().int(),
      done: z.number().int().openapi({ description: 'Rows processed by the import so far' }),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      skipped: z.number().int().openapi({ description: 'Rows left out because of errors' }),
    }),
    errors: z.array(RowErrorSchema).openapi({ description: `The first ${ERRORS_KEPT} row errors` }),
    errorCount: z.number().int(),
    preview: z.array(PreviewRowSchema),
    failure: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('ImportJob');
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const UploadQuerySchema = z.object({
  mode: z
    .enum(['dry-run', ...IMPORT_MODES])
    .default('dry-run')
    .openapi({ description: 'dry-run: check only (default); all or valid: check, then import at once' }),
  filename: z.string().trim().min(1).max(255).optional().openapi({ description: 'The file’s name, for the record' }),
});

export const CommitSchema = z
  .object({
    rows: z.enum(IMPORT_MODES).openapi({
      description: 'all: every row (refused with 422 if any row has an error); valid: only the rows without errors',
    }),
  })
  .openapi('ImportCommit');

export const JobIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const EXPORT_FORMATS = ['csv', 'json', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The filters of `GET /api/records`, without its paging: an export holds every matching record. */
export const ExportQuerySchema = RecordQuerySchema.omit({ limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
});
export type ExportQuery = z.input<typeof ExportQuerySchema>;

/** The filters of `GET /api/public/records`, without its paging: the published, public records of a portal search. */
export const PublicExportQuerySchema = PublicRecordQuerySchema.omit({ limit: true, cursor: true }).extend({
  format: z.enum(EXPORT_FORMATS).default('csv'),
});
export type PublicExportQuery = z.input<typeof PublicExportQuerySchema>;
