import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { createPlatform } from '../platform.js';
import { createTestApi, TEST_ORIGIN, TEST_SECRET, type TestApi, type TestRequestInit } from '../testing/api.js';
import { createTestTarget, testDialects } from '../testing/db.js';
import { createFactory } from '../testing/factories.js';
import { startFakeS3, type FakeS3 } from '../storage/testing.js';
import type { Evidence, IngestResult } from './index.js';
import { formWith, picture } from './testing.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const keyOf = (prefix: string, h: string) => `${prefix}sha256/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`;
const meta = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

/** A platform keeping its files in the fake bucket, driven through `app.request` like `createTestApi`'s. */
async function s3TestApi(dialect: 'sqlite' | 'postgres', fake: FakeS3): Promise<TestApi> {
  const { target, drop } = await createTestTarget(dialect);
  const platform = await createPlatform({
    database: target,
    secret: TEST_SECRET,
    logger: createLogger('silent'),
    storage: { kind: 's3', s3: fake.settings },
  });
  return {
    platform,
    dialect,
    request(path: string, init: TestRequestInit = {}) {
      const { json, session, headers: given, ...rest } = init;
      const headers = new Headers(given);
      headers.set('origin', TEST_ORIGIN);
      if (session) headers.append('cookie', `corridor_session=${session}`);
      let body = rest.body;
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(json);
      }
      return Promise.resolve(platform.api.request(path, { ...rest, headers, body }));
    },
    async close() {
      await platform.close();
      await drop();
    },
  };
}

