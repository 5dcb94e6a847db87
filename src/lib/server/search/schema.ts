import { z } from '@hono/zod-openapi';

/** Saved searches: a user's named record searches, kept as the query string of `GET /api/records`. */

export const SAVED_SEARCHES_MAX = 100;

export const CreateSavedSearchSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    params: z
      .string()
      .max(2000)
      .openapi({
        description:
          'The query string of GET /api/records (`q=blockade&right=…`), checked by the same rules; `cursor` and ' +
          '`limit` are dropped',
        example: 'q=électricité&from=2023-01',
      }),
  })
  .openapi('CreateSavedSearch');
export type CreateSavedSearchInput = z.input<typeof CreateSavedSearchSchema>;

export const SavedSearchSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    params: z.string().openapi({ description: 'Run it: /workspace/records?<params>' }),
    createdAt: z.string(),
  })
  .openapi('SavedSearch');
export type SavedSearch = z.infer<typeof SavedSearchSchema>;

export const SavedSearchListSchema = z.object({ items: z.array(SavedSearchSchema) }).openapi('SavedSearchList');

export const SavedSearchIdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
