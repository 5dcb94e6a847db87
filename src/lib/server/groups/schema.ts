import { z } from '@hono/zod-openapi';

/**
 * Groups of accounts: the press collective's strategic and working groups, an office team. A restricted record can
 * name groups as well as users; membership decides who sees it. Limits: name 1–100 characters, description up to
 * 1,000, at most 500 members.
 */

const Id = z.string().min(1).max(64);

export const GroupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    memberIds: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Group');
export type Group = z.infer<typeof GroupSchema>;

export const GroupListSchema = z.object({ items: z.array(GroupSchema) }).openapi('GroupList');

export const CreateGroupSchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Press trips working group' }),
    description: z.string().trim().max(1000).nullable().optional(),
    memberIds: z.array(Id).max(500).default([]),
  })
  .openapi('CreateGroup');
export type CreateGroupInput = z.input<typeof CreateGroupSchema>;

export const UpdateGroupSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    memberIds: z.array(Id).max(500).optional().openapi({ description: 'Replaces the member list when given' }),
  })
  .openapi('UpdateGroup');
export type UpdateGroupInput = z.input<typeof UpdateGroupSchema>;

export const GroupIdParamSchema = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
});
