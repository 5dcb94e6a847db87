import path from 'node:path';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { StorageSettings } from '../core/config.js';
import { DiskBlobStore, type BlobStore } from './blobs.js';

export { DiskBlobStore, spool, type BlobStore, type StoredBlob } from './blobs.js';

/** Where a platform keeps its files: the data directory, or one S3 bucket (one client, shared by every store). */
export type FileStorage =
  | { kind: 'disk'; close(): void }
  | {
      kind: 's3';
      client: S3Client;
      /** The client's options, for libraries that make a client of their own (@tus/s3-store). */
      config: S3ClientConfig;
      bucket: string;
      store(dir: string, name: string): BlobStore;
      close(): void;
    };

/**
 * Opens the configured storage; for S3, checks that the bucket can be used. The AWS SDK is loaded only then: it adds
 * about 0.3 s to a start that does not need it.
 */
export async function openFileStorage(settings: StorageSettings | undefined): Promise<FileStorage> {
  if (settings?.kind !== 's3') return { kind: 'disk', close: () => undefined };
  const { S3BlobStore, checkBucket, createS3Client, s3ClientConfig } = await import('./s3.js');
  const client = createS3Client(settings.s3);
  try {
    await checkBucket(client, settings.s3.bucket);
  } catch (err) {
    client.destroy();
    throw err;
  }
  const bucket = settings.s3.bucket;
  return {
    kind: 's3',
    client,
    config: s3ClientConfig(settings.s3),
    bucket,
    store: (dir, name) => new S3BlobStore({ client, bucket, prefix: `${name}/`, spoolDir: path.join(dir, 'tmp') }),
    close: () => client.destroy(),
  };
}

/**
 * A module's own store: the directory `dir` on disk, or the `<name>/` prefix of the bucket (with the temporary copies
 * made while hashing in `dir/tmp`). Separate stores keep one module's clean-up from ever deleting another's file.
 */
export function createBlobStore(storage: FileStorage, dir: string, name: string): BlobStore {
  return storage.kind === 'disk' ? new DiskBlobStore(dir) : storage.store(dir, name);
}
