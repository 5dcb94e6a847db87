import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The CLI as users run it: a child process on a SQLite file of its own, started from an unrelated directory. */
const bin = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function corridor(dir: string, args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CORRIDOR_DATA_DIR: dir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.CORRIDOR_SECRET;
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const noStack = (r: Run) => expect(r.stderr).not.toMatch(/^\s+at /m);

describe('corridor CLI', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help, and refuses unknown commands and options with exit code 2', async () => {
    const help = await corridor(dir, ['help']);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'demo', 'user add', 'token create', 'audit verify'])
      expect(help.stdout).toContain(cmd);

    const unknown = await corridor(dir, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');

    const badOption = await corridor(dir, ['migrate', '--force']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("'--force'");
    noStack(badOption);
  });

  it('migrates once, then reports that the database is up to date', async () => {
    const first = await corridor(dir, ['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied \d+ migrations?/);
    expect(first.stdout).toContain('0001_foundation');
    const second = await corridor(dir, ['migrate']);
    expect(second.stdout).toContain('up to date');
  });

  it('loads the demo data idempotently', async () => {
    const first = await corridor(dir, ['demo']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('admin@demo.corridor.test');
    expect(first.stdout).toContain('DEMO ONLY');
    const second = await corridor(dir, ['demo']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/\bcreated\b/);
    expect(second.stdout).toContain('already stored');
  });

  it('adds a user from a password on stdin, and refuses short passwords and taken emails', async () => {
    const short = await corridor(
      dir,
      ['user', 'add', '--email', 'ana@example.org', '--role', 'reviewer', '--password-stdin'],
      'too-short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    noStack(short);

    const noFlag = await corridor(dir, ['user', 'add', '--email', 'ana@example.org', '--role', 'reviewer']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain('--password-stdin');

    const badRole = await corridor(dir, [
      'user',
      'add',
      '--email',
      'ana@example.org',
      '--role',
      'boss',
      '--password-stdin',
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('not a role');

    const args = [
      'user',
      'add',
      '--email',
      'ana@example.org',
      '--role',
      'reviewer',
      '--name',
      'Ana',
      '--password-stdin',
    ];
    const ok = await corridor(dir, args, 'a long enough passphrase\n');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('created reviewer ana@example.org');

    const again = await corridor(dir, args, 'a long enough passphrase\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    noStack(again);
  });

  it('prints only the token on stdout', async () => {
    const r = await corridor(dir, ['token', 'create', '--email', 'ana@example.org', '--name', 'ci']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cor_[A-Za-z0-9_-]+\n$/);

    const nobody = await corridor(dir, ['token', 'create', '--email', 'nobody@example.org', '--name', 'ci']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no user with email nobody@example.org');
  });

  it('verifies the audit chain, and names the first altered or missing entry', async () => {
    const clean = await corridor(dir, ['audit', 'verify']);
    expect(clean.code, clean.stderr).toBe(0);
    const count = Number(/^ok, (\d+) entries$/m.exec(clean.stdout)?.[1]);
    expect(count).toBeGreaterThanOrEqual(9); // demo: 6 accounts + highlights; ana; her token

    const file = path.join(dir, 'corridor.db');
    const sqlite = new SQLite(file);
    const original = sqlite.prepare('select action from audit_log where seq = 3').get() as { action: string };
    sqlite.prepare("update audit_log set action = 'user.delete' where seq = 3").run();
    const altered = await corridor(dir, ['audit', 'verify']);
    expect(altered.code).toBe(1);
    expect(altered.stderr).toMatch(/BROKEN at entry 3: .*altered/);
    expect(altered.stdout).toBe('');

    sqlite.prepare('update audit_log set action = ? where seq = 3').run(original.action);
    expect((await corridor(dir, ['audit', 'verify'])).code).toBe(0);

    sqlite.prepare('delete from audit_log where seq = 5').run();
    sqlite.close();
    const missing = await corridor(dir, ['audit', 'verify']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/BROKEN at entry 5: entry 5 is missing/);
    noStack(missing);
  });

  it('explains a bad configuration without a stack trace', async () => {
    const r = await corridor(dir, ['migrate'], '', { PORT: 'not-a-port' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('PORT');
    noStack(r);
  });
});
