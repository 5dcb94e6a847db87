import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

describe('corridor report build', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-report-'));
    // The first run creates and migrates the database, and finds no such report (exit 1).
    const missing = await corridor(dir, [
      'report',
      'build',
      '--report',
      'nope',
      '--as-of',
      '2023-03-21',
      '--lang',
      'fr',
    ]);
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toContain('No such report');
    const db = new SQLite(path.join(dir, 'corridor.db'));
    const at = new Date().toISOString();
    db.prepare(
      'insert into reports (id, titles, selection, records_per_right, created_by, created_at, updated_at) values (?, ?, ?, ?, null, ?, ?)',
    ).run('report-1', JSON.stringify({ fr: 'Rapport d’essai' }), '[]', 3, at, at);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a draft with a progress bar on stderr and writes its PDF', async () => {
    const out = path.join(dir, 'edition.pdf');
    const r = await corridor(dir, [
      'report',
      'build',
      '--report',
      'report-1',
      '--as-of',
      '2023-03-21',
      '--lang',
      'fr',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Not a terminal: one line per step, ending at 100 %.
    expect(r.stderr).toMatch(/^building \[#?\.{29,30}\] \d% counters$/m);
    expect(r.stderr).toMatch(/^building \[#{30}\] 100% done$/m);
    expect(r.stdout).toMatch(
      /^draft edition \S+: \d+ pages, content sha256 [0-9a-f]{64}, pdf sha256 [0-9a-f]{64}, written to /,
    );
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a language it does not know (exit 2)', async () => {
    const bad = await corridor(dir, [
      'report',
      'build',
      '--report',
      'report-1',
      '--as-of',
      '2023-03-21',
      '--lang',
      'de',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lang');
  });
});