describe.each(testDialects())('evidence vault on S3-compatible storage [%s]', (dialect) => {
  let fake: FakeS3;
  let api: TestApi;
  let dora: { session: string };
  const json = async <T>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    fake = await startFakeS3(`vault-${dialect}`);
    api = await s3TestApi(dialect, fake);
    dora = await createFactory(api).signedIn('dora', { role: 'documenter' });
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const upload = (name: string, bytes: Uint8Array) =>
    api.request('/api/evidence', { method: 'POST', session: dora.session, body: formWith(name, bytes) });

  it('keeps a multipart upload in the bucket under its SHA-256, reads its metadata, makes derivatives there, and serves the original back', async () => {
    const jpeg = await picture({ gps: true, hue: 30 });
    const res = await upload('street.jpg', jpeg);
    expect(res.status).toBe(201);
    const { item } = await json<IngestResult>(res);
    expect(item).toMatchObject({ sha256: sha(jpeg), size: jpeg.length, width: 800, height: 600 });
    expect(item.metadata?.camera).toMatchObject({ make: 'TestCam', model: 'X100' });
    expect(item.metadata?.gps).not.toBeNull();
    expect(await fake.keys('evidence/')).toEqual([keyOf('evidence/', sha(jpeg))]);

    expect(await api.platform.jobs.drain()).toBeGreaterThan(0);
    const ready = await json<Evidence>(await api.request(`/api/evidence/${item.id}`, { session: dora.session }));
    expect(ready.status).toBe('ready');
    expect(ready.derivatives.length).toBeGreaterThan(0);
    const stored = await fake.keys('evidence/');
    for (const d of ready.derivatives) expect(stored).toContain(keyOf('evidence/', d.sha256));

    const original = await api.request(`/api/evidence/${item.id}/original`, { session: dora.session });
    expect(original.status).toBe(200);
    expect(sha(new Uint8Array(await original.arrayBuffer()))).toBe(sha(jpeg));
    const thumb = await api.request(`/api/evidence/${item.id}/files/thumb.webp`, { session: dora.session });
    expect(thumb.status).toBe(200);
    expect(new Uint8Array(await thumb.arrayBuffer()).length).toBe(
      ready.derivatives.find((d) => d.kind === 'thumb' && d.format === 'webp')!.size,
    );
  });

  it('links the same bytes sent again without a second object or a second upload to the bucket', async () => {
    const jpeg = await picture({ hue: 200 });
    expect((await upload('first.jpg', jpeg)).status).toBe(201);
    const objects = await fake.keys('evidence/');
    const putsBefore = fake.puts.length;
    const again = await upload('again.jpg', jpeg);
    expect(again.status).toBe(200);
    expect((await json<IngestResult>(again)).duplicate).toBe(true);
    expect(await fake.keys('evidence/')).toEqual(objects);
    expect(fake.puts.slice(putsBefore)).toEqual([]);
  });

  it('refuses a file that is not what its name says and leaves no object behind', async () => {
    const objects = await fake.keys('evidence/');
    const res = await upload('fake.jpg', Buffer.from('%PDF-1.7 not a picture'));
    expect(res.status).toBe(422);
    expect(await fake.keys('evidence/')).toEqual(objects);
    expect(await api.platform.evidence.storedFiles()).toEqual(objects.map((k) => k.slice(k.lastIndexOf('/') + 1)));
  });

  it('takes a resumable (tus) upload into the bucket in parts, resumes from the offset, and leaves nothing under uploads/', async () => {
    const bytes = await picture({ hue: 120, width: 1200, height: 900 });
    const created = await api.request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': meta({ filename: 'resumed.jpg', title: 'Resumed', tool: 'phone' }),
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/api\/evidence\/uploads\/[0-9a-f]{32}$/);
    const patch = (from: number, to: number) =>
      api.request(location, {
        method: 'PATCH',
        session: dora.session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': String(from),
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(bytes.subarray(from, to)),
      });
    const third = Math.floor(bytes.length / 3);
    expect((await patch(0, third)).status).toBe(204);
    expect(await api.platform.evidenceUploads.pending()).toHaveLength(1);
    // The connection dropped here: the client asks where the upload stands, and goes on from there.
    const head = await api.request(location, {
      method: 'HEAD',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(third));
    expect((await patch(third, 2 * third)).status).toBe(204);
    const done = await patch(2 * third, bytes.length);
    expect(done.status).toBe(200);
    const { item } = await json<IngestResult>(done);
    expect(item).toMatchObject({ sha256: sha(bytes), title: 'Resumed', size: bytes.length });
    expect(await fake.keys('evidence/')).toContain(keyOf('evidence/', sha(bytes)));
    expect(await api.platform.evidenceUploads.pending()).toEqual([]);
    expect(await fake.keys('uploads/')).toEqual([]);
  });

  it('removes an abandoned upload from the bucket, and refuses an id that is not an upload', async () => {
    const created = await api.request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '1000', 'upload-metadata': meta({ filename: 'gone.jpg' }) },
    });
    const url = created.headers.get('location')!;
    await api.request(url, {
      method: 'PATCH',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(100),
    });
    expect(await api.platform.evidenceUploads.pending()).toHaveLength(1);
    // The hourly sweep lists the bucket's multipart uploads and leaves one younger than a day alone.
    expect(await api.platform.evidenceUploads.sweep()).toBe(0);
    expect(await api.platform.evidenceUploads.pending()).toHaveLength(1);
    const removed = await api.request(url, {
      method: 'DELETE',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0' },
    });
    expect(removed.status).toBe(204);
    expect(await api.platform.evidenceUploads.pending()).toEqual([]);
    expect(await fake.keys('uploads/')).toEqual([]);
    const odd = await api.request('/api/evidence/uploads/..%2Fevidence', {
      method: 'HEAD',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0' },
    });
    expect(odd.status).toBe(404);
  });

  it('takes 3.5 MB PATCH bodies (above the 1 MB JSON body limit) across S3 parts of 5 MiB, resuming between them', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(7 * 1024 * 1024)]);
    const created = await api.request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': meta({ filename: 'report.pdf' }),
      },
    });
    const url = created.headers.get('location')!;
    const patch = (from: number, to: number) =>
      api.request(url, {
        method: 'PATCH',
        session: dora.session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': String(from),
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(bytes.subarray(from, to)),
      });
    const half = Math.floor(bytes.length / 2);
    expect((await patch(0, half)).status).toBe(204);
    const head = await api.request(url, {
      method: 'HEAD',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0' },
    });
    expect(head.headers.get('upload-offset')).toBe(String(half));
    const done = await patch(half, bytes.length);
    expect(done.status).toBe(200);
    expect((await json<IngestResult>(done)).item).toMatchObject({ sha256: sha(bytes), size: bytes.length });
    expect(await fake.keys('uploads/')).toEqual([]);
  });

  it('asks clients for 5 MiB parts, which go straight into the multipart upload (a smaller one waits as .part)', async () => {
    const settings = await json<{ partSize: number; maxBytes: number }>(
      await api.request('/api/evidence/uploads', { session: dora.session }),
    );
    expect(settings.partSize).toBe(5 * 1024 * 1024);
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(settings.partSize + 300 * 1024)]);
    const start = async () =>
      (
        await api.request('/api/evidence/uploads', {
          method: 'POST',
          session: dora.session,
          headers: {
            'tus-resumable': '1.0.0',
            'upload-length': String(bytes.length),
            'upload-metadata': meta({ filename: 'parts.pdf' }),
          },
        })
      ).headers.get('location')!;
    const patch = (url: string, from: number, to: number) =>
      api.request(url, {
        method: 'PATCH',
        session: dora.session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': String(from),
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(bytes.subarray(from, to)),
      });
    const pendingParts = async () => (await fake.keys('uploads/')).filter((k) => k.endsWith('.part'));
    // The old 400 KB part: held back in the bucket, to be fetched and sent again with the next PATCH.
    const small = await start();
    expect((await patch(small, 0, 400 * 1024)).status).toBe(204);
    expect(await pendingParts()).toHaveLength(1);
    expect(
      (await api.request(small, { method: 'DELETE', session: dora.session, headers: { 'tus-resumable': '1.0.0' } }))
        .status,
    ).toBe(204);
    expect(await fake.keys('uploads/')).toEqual([]);
    // The size the server asks for: a real part at once, nothing pending.
    const url = await start();
    expect((await patch(url, 0, settings.partSize)).status).toBe(204);
    expect(await pendingParts()).toEqual([]);
    const done = await patch(url, settings.partSize, bytes.length);
    expect(done.status).toBe(200);
    expect((await json<IngestResult>(done)).item).toMatchObject({ sha256: sha(bytes), size: bytes.length });
    expect(await fake.keys('uploads/')).toEqual([]);
  });
});

