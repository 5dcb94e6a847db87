import { z } from '@hono/zod-openapi';

export const AuditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.string().openapi({ format: 'date-time' }),
    actorId: z.string().nullable().openapi({ description: 'null for the system (CLI, migrations, demo loader)' }),
    action: z.string().openapi({ example: 'user.create' }),
    entityType: z.string(),
    entityId: z.string(),
    digest: z.string().openapi({ description: 'SHA-256 of the canonical JSON of the change' }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional().openapi({ description: 'Exact action, or a prefix ending in "." (user.)' }),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  before: z.coerce.number().int().positive().optional().openapi({ description: 'Page: entries with seq below this' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextBefore: z.number().int().nullable() })
  .openapi('AuditPage');

export const AuditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    headSeq: z.number().int(),
    broken: z
      .object({ seq: z.number().int(), reason: z.string() })
      .nullable()
      .openapi({ description: 'The first broken or missing link' }),
  })
  .openapi('AuditVerification');
export type AuditVerification = z.infer<typeof AuditVerifySchema>;

/** What a service hands to the audit log. `change` is hashed, never stored: keep secrets out of it anyway. */
export interface AuditEvent {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  change: unknown;
}
