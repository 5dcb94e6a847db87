import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { searchKey } from '../../places/index.js';
import { describeEachDb } from '../../testing/db.js';
import { down, up } from './0009_place_search_keys.js';

describeEachDb('migration 0009: place search keys', (ctx) => {
  // More names than one batch, so that the walk over the rows is exercised past its first page.
  const NAMES = ['Երևան', 'Երեւան', 'ԵՐԵՎԱՆ', 'Goris', 'Степанакерт', 'Xankəndi', 'Եղեգնաձոր', 'Արարատ և Վայոց ձոր'];
  const COUNT = 1203;
  const nameAt = (i: number) => `${NAMES[i % NAMES.length]} ${i}`;
  /** The folding before 0009: `searchKey` without the `եւ` → `եվ` rule. */
  const oldKey = (name: string) =>
    name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/\u0587/g, '\u0565\u0582')
      .replace(/\u0131/g, 'i')
      .replace(/\u0259/g, 'e')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const keys = async () =>
    Object.fromEntries(
      (await ctx().handle.db.selectFrom('place_names').select(['id', 'search_key']).orderBy('id').execute()).map(
        (r) => [r.id, r.search_key],
      ),
    );

  it('recomputes every stored key with the current folding, on rows stored with the old one, and back', async () => {
    const { db } = ctx().handle;
    const at = new Date().toISOString();
    await db
      .insertInto('places')
      .values({
        id: 'p',
        preferred_name: 'Yerevan',
        type: 'city',
        parent_id: null,
        geometry: null,
        centroid_lat: null,
        centroid_lon: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    // Keys as the folding wrote them before 0009: `եւ` kept.
    const stale = Array.from({ length: COUNT }, (_, i) => ({
      id: `n-${String(i).padStart(5, '0')}`,
      place_id: 'p',
      position: i,
      name: nameAt(i),
      lang: 'hy',
      kind: null,
      search_key: oldKey(nameAt(i)),
    }));
    for (let i = 0; i < stale.length; i += 300)
      await db
        .insertInto('place_names')
        .values(stale.slice(i, i + 300))
        .execute();
    expect(stale.filter((r) => r.search_key !== searchKey(r.name)).length).toBeGreaterThan(COUNT / 3);

    await up(db as unknown as Kysely<unknown>);
    const after = await keys();
    expect(Object.keys(after)).toHaveLength(COUNT);
    for (const r of stale) expect(after[r.id], r.name).toBe(searchKey(r.name));
    expect(after['n-00000']).toBe('երեվան 0');
    expect(after['n-00002']).toBe('երեվան 2');

    await down(db as unknown as Kysely<unknown>);
    const before = await keys();
    for (const r of stale) expect(before[r.id], r.name).toBe(r.search_key);

    await up(db as unknown as Kysely<unknown>);
    expect(await keys()).toEqual(after);
    await db.deleteFrom('place_names').execute();
    await db.deleteFrom('places').execute();
  });
});
