import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { S3Settings } from '../core/config.js';
import { bytesSource, SHA256, spool, type BlobStore, type StoredBlob } from './blobs.js';

/**
 * The SDK's options for a bucket's server. Checksums only when an operation requires them: the SDK's default
 * (a CRC32 trailer in aws-chunked encoding on every upload) is refused or stored verbatim by several S3-compatible
 * servers; the store sends its own Content-MD5 and SHA-256 instead.
 */
export function s3ClientConfig(s: S3Settings): S3ClientConfig {
  return {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
  };
}

export function createS3Client(s: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(s));
}

/** Fails the start early, with a message naming the bucket (never the keys), when the bucket cannot be reached. */
export async function checkBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const why = status === 404 ? 'it does not exist' : status === 403 ? 'access is denied' : String(err);
    throw new Error(`S3 bucket "${bucket}" cannot be used: ${why}`, { cause: err });
  }
}

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Keeps each module's files apart in one bucket (`evidence/`), like the disk store's separate roots. */
  prefix: string;
  /** A local directory for the temporary copy made while hashing (and for readers that need a path). */
  spoolDir: string;
}

const isNotFound = (err: unknown) =>
  err instanceof S3ServiceException &&
  (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');

/**
 * Files kept by content in an S3-compatible bucket, under `<prefix>sha256/ab/cd/<sha256>`. A file is first written
 * to a local temporary file while hashed (so a video is never held in memory and its SHA-256 is known before any byte
 * leaves), then sent in one PutObject of known length, unless an object already sits under that key: a kept file is
 * never overwritten (`If-None-Match: *` too, for a writer racing between the check and the write). The server is
 * given the MD5 (Content-MD5) and the SHA-256 (x-amz-checksum-sha256) to check on arrival, and the object carries
 * its SHA-256 as `x-amz-meta-sha256`; after the write the store reads the object's size and that metadata back, and
 * removes the object it has just written if either is wrong.
 *
 * One PutObject takes up to 5 GB, above the vault's default maximum (2 GB); multipart would need @aws-sdk/lib-storage.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly spoolDir: string;

  constructor(opts: S3BlobStoreOptions) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix === '' || opts.prefix.endsWith('/') ? opts.prefix : `${opts.prefix}/`;
    this.spoolDir = opts.spoolDir;
  }

  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredBlob> {
    const spooled = await spool(source, this.spoolDir, { ...opts, md5: true });
    const { sha256, size } = spooled;
    try {
      if (await this.has(sha256)) return { sha256, size, existed: true };
      let etag: string | undefined;
      try {
        ({ ETag: etag } = await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.keyOf(sha256),
            Body: createReadStream(spooled.file),
            ContentLength: size,
            ContentType: 'application/octet-stream',
            ContentMD5: spooled.md5,
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            Metadata: { sha256 },
            IfNoneMatch: '*',
          }),
        ));
      } catch (err) {
        // Someone stored the same bytes between the check and the write: theirs is kept, ours dropped.
        if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 412)
          return { sha256, size, existed: true };
        throw err;
      }
      await this.verify(sha256, size, etag, spooled.md5!);
      return { sha256, size, existed: false };
    } finally {
      await rm(spooled.file, { force: true });
    }
  }

  /**
   * The object as the server now reports it: its size and SHA-256 metadata, and the write's ETag where it is the
   * MD5 of the bytes (a single-part write without KMS encryption). A wrong object just written is removed, so that a
   * later put of the same bytes is not taken for already kept.
   */
  private async verify(sha256: string, size: number, etag: string | undefined, md5: string): Promise<void> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
    const problems: string[] = [];
    const tag = etag?.replace(/"/g, '');
    const md5Hex = Buffer.from(md5, 'base64').toString('hex');
    if (tag && /^[0-9a-f]{32}$/.test(tag) && head.ServerSideEncryption !== 'aws:kms' && tag !== md5Hex)
      problems.push(`ETag ${tag} instead of the MD5 ${md5Hex}`);
    if (head.ContentLength !== size) problems.push(`size ${head.ContentLength} instead of ${size}`);
    if (head.Metadata?.sha256 !== sha256) problems.push(`x-amz-meta-sha256 ${head.Metadata?.sha256 ?? 'missing'}`);
    if (problems.length === 0) return;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
    throw new Error(`S3 object ${this.keyOf(sha256)} did not arrive intact (${problems.join(', ')}): removed`);
  }

  putBytes(bytes: Uint8Array): Promise<StoredBlob> {
    return this.put(bytesSource(bytes), { maxBytes: Number.MAX_SAFE_INTEGER });
  }

  async head(sha256: string, n: number): Promise<Buffer> {
    const key = this.keyOf(sha256);
    // The size first: an empty object has no byte 0, and a range on it is refused (or, by some servers, worse).
    const { ContentLength: size = 0 } = await this.client.send(
      new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
    );
    const want = Math.min(n, size);
    if (want <= 0) return Buffer.alloc(0);
    const res = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${want - 1}` }),
    );
    // A server ignoring Range sends everything: only the first bytes are wanted.
    return Buffer.from(await res.Body!.transformToByteArray()).subarray(0, want);
  }

  async read(sha256: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  open(sha256: string): Readable {
    const key = this.keyOf(sha256);
    const { client, bucket } = this;
    // The request starts when the stream is first read, so that open() stays synchronous like the disk store's.
    return Readable.from(
      (async function* () {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        yield* res.Body as Readable;
      })(),
      { objectMode: false },
    );
  }

  async withFile<T>(sha256: string, fn: (file: string) => Promise<T>): Promise<T> {
    await mkdir(this.spoolDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.spoolDir, `${randomBytes(12).toString('hex')}.get`);
    try {
      await pipeline(this.open(sha256), createWriteStream(file, { mode: 0o600 }));
      return await fn(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  async list(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}sha256/`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const sha = o.Key?.slice(o.Key.lastIndexOf('/') + 1);
        if (sha && SHA256.test(sha) && o.Key === this.keyOf(sha)) out.push(sha);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
  }

  /** The object key of a file (tests, and operators looking in the bucket). */
  keyOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return `${this.prefix}sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }
}
