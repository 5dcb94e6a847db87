import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory } from '../testing/factories.js';
import { exportBundle, verifyBundle, type IngestResult } from './index.js';
import { formWith, picture } from './testing.js';

const bin = fileURLToPath(new URL('../../../../bin/corridor.js', import.meta.url));

function verifyCli(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'evidence', 'verify', file], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachApi('evidence export bundle', (api) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'corridor-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let recordId: string;
  let originals: Buffer[];
  let bundle: string;

  beforeAll(async () => {
    const factory = createFactory(api());
    const dora = await factory.signedIn('dora', { role: 'documenter' });
    const record = await factory.record('Convoy stopped at the checkpoint', factory.get('dora'));
    recordId = record.id;
    originals = [await picture({ hue: 10, gps: true }), await picture({ hue: 150 })];
    for (const [n, bytes] of originals.entries()) {
      const res = await api().request('/api/evidence', {
        method: 'POST',
        session: dora.session,
        body: formWith(`convoy-${n}.jpg`, bytes),
      });
      const { item } = (await res.json()) as IngestResult;
      const link = await api().request(`/api/evidence/${item.id}/links`, {
        method: 'POST',
        session: dora.session,
        json: { type: 'record', id: recordId },
      });
      expect(link.status).toBe(201);
    }
    await api().platform.jobs.drain();
    bundle = path.join(dir, `bundle-${api().dialect}.zip`);
    const r = await exportBundle(
      { evidence: api().platform.evidence, audit: api().platform.audit },
      recordId,
      null,
      bundle,
    );
    expect(r.items).toBe(2);
  });

  it('holds the originals, the manifest with custody (including the export itself) and the chain to its head', async () => {
    const files = unzipSync(new Uint8Array(readFileSync(bundle)));
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.txt',
        'audit/entries.json',
        'audit/head.json',
        'manifest.json',
        'originals/E-0001.jpg',
        'originals/E-0002.jpg',
      ].sort(),
    );
    expect(Buffer.from(files['originals/E-0001.jpg']!).equals(originals[0]!)).toBe(true);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      items: { code: string; custody: { action: string }[] }[];
    };
    expect(manifest.items[0]!.custody.map((c) => c.action)).toEqual([
      'collected',
      'linked',
      'derivative-made',
      'exported',
    ]);
    const head = JSON.parse(strFromU8(files['audit/head.json']!)) as { seq: number; hash: string };
    const [newest] = await api().platform.audit.list({ limit: 1 });
    expect(head).toEqual({ seq: newest!.seq, hash: newest!.hash });
    // The export was written to each file's custody.
    const log = await api().platform.evidence.custodyLog((await api().platform.evidence.findByCode('E-0002'))!.id);
    expect(log.at(-1)).toMatchObject({ action: 'exported', detail: { recordId } });

    const r = verifyBundle(new Uint8Array(readFileSync(bundle)));
    expect(r).toMatchObject({ ok: true, files: 2, custodyEntries: 8, problems: [] });
    const cli = await verifyCli(bundle);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ok: 2 file\(s\), 8 custody entries/);
  });

  it('fails when one byte of an original is flipped, naming the file', async () => {
    const bytes = new Uint8Array(readFileSync(bundle));
    // Originals are stored uncompressed: find the second one's bytes inside the archive and flip one in the middle.
    const needle = originals[1]!.subarray(2000, 2032);
    const at = Buffer.from(bytes).indexOf(needle);
    expect(at).toBeGreaterThan(0);
    bytes[at + 10]! ^= 0x01;
    const tampered = path.join(dir, `tampered-${api().dialect}.zip`);
    writeFileSync(tampered, bytes);
    const r = verifyBundle(bytes);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.stringMatching(/^originals\/E-0002\.jpg \(E-0002\): SHA-256 is [0-9a-f]{64}, the manifest says/),
    ]);
    const cli = await verifyCli(tampered);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('originals/E-0002.jpg (E-0002): SHA-256 is');
  });

  it('fails when the manifest, a custody entry or the audit chain is edited', () => {
    const files = unzipSync(new Uint8Array(readFileSync(bundle)));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      items: { custody: { detail: Record<string, unknown> }[] }[];
    };
    manifest.items[0]!.custody[0]!.detail.origin = 'somewhere else';
    const entries = JSON.parse(strFromU8(files['audit/entries.json']!)) as { seq: number; actorId: string | null }[];
    entries[1]!.actorId = 'someone-else';
    const rezip = zipSync({
      ...files,
      'manifest.json': strToU8(JSON.stringify(manifest)),
      'audit/entries.json': strToU8(JSON.stringify(entries)),
    });
    const r = verifyBundle(rezip);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^E-0001 custody entry 1 \(collected, audit \d+\): its content does not match/),
        `audit entry ${entries[1]!.seq} was altered: its hash does not match its content`,
      ]),
    );
  });
});
