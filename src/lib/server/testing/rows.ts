import type { Db } from '../db/index.js';

/**
 * Bare rows for service tests that stub the records module (its visibility is injected): one author and records
 * with the given ids and confidentiality, inserted straight into the tables so no other module is involved.
 */
export async function insertAuthorAndRecords(
  db: Db,
  authorId: string,
  records: Record<string, 'public' | 'internal' | 'restricted'>,
): Promise<void> {
  const at = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      id: authorId,
      email: `${authorId}@example.org`,
      display_name: authorId,
      role: 'documenter',
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [id, confidentiality] of Object.entries(records))
    await db
      .insertInto('records')
      .values({
        id,
        code: `V-2023-${id}`,
        status: 'draft',
        verification: 'reported',
        confidentiality,
        responsible: '[]',
        version: 1,
        created_at: at,
        updated_at: at,
      } as never)
      .execute();
}
