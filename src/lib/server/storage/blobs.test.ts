import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../http/problem.js';
import { DiskBlobStore, type BlobStore } from './blobs.js';
import { S3BlobStore } from './s3.js';
import { startFakeS3, type FakeS3 } from './testing.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A stream of `count` chunks of `size` bytes, made as it is read (never the whole in memory). */
async function* chunks(count: number, size: number, seed = 1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, (i * 31 + seed) % 251);
}
const digestOf = async (source: AsyncIterable<Uint8Array>) => {
  const h = createHash('sha256');
  let n = 0;
  for await (const c of source) {
    h.update(c);
    n += c.byteLength;
  }
  return { sha256: h.digest('hex'), size: n };
};
const collect = async (s: AsyncIterable<unknown>) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

interface Subject {
  store: BlobStore;
  /** Temporary files the store left in its local directory (none may stay). */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3();
});
afterAll(async () => {
  await fake?.close();
});

const subjects: [string, () => Promise<Subject>][] = [
  [
    'disk',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'corridor-blobs-disk-'));
      return {
        store: new DiskBlobStore(dir),
        leftovers: () => readdir(path.join(dir, 'tmp')).catch(() => []),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    's3',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'corridor-blobs-s3-'));
      return {
        store: new S3BlobStore({
          client: fake.client,
          bucket: fake.bucket,
          prefix: `contract-${path.basename(dir)}/`,
          spoolDir: path.join(dir, 'tmp'),
        }),
        leftovers: () => readdir(path.join(dir, 'tmp')).catch(() => []),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
];

describe.each(subjects)('blob store contract [%s]', (_name, make) => {
  let s: Subject;
  beforeAll(async () => {
    s = await make();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps a streamed file under its SHA-256 and gives the same bytes back, whole, from the start, or as a stream', async () => {
    const bytes = Buffer.from('%PDF-1.7 hello vault\n'.repeat(50));
    const stored = await s.store.put(
      (async function* () {
        yield bytes.subarray(0, 100);
        yield bytes.subarray(100);
      })(),
      { maxBytes: 1e6 },
    );
    expect(stored).toEqual({ sha256: sha(bytes), size: bytes.length, existed: false });
    expect(await s.store.has(stored.sha256)).toBe(true);
    expect(await s.store.read(stored.sha256)).toEqual(bytes);
    expect(await s.store.head(stored.sha256, 8)).toEqual(Buffer.from('%PDF-1.7'));
    expect(await s.store.head(stored.sha256, 100_000)).toEqual(bytes);
    expect(await collect(s.store.open(stored.sha256))).toEqual(bytes);
    expect(await s.store.withFile(stored.sha256, async (file) => readFileSync(file))).toEqual(bytes);
    expect(await s.store.list()).toContain(stored.sha256);
    expect(await s.leftovers()).toEqual([]);
  });

  it('hashes a large file while streaming it, without holding it (8 MiB in 64 KiB chunks)', async () => {
    const expected = await digestOf(chunks(128, 64 * 1024, 7));
    const stored = await s.store.put(chunks(128, 64 * 1024, 7), { maxBytes: 16 * 1024 * 1024 });
    expect(stored).toEqual({ ...expected, existed: false });
    expect(await digestOf(s.store.open(stored.sha256))).toEqual(expected);
  });

  it('keeps the same bytes once: a second put reports them as existing and writes nothing', async () => {
    const bytes = Buffer.from('the same bytes twice');
    const first = await s.store.putBytes(bytes);
    const before = await s.store.list();
    const second = await s.store.putBytes(bytes);
    expect(first.existed).toBe(false);
    expect(second).toEqual({ sha256: first.sha256, size: bytes.length, existed: true });
    expect(await s.store.list()).toEqual(before);
    expect(await s.leftovers()).toEqual([]);
  });

  it('refuses more than the maximum with 413 and keeps nothing of it', async () => {
    const before = await s.store.list();
    const err = await s.store.put(chunks(10, 1000), { maxBytes: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Problem);
    expect((err as Problem).status).toBe(413);
    expect(await s.store.list()).toEqual(before);
    expect(await s.leftovers()).toEqual([]);
  });

  it('keeps an empty file, answers for an unknown one, and deletes on request', async () => {
    const empty = await s.store.putBytes(new Uint8Array(0));
    expect(empty.size).toBe(0);
    expect(await s.store.head(empty.sha256, 64)).toEqual(Buffer.alloc(0));
    const unknown = sha(Buffer.from('never stored'));
    expect(await s.store.has(unknown)).toBe(false);
    await expect(s.store.read(unknown)).rejects.toThrow();
    await expect(collect(s.store.open(unknown))).rejects.toThrow();
    await s.store.delete(empty.sha256);
    expect(await s.store.has(empty.sha256)).toBe(false);
    await expect(s.store.read('../../etc/passwd')).rejects.toThrow(/SHA-256/);
  });
});

describe('S3 blob store', () => {
  let dir: string;
  let store: S3BlobStore;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'corridor-blobs-s3-only-'));
    store = new S3BlobStore({ client: fake.client, bucket: fake.bucket, prefix: 'vault/', spoolDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keys objects by content (sha256/ab/cd/<hash>) with the hash as metadata, and never uploads the same bytes twice', async () => {
    const bytes = Buffer.from('an original');
    const h = sha(bytes);
    const putsBefore = fake.puts.length;
    await store.putBytes(bytes);
    await store.putBytes(bytes);
    await store.put(
      (async function* () {
        yield bytes;
      })(),
      { maxBytes: 100 },
    );
    expect(await fake.keys('vault/')).toEqual([`vault/sha256/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`]);
    expect(fake.puts.slice(putsBefore)).toEqual([store.keyOf(h)]);
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = await fake.client.send(new HeadObjectCommand({ Bucket: fake.bucket, Key: store.keyOf(h) }));
    expect(head.Metadata).toEqual({ sha256: h });
  });

  it('never overwrites: a write racing past the check is refused by the server and the kept object stays', async () => {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const bytes = Buffer.from('first writer');
    const h = sha(bytes);
    await store.putBytes(bytes);
    const err = await fake.client
      .send(new PutObjectCommand({ Bucket: fake.bucket, Key: store.keyOf(h), Body: 'other', IfNoneMatch: '*' }))
      .catch((e: unknown) => e);
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(412);
    expect(await store.read(h)).toEqual(bytes);
  });

  it('checks what arrived: an object that lost its SHA-256 on the way is removed and the put fails', async () => {
    const bytes = Buffer.from('damaged on the way');
    const h = sha(bytes);
    fake.loseMetadataOf(new RegExp(h));
    await expect(store.putBytes(bytes)).rejects.toThrow(/did not arrive intact.*x-amz-meta-sha256/);
    expect(await store.has(h)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    // Sent again, it is kept.
    expect((await store.putBytes(bytes)).existed).toBe(false);
  });

  it('checks the ETag of a single-part write against the MD5 of the bytes sent', async () => {
    const bytes = Buffer.from('an ETag that does not match');
    const h = sha(bytes);
    fake.answerWrongEtagFor(new RegExp(h));
    await expect(store.putBytes(bytes)).rejects.toThrow(/did not arrive intact.*ETag 0{32} instead of the MD5/);
    expect(await store.has(h)).toBe(false);
  });
});
