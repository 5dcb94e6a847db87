import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from '../../src/lib/server/storage/testing.js';
import { ApiClient, demoSignIn } from './fixtures';
import { startServer, type TestServer } from './server';

/**
 * The built server (`corridor serve --demo`) keeping its files in an S3-compatible bucket (s3rver, in this process):
 * the demo's pictures land in the bucket, and a resumable upload sent over real HTTP in 400 KB parts, as the page's
 * client sends them, survives a dropped connection and is kept there; nothing stays under `uploads/`.
 */
describe('evidence vault on S3-compatible storage (built server)', () => {
  let fake: FakeS3;
  let server: TestServer;
  let documenter: ApiClient;
  const saved: Record<string, string | undefined> = {};
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    fake = await startFakeS3('corridor-e2e');
    const env = {
      CORRIDOR_STORAGE: 's3',
      CORRIDOR_S3_ENDPOINT: fake.settings.endpoint,
      CORRIDOR_S3_REGION: fake.settings.region,
      CORRIDOR_S3_BUCKET: fake.bucket,
      CORRIDOR_S3_ACCESS_KEY_ID: fake.settings.credentials!.accessKeyId,
      CORRIDOR_S3_SECRET_ACCESS_KEY: fake.settings.credentials!.secretAccessKey,
    };
    // startServer passes its own environment on to the server.
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    server = await startServer({ demo: true });
    documenter = await demoSignIn(server.origin, 'documenter');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const tus = (method: string, url: string, headers: Record<string, string>, body?: Uint8Array) =>
    fetch(`${server.origin}${url}`, {
      method,
      headers: { origin: server.origin, cookie: documenter.cookie, 'tus-resumable': '1.0.0', ...headers },
      body: body && new Uint8Array(body),
    });

  it('keeps the demo pictures in the bucket, not in the data directory', async () => {
    const { items } = await documenter.ok<{ items: { sha256: string }[] }>('GET', '/evidence?limit=50');
    expect(items.length).toBeGreaterThan(0);
    const keys = await fake.keys('evidence/');
    for (const { sha256 } of items)
      expect(keys).toContain(`evidence/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
    // On disk only temporary copies may appear (and go): no kept file under the data directory.
    const local = await readdir(path.join(server.dataDir, 'evidence')).catch(() => []);
    expect(local.filter((d) => /^[0-9a-f]{2}$/.test(d))).toEqual([]);
  });

  it('takes a resumable upload in 400 KB parts over HTTP, resumes after a dropped part, and keeps it in the bucket', async () => {
    const noise = await sharp(randomBytes(1400 * 1000 * 3), { raw: { width: 1400, height: 1000, channels: 3 } })
      .jpeg({ quality: 92 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(1_200_000);
    const meta = `filename ${Buffer.from('noise.jpg').toString('base64')}`;
    const created = await tus('POST', '/api/evidence/uploads', {
      'upload-length': String(noise.length),
      'upload-metadata': meta,
    });
    expect(created.status).toBe(201);
    const url = created.headers.get('location')!;
    const part = 400 * 1024;
    const send = (from: number) =>
      tus(
        'PATCH',
        url,
        { 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' },
        noise.subarray(from, Math.min(from + part, noise.length)),
      );
    expect((await send(0)).status).toBe(204);
    expect((await send(part)).status).toBe(204);
    // A part sent from a wrong offset (as after a lost acknowledgement) is refused; the client asks, and goes on.
    expect((await send(part)).status).toBe(409);
    const head = await tus('HEAD', url, {});
    let offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(2 * part);
    let last: Response | undefined;
    while (offset < noise.length) {
      last = await send(offset);
      offset = Math.min(offset + part, noise.length);
    }
    expect(last!.status).toBe(200);
    const { item } = (await last!.json()) as { item: { id: string; sha256: string; size: number } };
    expect(item).toMatchObject({ sha256: sha(noise), size: noise.length });
    expect(await fake.keys('evidence/')).toContain(
      `evidence/sha256/${item.sha256.slice(0, 2)}/${item.sha256.slice(2, 4)}/${item.sha256}`,
    );
    expect(await fake.keys('uploads/')).toEqual([]);

    const original = await fetch(`${server.origin}/api/evidence/${item.id}/original`, {
      headers: { cookie: documenter.cookie },
    });
    expect(original.status).toBe(200);
    expect(sha(new Uint8Array(await original.arrayBuffer()))).toBe(sha(noise));
  });
});
