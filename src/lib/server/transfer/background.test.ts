import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import type { Actor } from '../http/access.js';
import { createPlatform, type Platform } from '../platform.js';
import { TEST_SECRET } from '../testing/api.js';

/**
 * An import on a SQLite file, as `corridor import` and the server run it: its batches' search documents are added on
 * the background connection (`DatabaseHandle.defer`) while the next batch is made ready. Whatever the order the two
 * threads run in, every record must be found once the import is done, and a restricted one only by those it is for.
 * (In-memory databases, which the other import tests use, have no background connection.)
 */
describe('an import on a database file (SQLite)', () => {
  let dir: string;
  let platform: Platform;
  let importer: Actor;
  let other: Actor;
  const ROWS = 6_000;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-import-file-'));
    platform = await createPlatform({
      database: { kind: 'sqlite', file: path.join(dir, 'corridor.db') },
      secret: TEST_SECRET,
      logger: createLogger('silent'),
      dataDir: dir,
      runJobs: false,
    });
    const user = async (email: string, role: 'admin' | 'communicator') => {
      const u = await platform.accounts.createUser(
        { email, displayName: email, role, password: 'correct horse battery staple' },
        null,
      );
      return { userId: u.id, role, via: 'session', pendingSecondFactor: false } satisfies Actor;
    };
    importer = await user('importer@example.org', 'admin');
    other = await user('other@example.org', 'communicator');
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every imported record once it is done, and a restricted one only for its author', async () => {
    await platform.places.create({ name: 'Goris', type: 'town' }, null);
    const lines = ['external_id,title_en,summary_en,places,confidentiality'];
    for (let i = 0; i < ROWS; i++)
      lines.push(
        i === 4321
          ? `file-${i},Canary restricted ${i},A zebracanary row.,Goris,restricted`
          : `file-${i},Outage report ${i},The gas pipeline was cut (row ${i}).,Goris,internal`,
      );
    const job = await platform.imports.upload(importer, {
      filename: 'records.csv',
      body: Readable.from([Buffer.from(lines.join('\n') + '\n')]),
      mode: 'all',
    });
    await platform.imports.finished(job.id);
    expect((await platform.imports.get(importer, job.id)).rows.created).toBe(ROWS);

    const total = async (actor: Actor, q: string) => (await platform.records.list(actor, { q, limit: 1 })).total.value;
    expect(await total(importer, 'pipeline')).toBe(ROWS - 1);
    expect(await total(importer, 'Goris')).toBe(ROWS);
    expect(await total(importer, 'zebracanary')).toBe(1);
    expect(await total(other, 'zebracanary')).toBe(0);
    expect(await total(other, 'Goris')).toBe(ROWS - 1);
    const backlog = await sql<{ n: number }>`select count(*) as n from search_backlog`.execute(platform.database.db);
    expect(Number(backlog.rows[0]!.n)).toBe(0);
  });
});
