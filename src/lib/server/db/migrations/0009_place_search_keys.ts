import type { Kysely } from 'kysely';

/**
 * Place name keys with the Armenian `եւ` → `եվ` rule (issue 3): `place_names.search_key` of existing rows is
 * recomputed in JS, a batch of rows at a time, so that `Երեվան` and `ԵՐԵՎԱՆ` find a place stored as `Երևան`.
 *
 * The folding is a copy of places/fold.ts `searchKey` as of this migration, so that the migration keeps doing what it
 * did when the folding changes again (with a migration of its own). `down` puts back the keys without the rule.
 *
 * Merged migrations are never edited.
 */
const BATCH = 500;

function baseKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\u0587/g, '\u0565\u0582')
    .replace(/\u0131/g, 'i')
    .replace(/\u0259/g, 'e')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const keyWithRule = (name: string) => baseKey(name).replace(/\u0565\u0582/g, '\u0565\u057e');

type Row = { id: string; name: string; search_key: string };

async function rekey(db: Kysely<unknown>, key: (name: string) => string): Promise<void> {
  // Typed locally: migrations do not depend on db/types.ts, which follows the latest schema.
  const k = db as unknown as Kysely<{ place_names: Row }>;
  let after = '';
  for (;;) {
    const rows = await k
      .selectFrom('place_names')
      .select(['id', 'name', 'search_key'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const next = key(r.name);
      if (next !== r.search_key)
        await k.updateTable('place_names').set({ search_key: next }).where('id', '=', r.id).execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rekey(db, keyWithRule);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rekey(db, baseKey);
}
