import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachApi } from '../testing/api.js';
import { createFactory, type Factory } from '../testing/factories.js';
import type { CustodyEntry, Evidence, IngestResult } from './index.js';
import { formWith, picture } from './testing.js';

type Problem = { status: number; type: string; errors?: { path: string; message: string }[] };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describeEachApi('evidence vault', (api) => {
  let factory: Factory;
  let dora: { session: string; userId: string };
  let rita: { session: string; userId: string };
  let cole: { session: string };
  let gpsJpeg: Buffer;
  let first: Evidence;
  const work = mkdtempSync(path.join(tmpdir(), 'corridor-ev-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const upload = (session: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) =>
    api().request('/api/evidence', { method: 'POST', session, body: formWith(name, bytes, fields) });
  const json = async <T>(res: Response) => (await res.json()) as T;
  const get = (id: string, session: string) => api().request(`/api/evidence/${id}`, { session });
  const custody = async (id: string) =>
    (
      await json<{ items: CustodyEntry[] }>(
        await api().request(`/api/evidence/${id}/custody`, { session: dora.session }),
      )
    ).items;
  const counts = async () => ({
    rows: (await api().platform.database.db.selectFrom('evidence_items').select('id').execute()).length,
    files: (await api().platform.evidence.storedFiles()).length,
  });

  beforeAll(async () => {
    factory = createFactory(api());
    dora = await factory.signedIn('dora', { role: 'documenter' });
    rita = await factory.signedIn('rita', { role: 'reviewer' });
    cole = await factory.signedIn('cole', { role: 'communicator' });
    gpsJpeg = await picture({ gps: true });
  });

  it('keeps an upload under its SHA-256 with provenance, and restricts its camera and GPS to documenters and reviewers', async () => {
    const res = await upload(dora.session, 'market.jpg', gpsJpeg, {
      title: 'Market queue',
      origin: 'handed over by a witness',
      tool: 'Corridor web upload',
    });
    expect(res.status).toBe(201);
    const { item, duplicate } = await json<IngestResult>(res);
    first = item;
    expect(duplicate).toBe(false);
    expect(item).toMatchObject({
      code: expect.stringMatching(/^E-\d{4}$/),
      title: 'Market queue',
      sha256: sha(gpsJpeg),
      size: gpsJpeg.length,
      mediaType: 'image/jpeg',
      width: 800,
      height: 600,
      status: 'processing',
    });
    expect(item.collections).toEqual([
      expect.objectContaining({
        collectedBy: dora.userId,
        method: 'upload',
        origin: 'handed over by a witness',
        tool: 'Corridor web upload',
        originalName: 'market.jpg',
      }),
    ]);
    expect(item.metadata).toMatchObject({
      camera: { make: 'TestCam', model: 'X100' },
      capturedAt: '2023-01-02T10:11:12.000Z',
      gps: { latitude: expect.closeTo(39.815, 3), longitude: expect.closeTo(46.752, 2) },
    });
    const asCommunicator = await json<Evidence>(await get(item.id, cole.session));
    expect(asCommunicator.metadata).toBeNull();
    expect(JSON.stringify(asCommunicator)).not.toContain('39.81');
    expect((await api().request(`/api/evidence/${item.id}/original`, { session: cole.session })).status).toBe(403);
    expect((await get(item.id, (await factory.signedIn('jo', { role: 'journalist' })).session)).status).toBe(403);
    const log = await custody(item.id);
    expect(log.map((c) => c.action)).toEqual(['collected']);
    expect(log[0]!.detail).toMatchObject({ sha256: sha(gpsJpeg), method: 'upload' });
  });

  it('links the same bytes uploaded again instead of storing them twice', async () => {
    const before = await counts();
    const res = await upload(rita.session, 'copy-of-market.jpg', gpsJpeg, { method: 'import', tool: 'USB stick' });
    expect(res.status).toBe(200);
    const { item, duplicate } = await json<IngestResult>(res);
    expect(duplicate).toBe(true);
    expect(item.id).toBe(first.id);
    expect(item.collections.map((c) => [c.originalName, c.method])).toEqual([
      ['market.jpg', 'upload'],
      ['copy-of-market.jpg', 'import'],
    ]);
    expect(await counts()).toEqual(before);
    expect((await custody(first.id)).map((c) => c.action)).toEqual(['collected', 'collected-again']);
  });

  it('makes metadata-free derivatives in a durable job, and flags a re-encoded copy as a near-duplicate', async () => {
    expect(await api().platform.jobs.drain()).toBeGreaterThanOrEqual(1);
    const item = await json<Evidence>(await get(first.id, dora.session));
    expect(item.status).toBe('ready');
    expect(item.derivatives.map((d) => `${d.kind}.${d.format}`).sort()).toEqual(
      ['large.jpeg', 'large.webp', 'thumb.jpeg', 'thumb.webp', 'web.jpeg', 'web.webp'].sort(),
    );
    const web = item.derivatives.find((d) => d.kind === 'web' && d.format === 'jpeg')!;
    expect([web.width, web.height]).toEqual([800, 600]);
    expect(item.derivatives.find((d) => d.kind === 'thumb')!.width).toBe(320);
    expect((await custody(first.id)).map((c) => c.action)).toContain('derivative-made');

    // A real metadata reader finds nothing but the bare image in any derivative.
    for (const d of item.derivatives) {
      const res = await api().request(d.url, { session: cole.session });
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(sha(bytes)).toBe(d.sha256);
      const file = path.join(work, `d.${d.format === 'jpeg' ? 'jpg' : 'webp'}`);
      writeFileSync(file, bytes);
      const tags = JSON.parse(
        execFileSync('exiftool', ['-j', '-G1', '-a', '-u', file], { encoding: 'utf8' }),
      ) as Record<string, unknown>[];
      const groups = new Set(Object.keys(tags[0]!).map((k) => k.split(':')[0]));
      for (const g of ['IFD0', 'ExifIFD', 'GPS', 'XMP-x', 'XMP-exif', 'IPTC', 'MakerNotes', 'ICC_Profile', 'IFD1'])
        expect(groups.has(g), `${d.kind}.${d.format} has ${g}`).toBe(false);
      expect(JSON.stringify(tags)).not.toMatch(/TestCam|X100|GPS|39\.8|46\.7/);
    }

    // Same picture, re-encoded smaller: other bytes, same look.
    const copy = await sharp(gpsJpeg).resize(600).jpeg({ quality: 60 }).toBuffer();
    const { item: second } = await json<IngestResult>(await upload(dora.session, 'forwarded.jpg', copy));
    expect(second.id).not.toBe(first.id);
    await api().platform.jobs.drain();
    const flagged = await json<Evidence>(await get(second.id, dora.session));
    expect(flagged.nearDuplicates[0]).toMatchObject({ id: first.id, code: first.code });
    const other = await picture({ hue: 200, width: 640, height: 640 });
    const { item: third } = await json<IngestResult>(
      await upload(dora.session, 'other.jpg', await sharp(other).rotate(90).toBuffer()),
    );
    await api().platform.jobs.drain();
    expect((await json<Evidence>(await get(third.id, dora.session))).nearDuplicates.map((n) => n.id)).not.toContain(
      first.id,
    );
  });

  it('refuses a file that is not what its name says, a path in the name, a bomb and an oversized file, leaving nothing behind', async () => {
    const before = await counts();
    const png = await picture({ format: 'png' });
    const mismatch = await upload(dora.session, 'photo.jpg', png);
    expect(mismatch.status).toBe(422);
    expect(await json<Problem>(mismatch)).toMatchObject({ type: 'urn:corridor:problem:type-mismatch' });
    const script = await upload(dora.session, 'evil.jpg', Buffer.from('#!/bin/sh\nrm -rf /\n'));
    expect((await json<Problem>(script)).type).toBe('urn:corridor:problem:type-mismatch');
    for (const name of ['../../etc/passwd.jpg', 'dir/photo.jpg', 'C:\\photos\\a.jpg', '..\\a.jpg']) {
      const res = await upload(dora.session, name, gpsJpeg);
      expect(res.status, name).toBe(422);
      expect((await json<Problem>(res)).type).toBe('urn:corridor:problem:invalid-file-name');
    }
    expect((await json<Problem>(await upload(dora.session, 'tool.exe', gpsJpeg))).type).toBe(
      'urn:corridor:problem:unsupported-file',
    );
    const limits = api().platform.evidence.limits;
    const saved = { ...limits };
    try {
      // A tighter limit than the default: a 3000 × 3000 image stands for the bomb without costing the test a real one.
      Object.assign(limits, { maxPixels: 4_000_000, maxBytes: 200_000 });
      const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#fff' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      expect(bomb.length).toBeLessThan(200_000);
      const res = await upload(dora.session, 'bomb.png', bomb);
      expect(res.status).toBe(422);
      expect((await json<Problem>(res)).type).toBe('urn:corridor:problem:too-many-pixels');
      const big = Buffer.concat([gpsJpeg, Buffer.alloc(250_000)]);
      const tooBig = await upload(dora.session, 'big.jpg', big);
      expect(tooBig.status).toBe(413);
    } finally {
      Object.assign(limits, saved);
    }
    expect(await counts()).toEqual(before);
  });

  it('writes each look at the original to its custody log and the audit chain', async () => {
    const res = await api().request(`/api/evidence/${first.id}/original?download=1`, { session: rita.session });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`${first.code}.jpg`);
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(first.sha256);
    const log = await custody(first.id);
    const last = log.at(-1)!;
    expect(last).toMatchObject({ action: 'downloaded-original', actorId: rita.userId });
    const [entry] = await api().platform.audit.list({ entityType: 'evidence', entityId: first.id, limit: 1 });
    expect(entry).toMatchObject({ seq: last.auditSeq, action: 'evidence.downloaded-original', actorId: rita.userId });
    expect((await api().platform.audit.verify()).ok).toBe(true);
  });

  it('links to records and sources the caller can see, and answers 404 for a restricted record', async () => {
    const doraFx = factory.get('dora');
    const record = await factory.record('Shelling of the market', doraFx);
    const hidden = await factory.record('Restricted witness account', factory.get('rita'), {
      confidentiality: 'restricted',
    });
    const source = await factory.source('Local news report');
    const link = (target: unknown) =>
      api().request(`/api/evidence/${first.id}/links`, { method: 'POST', session: dora.session, json: target });
    expect((await link({ type: 'record', id: record.id })).status).toBe(201);
    expect((await link({ type: 'record', id: record.id })).status).toBe(409);
    expect((await link({ type: 'source', id: source.id })).status).toBe(201);
    expect((await link({ type: 'record', id: hidden.id })).status).toBe(404);
    const item = await json<Evidence>(await get(first.id, dora.session));
    expect(item.links.map((l) => [l.type, l.id])).toEqual([
      ['record', record.id],
      ['source', source.id],
    ]);
    expect((await custody(first.id)).filter((c) => c.action === 'linked').map((c) => c.detail)).toEqual([
      { type: 'record', id: record.id },
      { type: 'source', id: source.id },
    ]);
    const list = await json<{ items: { id: string }[] }>(
      await api().request(`/api/evidence?record=${record.id}`, { session: cole.session }),
    );
    expect(list.items.map((i) => i.id)).toEqual([first.id]);
  });

  it('redacts with a solid fill into a new copy, leaves the original as it was, and serves copies of the redaction', async () => {
    const res = await api().request(`/api/evidence/${first.id}/redactions`, {
      method: 'POST',
      session: rita.session,
      json: { regions: [{ x: 200, y: 150, width: 200, height: 200 }], fill: 'solid' },
    });
    expect(res.status).toBe(201);
    const outside = await api().request(`/api/evidence/${first.id}/redactions`, {
      method: 'POST',
      session: rita.session,
      json: { regions: [{ x: 700, y: 0, width: 200, height: 10 }], fill: 'mosaic' },
    });
    expect(outside.status).toBe(422);
    expect(
      (
        await api().request(`/api/evidence/${first.id}/redactions`, {
          method: 'POST',
          session: dora.session,
          json: { regions: [{ x: 0, y: 0, width: 10, height: 10 }], fill: 'solid' },
        })
      ).status,
    ).toBe(403);
    // Until the redaction's copies exist, no copy is served at all (never the unredacted one).
    expect((await api().request(`/api/evidence/${first.id}/files/web.jpeg`, { session: dora.session })).status).toBe(
      404,
    );
    await api().platform.jobs.drain();
    const web = await api().request(`/api/evidence/${first.id}/files/web.jpeg`, { session: dora.session });
    const { data, info } = await sharp(Buffer.from(await web.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    expect(Math.max(...at(300, 250))).toBeLessThan(10);
    expect(Math.max(...at(50, 50))).toBeGreaterThan(40);
    const original = await api().request(`/api/evidence/${first.id}/original`, { session: rita.session });
    expect(sha(Buffer.from(await original.arrayBuffer()))).toBe(first.sha256);
    expect((await custody(first.id)).map((c) => c.action)).toEqual(
      expect.arrayContaining(['redacted', 'viewed-original']),
    );
  });

  it('builds a second redaction on the first: covering another face never uncovers the one before', async () => {
    const res = await api().request(`/api/evidence/${first.id}/redactions`, {
      method: 'POST',
      session: rita.session,
      json: { regions: [{ x: 0, y: 0, width: 100, height: 100 }], fill: 'mosaic' },
    });
    expect(res.status).toBe(201);
    const [solid, mosaic] = (await json<Evidence>(res)).redactions;
    await api().platform.jobs.drain();
    const web = await api().request(`/api/evidence/${first.id}/files/web.jpeg`, { session: dora.session });
    const { data, info } = await sharp(Buffer.from(await web.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    // The first (solid) rectangle is still black in the copies of the second redaction.
    expect(Math.max(...at(300, 250))).toBeLessThan(10);
    const entries = (await custody(first.id)).filter((c) => c.action === 'redacted');
    expect(entries.at(-1)?.detail).toMatchObject({
      from: solid!.sha256,
      fromRedaction: solid!.id,
      redaction: mosaic!.id,
    });
    const original = await api().request(`/api/evidence/${first.id}/original`, { session: rita.session });
    expect(sha(Buffer.from(await original.arrayBuffer()))).toBe(first.sha256);
  });

  it('takes a resumable (tus) upload in parts, resumes from the offset, and keeps no partial file', async () => {
    const bytes = await picture({ hue: 90, width: 1200, height: 900 });
    const meta = (o: Record<string, string>) =>
      Object.entries(o)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(',');
    const created = await api().request('/api/evidence/uploads', {
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
    expect(location).toMatch(/^\/api\/evidence\/uploads\/[^/]+$/);
    const half = Math.floor(bytes.length / 2);
    const patch = (from: number, to: number, session = dora.session) =>
      api().request(location, {
        method: 'PATCH',
        session,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': String(from),
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(bytes.subarray(from, to)),
      });
    expect((await patch(0, half)).status).toBe(204);
    // Another account cannot see or continue it.
    expect((await api().request(location, { method: 'HEAD', session: rita.session })).status).toBe(404);
    expect((await patch(half, bytes.length, rita.session)).status).toBe(404);
    const head = await api().request(location, {
      method: 'HEAD',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0' },
    });
    expect(head.headers.get('upload-offset')).toBe(String(half));
    const done = await patch(half, bytes.length);
    expect(done.status).toBe(200);
    const { item } = await json<IngestResult>(done);
    expect(item).toMatchObject({ sha256: sha(bytes), title: 'Resumed', size: bytes.length });
    expect(item.collections[0]).toMatchObject({ tool: 'phone', originalName: 'resumed.jpg' });
    expect(await api().platform.evidenceUploads.pending()).toEqual([]);

    // Abandoned: the partial file goes with it.
    const abandoned = await api().request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '1000', 'upload-metadata': meta({ filename: 'gone.jpg' }) },
    });
    const url = abandoned.headers.get('location')!;
    await api().request(url, {
      method: 'PATCH',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes.subarray(0, 100)),
    });
    expect(await api().platform.evidenceUploads.pending()).toHaveLength(1);
    expect(
      (await api().request(url, { method: 'DELETE', session: dora.session, headers: { 'tus-resumable': '1.0.0' } }))
        .status,
    ).toBe(204);
    expect(await api().platform.evidenceUploads.pending()).toEqual([]);

    // A bad name is refused before any byte is sent; a finished upload of the wrong type leaves nothing.
    const badName = await api().request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': meta({ filename: '../x.jpg' }) },
    });
    expect(badName.status).toBe(422);
    const before = await counts();
    const fake = Buffer.from('not an image at all');
    const c2 = await api().request('/api/evidence/uploads', {
      method: 'POST',
      session: dora.session,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': String(fake.length),
        'upload-metadata': meta({ filename: 'fake.jpg' }),
      },
    });
    const wrong = await api().request(c2.headers.get('location')!, {
      method: 'PATCH',
      session: dora.session,
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(fake),
    });
    expect(wrong.status).toBe(422);
    expect(await counts()).toEqual(before);
    expect(await api().platform.evidenceUploads.pending()).toEqual([]);
  });
});
