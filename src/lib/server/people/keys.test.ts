import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import type { DatabaseTarget } from '../db/index.js';
import { createPlatform, type Platform } from '../platform.js';
import { TEST_SECRET } from '../testing/api.js';
import { createTestTarget, testDialects } from '../testing/db.js';
import { envKeySource, fileKeySource, MasterKeyError } from './index.js';

/**
 * The master key at startup and in rotation, on a database that outlives each platform (a file for SQLite, one
 * schema for PostgreSQL): what an operator meets when restarting with the wrong key, or none.
 */
describe.each(testDialects())('master keys [%s]', (dialect) => {
  let dir: string;
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  let userId: string;
  let personId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-keys-'));
    if (dialect === 'sqlite') {
      target = { kind: 'sqlite', file: path.join(dir, 'corridor.db') };
      drop = async () => {};
    } else ({ target, drop } = await createTestTarget(dialect));
  });
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (keys: Parameters<typeof createPlatform>[0]['masterKeys']) =>
    createPlatform({ database: target, secret: TEST_SECRET, logger: createLogger('silent'), masterKeys: keys });
  const keyDir = () => path.join(dir, 'keys');
  const actor = () => ({ userId, role: 'documenter' as const, via: 'session' as const, pendingSecondFactor: false });
  const withPlatform = async <T>(p: Platform, work: (p: Platform) => Promise<T>) => {
    try {
      return await work(p);
    } finally {
      await p.close();
    }
  };

  it('makes a key file on first start over an empty registry, and uses it', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(keyDir());
    await withPlatform(await start(fileKeySource(keyDir())), async (p) => {
      expect(existsSync(path.join(keyDir(), 'master.key'))).toBe(true);
      userId = (
        await p.accounts.createUser(
          { email: 'k@example.org', displayName: 'k', role: 'documenter', password: 'correct horse keys battery' },
          null,
        )
      ).id;
      personId = (
        await p.people.create(
          { pseudonymLang: 'en', roles: ['witness'], identity: { fullName: 'Keyholder Qanar' } },
          actor(),
        )
      ).id;
    });
  });

  it('refuses to start with a wrong key or with none, and never makes a new key over data', async () => {
    const other = Buffer.alloc(32, 7).toString('base64url');
    await expect(start(envKeySource(other))).rejects.toThrow(MasterKeyError);
    await expect(start(envKeySource(other))).rejects.toThrow(/does not match the database/);
    const empty = path.join(dir, 'empty');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(empty);
    await expect(start(fileKeySource(empty))).rejects.toThrow(/No master key is configured, yet the database holds/);
    expect(existsSync(path.join(empty, 'master.key'))).toBe(false);
    await expect(start(envKeySource('not-a-key'))).rejects.toThrow(/not a base64 encoding of 32 bytes/);
  });

  it('rotates: re-wraps every data key, keeps identities readable, and drops the old key from the file', async () => {
    const file = path.join(keyDir(), 'master.key');
    const before = readFileSync(file, 'utf8').trim();
    const result = await withPlatform(await start(fileKeySource(keyDir())), async (p) => {
      const r = await p.people.rotate({ newKey: true });
      expect((await p.people.identity(personId, actor())).fullName).toBe('Keyholder Qanar');
      return r;
    });
    expect(result).toMatchObject({ rewrapped: 1, failed: [] });
    const after = readFileSync(file, 'utf8').trim().split('\n');
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    // The old key alone no longer opens anything; the new one does, from the environment too.
    await expect(start(envKeySource(before))).rejects.toThrow(MasterKeyError);
    await withPlatform(await start(envKeySource(after[0]!)), async (p) => {
      expect((await p.people.identity(personId, actor())).fullName).toBe('Keyholder Qanar');
    });
  });
});
