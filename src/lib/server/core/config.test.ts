import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'corridor-config-'));

describe('configuration', () => {
  it('defaults to SQLite in the data dir and generates a secret that survives restarts', () => {
    const dir = tmp();
    const a = loadConfig({ CORRIDOR_DATA_DIR: dir });
    expect(a.port).toBe(3000);
    expect(a.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'corridor.db') });
    expect(a.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(a.secret);
    expect(loadConfig({ CORRIDOR_DATA_DIR: dir }).secret).toBe(a.secret);
  });

  it('selects PostgreSQL from DATABASE_URL', () => {
    const c = loadConfig({ CORRIDOR_DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@db:5432/x' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x' });
  });

  it('rejects bad values with a message naming the variable', () => {
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), CORRIDOR_SECRET: 'short' })).toThrow(/CORRIDOR_SECRET/);
  });
});
