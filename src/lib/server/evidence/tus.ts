import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { FileStore } from '@tus/file-store';
import { Server, type DataStore, type ServerOptions, type Upload } from '@tus/server';
import type { Logger } from '../core/logger.js';
import type { Actor } from '../http/access.js';
import { Problem } from '../http/problem.js';
import type { EvidenceService } from './service.js';
import type { BucketUploads } from './tus-s3.js';
import { COLLECTION_METHODS } from './schema.js';

export const TUS_PATH = '/api/evidence/uploads';

// @tus/file-store 2 creates its directory with a callback-style mkdir that throws from its callback: when the directory
// is removed before that callback runs (a short-lived platform's temporary directory, with libuv's threads busy), the
// process dies of an uncaught exception. TusUploads creates the directory synchronously before the store instead.
(FileStore.prototype as unknown as { checkOrCreateDirectory(): void }).checkOrCreateDirectory = () => undefined;

/** Incomplete uploads are dropped after this long (and their partial files with them). */
export const EXPIRY_MS = 24 * 60 * 60 * 1000;

/** Partial uploads in a bucket wait under this prefix, never beside the vault's files. */
export const BUCKET_PREFIX = 'uploads/';
/**
 * The part a client should send per PATCH. @tus/s3-store keeps a part under S3's 5 MiB minimum as a pending `.part`
 * object, which each later PATCH downloads, prepends and uploads again until it reaches 5 MiB: parts of exactly that
 * size go straight into the multipart upload. On disk a part is appended as it streams in, so a smaller part only
 * costs a request and loses less of a failing connection. Both stay under adapter-node's BODY_SIZE_LIMIT (10M by
 * default in `corridor serve`).
 */
export const PART_SIZE = { bucket: 5 * 1024 * 1024, disk: 1024 * 1024 } as const;

/** The id tus makes for an upload (16 random bytes, hex): the only form accepted in a URL for a bucket's uploads. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * Resumable uploads (tus 1.0). Partial files live in the data directory's `uploads/` (or the bucket's `uploads/`
 * prefix when files are kept in S3-compatible storage), never in the vault; a finished upload is read back as a
 * stream and ingested (hashed, checked, kept content-addressed) like any other, and its partial file removed,
 * whatever the outcome. Each upload belongs to the account that created it: another account is told it does not
 * exist.
 */
