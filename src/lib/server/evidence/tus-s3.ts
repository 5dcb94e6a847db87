import { DeleteObjectCommand, ListObjectsV2Command, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Store } from '@tus/s3-store';
import { EXPIRY_MS } from './tus.js';

/** Where partial uploads wait in S3-compatible storage (the vault's bucket). */
export interface UploadsBucket {
  client: S3Client;
  config: S3ClientConfig;
  bucket: string;
}

/**
 * @tus/s3-store, with what it leaves behind removed: `remove` aborts the multipart upload and deletes the object and
 * its `.info`, but not the `.part` holding bytes short of a part (S3's parts are 5 MiB at least, so a 400 KB PATCH
 * waits there), and after completion the abort fails (the upload is no longer in progress) before anything is
 * deleted. `discard` deletes all three objects one by one: DeleteObjects needs a checksum header that several
 * S3-compatible servers still want as Content-MD5.
 */
export class BucketUploads extends S3Store {
  constructor(
    private readonly target: UploadsBucket,
    private readonly prefix: string,
  ) {
    super({
      s3ClientConfig: { ...target.config, bucket: target.bucket },
      expirationPeriodInMilliseconds: EXPIRY_MS,
    });
  }

  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } finally {
      await this.discard(id);
    }
  }

  async discard(id: string): Promise<void> {
    for (const key of [id, this.infoKey(id), this.partKey(id, true)])
      await this.target.client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: key }));
    await this.clearCache(id);
  }

  /** Uploads with anything left in the bucket (an object, its `.info` or its `.part`). */
  async pending(): Promise<string[]> {
    const ids = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.target.client.send(
        new ListObjectsV2Command({ Bucket: this.target.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) ids.add(o.Key!.slice(this.prefix.length).replace(/\.(info|part)$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...ids].sort();
  }
}
