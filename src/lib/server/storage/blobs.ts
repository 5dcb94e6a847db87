import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { problems } from '../http/problem.js';

export const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The same bytes were already kept: nothing new was written (a caller cleaning up must not delete them). */
  existed?: boolean;
}

/**
 * Files kept by content, under their SHA-256: on local disk (`DiskBlobStore`) or in an S3-compatible bucket
 * (`S3BlobStore`), chosen by configuration. A kept file is never overwritten: the same bytes are kept once, and an
 * evidentiary original stays exactly as it was first written. `delete` is for callers removing a file they have just
 * written and that nothing refers to (a refused upload, a replaced report); none is ever called on a kept original.
 */
export interface BlobStore {
  /** Streams the bytes in while hashing them. More than `maxBytes` is refused (413) and nothing is kept. */
  put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredBlob>;
  /** Keeps bytes already in memory (derivatives). */
  putBytes(bytes: Uint8Array): Promise<StoredBlob>;
  /** The first bytes of a kept file (magic-number checks). */
  head(sha256: string, n: number): Promise<Buffer>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** The bytes, as a stream (an unknown file fails the stream, not the call). */
  open(sha256: string): Readable;
  /**
   * Runs `fn` with a local path holding the file, for readers that need one (sharp, exifr). The path is valid only
   * until `fn` settles, and nothing may write to it.
   */
  withFile<T>(sha256: string, fn: (file: string) => Promise<T>): Promise<T>;
  /** Every kept file's SHA-256 (integrity checks, and tests proving nothing was left behind). */
  list(): Promise<string[]>;
  delete(sha256: string): Promise<void>;
}

export interface Spooled {
  /** The temporary file holding the bytes: the caller moves or removes it. */
  file: string;
  sha256: string;
  /** Base64 MD5 of the bytes, when asked for (S3's Content-MD5). */
  md5?: string;
  size: number;
}

/**
 * Writes a stream to a temporary file in `dir` while hashing it, so that a file of any size is hashed without being
 * held in memory. More than `maxBytes` is refused (413) and the temporary file removed.
 */
export async function spool(
  source: AsyncIterable<Uint8Array>,
  dir: string,
  opts: { maxBytes: number; md5?: boolean },
): Promise<Spooled> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, randomBytes(12).toString('hex'));
  const out = createWriteStream(file, { mode: 0o600 });
  const hash = createHash('sha256');
  const md5 = opts.md5 ? createHash('md5') : undefined;
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > opts.maxBytes) throw problems.tooLarge(`The file is larger than ${opts.maxBytes} bytes.`);
      hash.update(chunk);
      md5?.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
  } catch (err) {
    // The file may still be opening: removed before it exists, it would appear afterwards and stay.
    if (!out.closed) await new Promise<void>((resolve) => out.destroy().once('close', () => resolve()));
    await rm(file, { force: true });
    throw err;
  }
  return { file, sha256: hash.digest('hex'), size, ...(md5 ? { md5: md5.digest('base64') } : {}) };
}

export function bytesSource(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes;
  })();
}

/**
 * Files kept by content: each under its SHA-256 (`ab/cdef…`), written to a temporary file while hashing and renamed
 * into place once complete, so that a reader never sees half a file and the same bytes are kept once. Each module
 * that keeps files has a store of its own (its own root), so that one module's clean-up never deletes another's file.
 */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  /** Streams the bytes to disk. More than `maxBytes` is refused (413) and nothing is kept. */
  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredBlob> {
    const { file: tmp, sha256, size } = await spool(source, path.join(this.root, 'tmp'), opts);
    const target = this.pathOf(sha256);
    // Content-addressed: the same bytes are kept once, and a kept file is never overwritten (an evidentiary original
    // must stay exactly as it was first written).
    if (await this.has(sha256)) {
      await rm(tmp, { force: true });
      return { sha256, size, existed: true };
    }
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(tmp, target);
    return { sha256, size, existed: false };
  }

  /** Keeps bytes already in memory (derivatives). */
  putBytes(bytes: Uint8Array): Promise<StoredBlob> {
    return this.put(bytesSource(bytes), { maxBytes: Number.MAX_SAFE_INTEGER });
  }

  /** The first bytes of a kept file (magic-number checks). */
  async head(sha256: string, n: number): Promise<Buffer> {
    const fh = await open(this.pathOf(sha256), 'r');
    try {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  /**
   * Where a kept file lies, for readers that take a path (sharp, exifr). Read only: nothing may write to it.
   */
  filePath(sha256: string): string {
    return this.pathOf(sha256);
  }

  /** The kept file itself: no copy is made. */
  async withFile<T>(sha256: string, fn: (file: string) => Promise<T>): Promise<T> {
    return fn(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** The bytes, as a stream. */
  open(sha256: string): Readable {
    // Large reads: an import streams files of hundreds of megabytes.
    return createReadStream(this.pathOf(sha256), { highWaterMark: 1024 * 1024 });
  }

  /** Every kept file's SHA-256 (integrity checks, and tests proving nothing was left behind). */
  async list(): Promise<string[]> {
    const out: string[] = [];
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch {
      return out;
    }
    for (const d of dirs) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const f of await readdir(path.join(this.root, d))) if (SHA256.test(d + f)) out.push(d + f);
    }
    return out.sort();
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }
}
