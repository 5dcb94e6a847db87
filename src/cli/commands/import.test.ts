import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/corridor.js', import.meta.url));

function corridor(
  dir: string,
  args: string[],
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  delete env.CORRIDOR_SECRET;
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('corridor import records / export records', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-import-'));
    const reviewer = await corridor(
      dir,
      ['user', 'add', '--email', 'rita@example.org', '--role', 'reviewer', '--password-stdin'],
      'correct horse battery staple',
    );
    expect(reviewer.code, reviewer.stderr).toBe(0);
    writeFileSync(
      path.join(dir, 'bad.csv'),
      'external_id,title_en,summary_en,start_date,end_date\n' +
        'cli-1,Gas cut,Summary.,2023-03-22,\n' +
        'cli-2,"=HYPERLINK(""x"")",Summary.,2023-05-10,2023-05-01\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks, lists the row errors and imports nothing unless asked for the valid rows', async () => {
    const dry = await corridor(dir, ['import', 'records', 'bad.csv', '--as', 'rita@example.org', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('2 rows: 1 to create, 0 to update, 1 with errors');
    expect(dry.stderr).toContain('line 3, end_date: the end date is before the start date');
    expect(dry.stdout).toContain('nothing written');

    const all = await corridor(dir, ['import', 'records', 'bad.csv', '--as', 'rita@example.org']);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('nothing was imported');

    const valid = await corridor(dir, ['import', 'records', 'bad.csv', '--as', 'rita@example.org', '--valid-only']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/done: 1 created, 0 updated, 0 unchanged, 1 skipped/);
    // Not a terminal: progress comes as whole lines, not carriage returns.
    expect(valid.stderr).toMatch(/^importing \[#+\] 100% 2\/2 rows/m);
    expect(valid.stderr).not.toContain('\r');

    const exported = await corridor(dir, ['export', 'records', '--as', 'rita@example.org', '--format', 'csv']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(',cli-1,Gas cut,');
  });

  it('refuses an unknown account, a role that may not import, and a missing file', async () => {
    expect((await corridor(dir, ['import', 'records', 'bad.csv', '--as', 'nobody@example.org'])).stderr).toContain(
      'no active user',
    );
    await corridor(
      dir,
      ['user', 'add', '--email', 'dora@example.org', '--role', 'documenter', '--password-stdin'],
      'correct horse battery staple',
    );
    const documenter = await corridor(dir, ['import', 'records', 'bad.csv', '--as', 'dora@example.org']);
    expect(documenter.code).toBe(1);
    expect(documenter.stderr).toContain('may not');
    expect((await corridor(dir, ['import', 'records', 'missing.csv', '--as', 'rita@example.org'])).stderr).toContain(
      'cannot read missing.csv',
    );
    expect((await corridor(dir, ['import', 'records', '--as', 'rita@example.org'])).code).toBe(2);
  });
});
