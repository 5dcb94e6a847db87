import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { problems } from '../http/problem.js';

const SHA256 = /^[0-9a-f]{64}$/;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** The same bytes were already kept: nothing new was written (a caller cleaning up must not delete them). */
  existed?: boolean;
}

/**
 * Files kept by content: each under its SHA-256 (`ab/cdef…`), written to a temporary file while hashing and renamed
 * into place once complete, so that a reader never sees half a file and the same bytes are kept once. Each module
 * that keeps files has a store of its own (its own root), so that one module's clean-up never deletes another's file.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  /** Streams the bytes to disk. More than `maxBytes` is refused (413) and nothing is kept. */
  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = path.join(tmpDir, randomBytes(12).toString('hex'));
    const out = createWriteStream(tmp, { mode: 0o600 });
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw problems.tooLarge(`The file is larger than ${opts.maxBytes} bytes.`);
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    } catch (err) {
      out.destroy();
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
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
    return this.put(
      (async function* () {
        yield bytes;
      })(),
      { maxBytes: Number.MAX_SAFE_INTEGER },
    );
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
