import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/db.js';
import { escapeLike } from './dialect.js';

const t = '2026-01-01T00:00:00.000Z';

describeEachDb('dialect module', (ctx) => {
  it('maps unique and foreign-key violations on both dialects', async () => {
    const { handle } = ctx();
    const user = { id: 'u1', email: 'a@example.test', display_name: 'A', role: 'admin', created_at: t, updated_at: t };
    await handle.db.insertInto('users').values(user).execute();
    const dup = await handle.db
      .insertInto('users')
      .values({ ...user, id: 'u2' })
      .execute()
      .catch((e: unknown) => e);
    expect(handle.dialect.isUniqueViolation(dup)).toBe(true);
    const orphan = await handle.db
      .insertInto('sessions')
      .values({ id: 's1', user_id: 'nobody', created_at: t, expires_at: t, last_seen_at: t })
      .execute()
      .catch((e: unknown) => e);
    expect(handle.dialect.isForeignKeyViolation(orphan)).toBe(true);
  });

  it('matches case-insensitively and literally with ilike', async () => {
    const { handle } = ctx();
    await handle.db
      .insertInto('settings')
      .values([
        { key: 'Portal.Title_One', value: '"x"', updated_at: t },
        { key: 'portalXtitle', value: '"y"', updated_at: t },
      ])
      .execute();
    const rows = await handle.db
      .selectFrom('settings')
      .select('key')
      .where(handle.dialect.ilike('key', `%${escapeLike('title_')}%`))
      .execute();
    expect(rows.map((r) => r.key)).toEqual(['Portal.Title_One']);
  });

  it('returns counts as numbers', async () => {
    const { handle } = ctx();
    const row = await handle.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(handle.dialect.toNumber(row.n)).toBe(1);
    expect(typeof handle.dialect.toNumber(row.n)).toBe('number');
  });
});
