import { createReadStream, mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { Logger } from '../core/logger.js';
import type { Actor } from '../http/access.js';
import { Problem } from '../http/problem.js';
import type { EvidenceService } from './service.js';
import { COLLECTION_METHODS } from './schema.js';

export const TUS_PATH = '/api/evidence/uploads';

// @tus/file-store 2 creates its directory with a callback-style mkdir that throws from its callback: when the directory
// is removed before that callback runs (a short-lived platform's temporary directory, with libuv's threads busy), the
// process dies of an uncaught exception. TusUploads creates the directory synchronously before the store instead.
(FileStore.prototype as unknown as { checkOrCreateDirectory(): void }).checkOrCreateDirectory = () => undefined;

/** Incomplete uploads are dropped after this long (and their partial files with them). */
const EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * Resumable uploads (tus 1.0). Partial files live in the data directory's `uploads/`, never in the vault; a finished
 * upload is ingested (hashed, checked, kept content-addressed) and its partial file removed, whatever the outcome.
 * Each upload belongs to the account that created it: another account is told it does not exist.
 */
export class TusUploads {
  readonly server: Server;
  private readonly actors = new WeakMap<Request, Actor>();
  private readonly store: FileStore;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly evidence: EvidenceService,
    directory: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    this.store = new FileStore({ directory, expirationPeriodInMilliseconds: EXPIRY_MS });
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      relativeLocation: true,
      maxSize: () => evidence.limits.maxBytes,
      onUploadCreate: (req, upload) => this.onCreate(req, upload),
      onUploadFinish: (req, upload) => this.onFinish(req, upload),
    });
  }

  /** Hands a tus request over, as `actor`, after checking that an existing upload is theirs. */
  async handle(req: Request, actor: Actor, uploadId?: string): Promise<Response> {
    if (uploadId !== undefined) {
      let upload: Upload | undefined;
      try {
        upload = await this.store.getUpload(uploadId);
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
    const file = path.join(this.store.directory, upload.id);
    try {
      if (!actor || meta.owner !== actor.userId) throw tusError(404, 'No such upload.');
      const result = await this.evidence.ingest(actor, {
        body: createReadStream(file, { highWaterMark: 1024 * 1024 }),
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
      await this.store.remove(upload.id).catch(() => undefined);
    }
  }

  /** Partial uploads waiting on disk (tests prove an abort leaves none). */
  async pending(): Promise<string[]> {
    const names = await readdir(this.store.directory);
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
