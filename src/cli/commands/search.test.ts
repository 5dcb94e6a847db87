import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/corridor.js', import.meta.url));

function corridor(dir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  delete env.CORRIDOR_SECRET;
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('corridor search rebuild', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-search-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills an emptied index again from the tables', async () => {
    expect((await corridor(dir, ['demo'])).code).toBe(0);
    const db = new SQLite(path.join(dir, 'corridor.db'));
    const records = (db.prepare('select count(*) as n from records').get() as { n: number }).n;
    const sources = (db.prepare('select count(*) as n from sources').get() as { n: number }).n;
    expect(records).toBeGreaterThan(0);
    // Lose the index, as a restore of the tables alone would.
    db.exec("insert into record_fts (record_fts) values ('delete-all'); delete from search_records;");
    db.close();

    const r = await corridor(dir, ['search', 'rebuild']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^search index rebuilt: ${records} records, ${sources} sources in [\\d.]+ s\\n$`),
    );
    const again = new SQLite(path.join(dir, 'corridor.db'));
    const indexed = again.prepare('select count(*) as n from search_records').get() as { n: number };
    const hits = again.prepare("select count(*) as n from record_fts where record_fts match 'meta : all'").get() as {
      n: number;
    };
    again.close();
    expect(indexed.n).toBe(records);
    expect(hits.n).toBe(records);
  });
});
