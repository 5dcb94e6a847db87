import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { DiskBlobStore, type BlobStore } from './blobs.js';
import { S3BlobStore } from './s3.js';

export { DiskBlobStore, spool, type BlobStore, type StoredBlob } from './blobs.js';
export { S3BlobStore, checkBucket, createS3Client, s3ClientConfig } from './s3.js';

/** Where a platform keeps its files: the data directory, or one S3 bucket (one client, shared by every store). */
export type FileStorage = { kind: 'disk' } | { kind: 's3'; client: S3Client; bucket: string };

/**
 * A module's own store: the directory `dir` on disk, or the `<name>/` prefix of the bucket (with the temporary copies
 * made while hashing in `dir/tmp`). Separate stores keep one module's clean-up from ever deleting another's file.
 */
export function createBlobStore(storage: FileStorage, dir: string, name: string): BlobStore {
  if (storage.kind === 'disk') return new DiskBlobStore(dir);
  return new S3BlobStore({
    client: storage.client,
    bucket: storage.bucket,
    prefix: `${name}/`,
    spoolDir: path.join(dir, 'tmp'),
  });
}
