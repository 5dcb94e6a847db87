import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type DatabaseHandle, type DatabaseTarget, type DialectName } from '../db/index.js';

/**
 * Every repository test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too. A configured but
 * unreachable PostgreSQL fails the suite: it never skips silently.
 */
export function testDialects(): DialectName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Each call gets state of its own: a fresh in-memory SQLite, or a fresh schema in the PostgreSQL test database. */
export async function createTestTarget(
  dialect: DialectName,
): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { target: { kind: 'sqlite', file: ':memory:' }, drop: async () => {} };
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is configured (TEST_DATABASE_URL) but unreachable: ${(err as Error).message}`);
  }
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    target: { kind: 'postgres', url, schema, max: 4 },
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export interface DbContext {
  dialect: DialectName;
  handle: DatabaseHandle;
}

/** `describe` once per dialect, with a migrated database that lives for the block. */
export function describeEachDb(name: string, body: (ctx: () => DbContext) => void): void {
  describe.each(testDialects())(`${name} [%s]`, (dialect) => {
    let ctx: DbContext | undefined;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const t = await createTestTarget(dialect);
      drop = t.drop;
      const handle = openDatabase(t.target);
      await handle.migrate();
      ctx = { dialect, handle };
    });
    afterAll(async () => {
      await ctx?.handle.close();
      await drop?.();
    });
    body(() => {
      if (!ctx) throw new Error('database not ready');
      return ctx;
    });
  });
}
