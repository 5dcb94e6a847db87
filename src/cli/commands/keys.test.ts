import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORIES } from '../../lib/server/demo/index.js';

const bin = fileURLToPath(new URL('../../../bin/corridor.js', import.meta.url));

function corridor(
  dir: string,
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CORRIDOR_DATA_DIR: dir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  delete env.CORRIDOR_SECRET;
  if (!('CORRIDOR_MASTER_KEY' in extra)) delete env.CORRIDOR_MASTER_KEY;
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

describe('corridor keys', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates the master key of the demo identities, and refuses to start on a wrong one', async () => {
    expect((await corridor(dir, ['demo'])).code).toBe(0);
    const file = path.join(dir, 'master.key');
    const before = readFileSync(file, 'utf8');

    const r = await corridor(dir, ['keys', 'rotate']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^master key [0-9a-f]{16} now protects every identity \\(${DEMO_STORIES.length} re-wrapped\\)`),
    );
    const after = readFileSync(file, 'utf8');
    expect(after).not.toBe(before);
    expect(after.trim().split('\n')).toHaveLength(1);

    // The demo loads again over the rotated key: nothing to add, and the identities open.
    const again = await corridor(dir, ['demo']);
    expect(again.code, again.stderr).toBe(0);

    const generated = await corridor(dir, ['keys', 'generate']);
    expect(generated.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const wrong = await corridor(dir, ['audit', 'verify'], { CORRIDOR_MASTER_KEY: generated.stdout.trim() });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^corridor: The configured master key does not match the database/);
    expect(wrong.stderr).not.toContain('at ');
  });
});
