import { z } from '@hono/zod-openapi';

/**
 * The rights taxonomy: request and response shapes, the single source of truth for the API and its types.
 *
 * Limits: a code is 2–40 characters (`IND-LIFE`); each name is 1–200 characters and all four languages are required;
 * up to 20 instrument references of 1–120 characters each; sort order 0–1,000,000.
 */

export const RIGHT_KINDS = ['category', 'right'] as const;
export const RIGHT_NAME_MAX = 200;
export const INSTRUMENT_MAX = 120;
export const INSTRUMENTS_MAX = 20;

export type RightKind = (typeof RIGHT_KINDS)[number];

export const RightKindSchema = z.enum(RIGHT_KINDS).openapi('RightKind');

export const RightCodeSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/, 'must be upper-case letters and digits in dash-separated parts')
  .openapi({ example: 'IND-LIFE' });

const NameSchema = z.string().trim().min(1).max(RIGHT_NAME_MAX);

export const RightNamesSchema = z
  .object({ en: NameSchema, fr: NameSchema, hy: NameSchema, ru: NameSchema })
  .openapi('RightNames', { description: 'The name in each of the four working languages; all are required' });
export type RightNames = z.infer<typeof RightNamesSchema>;

export const InstrumentsSchema = z
  .array(z.string().trim().min(1).max(INSTRUMENT_MAX))
  .max(INSTRUMENTS_MAX)
  .openapi({ description: 'References to international instruments', example: ['UDHR art. 3', 'ICCPR art. 6'] });

const SortOrderSchema = z.number().int().min(0).max(1_000_000);

export const RightSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    kind: RightKindSchema,
    parentId: z.string().nullable(),
    names: RightNamesSchema,
    instruments: z.array(z.string()),
    sortOrder: z.number().int(),
    retiredAt: z
      .string()
      .nullable()
      .openapi({ description: 'Set when retired: kept for existing records, not offered' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Right');
export type Right = z.infer<typeof RightSchema>;

export const RightCategorySchema = RightSchema.extend({ children: z.array(RightSchema) }).openapi('RightCategory');
export type RightCategory = z.infer<typeof RightCategorySchema>;

export const RightTreeSchema = z.object({ items: z.array(RightCategorySchema) }).openapi('RightTree');

export const RightDetailSchema = RightSchema.extend({
  children: z
    .array(RightSchema)
    .openapi({ description: "A category's rights (retired ones included); empty for a right" }),
}).openapi('RightDetail');
export type RightDetail = z.infer<typeof RightDetailSchema>;

export const CreateRightSchema = z
  .object({
    code: RightCodeSchema,
    kind: RightKindSchema,
    parentId: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: 'Required for a right (its category); absent or null for a category' }),
    names: RightNamesSchema,
    instruments: InstrumentsSchema.default([]),
    sortOrder: SortOrderSchema.optional().openapi({ description: 'Defaults to after the last sibling' }),
  })
  .openapi('CreateRight');
export type CreateRightInput = z.input<typeof CreateRightSchema>;

export const UpdateRightSchema = z
  .object({
    code: RightCodeSchema.optional(),
    parentId: z.string().max(64).nullable().optional().openapi({ description: 'Move a right to another category' }),
    names: RightNamesSchema.partial().optional().openapi({ description: 'Only the languages given change' }),
    instruments: InstrumentsSchema.optional(),
    sortOrder: SortOrderSchema.optional(),
    retired: z.boolean().optional().openapi({ description: 'true retires the node, false brings it back' }),
  })
  .openapi('UpdateRight');
export type UpdateRightInput = z.input<typeof UpdateRightSchema>;

export const RightIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const RightTreeQuerySchema = z.object({
  includeRetired: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'includeRetired', in: 'query' }, description: 'Only for taxonomy managers' }),
});