describe('tus parts on disk', () => {
  it('asks clients for 1 MiB parts on disk, tells which roles may ask, and takes a part of that size', async () => {
    const api = await createTestApi('sqlite');
    try {
      const factory = createFactory(api);
      const { session } = await factory.signedIn('dana', { role: 'documenter' });
      const journalist = await factory.signedIn('jules', { role: 'journalist' });
      expect((await api.request('/api/evidence/uploads')).status).toBe(401);
      expect((await api.request('/api/evidence/uploads', { session: journalist.session })).status).toBe(403);
      const res = await api.request('/api/evidence/uploads', { session });
      expect(res.status).toBe(200);
      const settings = (await res.json()) as { partSize: number; maxBytes: number; multipartMaxBytes: number };
      expect(settings).toEqual({ partSize: 1024 * 1024, maxBytes: 2 * 1024 ** 3, multipartMaxBytes: 64 * 1024 * 1024 });
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(settings.partSize * 2)]);
      const created = await api.request('/api/evidence/uploads', {
        method: 'POST',
        session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': String(bytes.length),
          'upload-metadata': meta({ filename: 'parts.pdf' }),
        },
      });
      const url = created.headers.get('location')!;
      let offset = 0;
      let last: Response | undefined;
      while (offset < bytes.length) {
        last = await api.request(url, {
          method: 'PATCH',
          session,
          headers: {
            'tus-resumable': '1.0.0',
            'upload-offset': String(offset),
            'content-type': 'application/offset+octet-stream',
          },
          body: new Uint8Array(bytes.subarray(offset, offset + settings.partSize)),
        });
        offset = Math.min(bytes.length, offset + settings.partSize);
        expect(last.status).toBe(offset < bytes.length ? 204 : 200);
      }
      expect((await last!.json()) as IngestResult).toMatchObject({ item: { sha256: sha(bytes) } });
    } finally {
      await api.close();
    }
  });

  it('takes a PATCH body larger than the 1 MB JSON body limit there too', async () => {
    const api = await createTestApi('sqlite');
    try {
      const { session } = await createFactory(api).signedIn('dina', { role: 'documenter' });
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2 * 1024 * 1024)]);
      const created = await api.request('/api/evidence/uploads', {
        method: 'POST',
        session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': String(bytes.length),
          'upload-metadata': meta({ filename: 'big.pdf' }),
        },
      });
      const done = await api.request(created.headers.get('location')!, {
        method: 'PATCH',
        session,
        headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: new Uint8Array(bytes),
      });
      expect(done.status).toBe(200);
      expect((await done.json()) as IngestResult).toMatchObject({ item: { sha256: sha(bytes) } });
    } finally {
      await api.close();
    }
  });
});

describe('S3 storage at start', () => {
  it('refuses to start on a bucket that does not exist, naming it', async () => {
    const fake = await startFakeS3();
    try {
      const { target } = await createTestTarget('sqlite');
      await expect(
        createPlatform({
          database: target,
          secret: TEST_SECRET,
          logger: createLogger('silent'),
          storage: { kind: 's3', s3: { ...fake.settings, bucket: 'no-such-bucket' } },
        }),
      ).rejects.toThrow(/bucket "no-such-bucket" cannot be used: it does not exist/);
    } finally {
      await fake.close();
    }
  });
});