export class TusUploads {
  readonly server: Server;
  private readonly actors = new WeakMap<Request, Actor>();
  private readonly store: FileStore | BucketUploads;
  private readonly bucket: BucketUploads | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly evidence: EvidenceService,
    private readonly directory: string,
    private readonly logger: Logger,
    /** The bucket's uploads (`openBucketUploads`), when files are kept in S3-compatible storage. */
    bucket?: BucketUploads,
  ) {
    let options: Partial<ServerOptions> = {};
    this.bucket = bucket;
    if (bucket) {
      this.store = bucket;
      // The upload's key carries the prefix; its URL does not (a slash in an id would not survive the URL).
      options = {
        namingFunction: () => BUCKET_PREFIX + randomBytes(16).toString('hex'),
        generateUrl: (_req, { path, id }) => `${path}/${id.slice(BUCKET_PREFIX.length)}`,
        getFileIdFromRequest: (_req, last) => (last && UPLOAD_ID.test(last) ? BUCKET_PREFIX + last : undefined),
      };
    } else {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      this.store = new FileStore({ directory, expirationPeriodInMilliseconds: EXPIRY_MS });
    }
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store as DataStore,
      relativeLocation: true,
      maxSize: () => evidence.limits.maxBytes,
      onUploadCreate: (req, upload) => this.onCreate(req, upload),
      onUploadFinish: (req, upload) => this.onFinish(req, upload),
      ...options,
    });
  }

  /** The PATCH part size clients should use with this store (`PART_SIZE`). */
  get partSize(): number {
    return this.bucket ? PART_SIZE.bucket : PART_SIZE.disk;
  }

  /** The store's id of an upload named in a URL (undefined for a name no upload can have). */
  private storeId(uploadId: string): string | undefined {
    if (!this.bucket) return uploadId;
    return UPLOAD_ID.test(uploadId) ? BUCKET_PREFIX + uploadId : undefined;
  }

  /** Hands a tus request over, as `actor`, after checking that an existing upload is theirs. */
  async handle(req: Request, actor: Actor, uploadId?: string): Promise<Response> {
    if (uploadId !== undefined) {
      let upload: Upload | undefined;
      const id = this.storeId(uploadId);
      try {
        upload = id === undefined ? undefined : await this.store.getUpload(id);
      } catch {
        upload = undefined;
      }
      if (!upload || upload.metadata?.owner !== actor.userId)
        return new Problem(404, 'not-found', 'No such upload.').toResponse();
    }
    this.actors.set(req, actor);
    return this.server.handleWeb(req);
  }

  private onCreate(req: Request, upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
    const actor = this.actors.get(req);
    if (!actor) return Promise.reject(tusError(401, 'Sign in first.'));
    const meta = upload.metadata ?? {};
    try {
      this.evidence.checkName(meta.filename ?? '');
    } catch (err) {
      return Promise.reject(err instanceof Problem ? tusProblem(err) : err);
    }
    if (meta.method && !(COLLECTION_METHODS as readonly string[]).includes(meta.method))
      return Promise.reject(tusError(422, 'Unknown collection method.'));
    if (upload.size === undefined) return Promise.reject(tusError(422, 'Declare the upload length.'));
    return Promise.resolve({ metadata: { ...meta, owner: actor.userId } });
  }

  private async onFinish(req: Request, upload: Upload) {
    const actor = this.actors.get(req);
    const meta = upload.metadata ?? {};
    try {
      if (!actor || meta.owner !== actor.userId) throw tusError(404, 'No such upload.');
      const result = await this.evidence.ingest(actor, {
        // The finished upload as a stream, from disk or from the bucket alike: ingest hashes it on the way in.
        body: await this.store.read(upload.id),
        filename: meta.filename ?? '',
        title: meta.title ?? undefined,
        method: (meta.method as (typeof COLLECTION_METHODS)[number] | null) ?? 'upload',
        origin: meta.origin ?? undefined,
        tool: meta.tool ?? undefined,
      });
      return {
        status_code: 200,
        headers: {
          'Content-Type': 'application/json',
          'Evidence-Id': result.item.id,
          'Evidence-Code': result.item.code,
        },
        body: JSON.stringify(result),
      };
    } catch (err) {
      if (err instanceof Problem) throw tusProblem(err);
      this.logger.error({ err }, 'ingest of a finished upload failed');
      throw tusError(500, 'The upload could not be kept.');
    } finally {
      // The partial file is never the evidentiary copy: it goes, whatever happened.
      await (this.bucket ? this.bucket.discard(upload.id) : this.store.remove(upload.id)).catch((err: unknown) =>
        this.logger.warn({ err, upload: upload.id }, 'a finished upload could not be removed'),
      );
    }
  }

  /** Partial uploads waiting, on disk or in the bucket (tests prove an abort leaves none). */
  async pending(): Promise<string[]> {
    if (this.bucket) return this.bucket.pending();
    const names = await readdir(this.directory);
    return names.filter((n) => !n.endsWith('.json'));
  }

  /** Drops expired incomplete uploads now and then; returns how many went. */
  async sweep(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }

  startSweeping(everyMs = 60 * 60 * 1000): void {
    this.sweeper ??= setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'upload sweep failed'));
    }, everyMs);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

const tusError = (status_code: number, detail: string) => tusProblem(new Problem(status_code, 'upload', detail));

function tusProblem(p: Problem): { status_code: number; body: string } {
  return { status_code: p.status, body: JSON.stringify(p.body()) };
}
