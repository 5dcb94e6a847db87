import path from 'node:path';
import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../core/logger.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { Actor } from '../http/access.js';
import type { JobRunner } from '../jobs/index.js';
import type { BlobStore } from '../storage/index.js';
import { EvidenceRepository } from './repository.js';
import { evidenceRoutes, STREAMED_EVIDENCE } from './routes.js';
import {
  DEFAULT_LIMITS,
  DERIVATIVES_JOB,
  EvidenceService,
  type EvidenceLimits,
  type VisibleRecordIds,
} from './service.js';
import { BUCKET_PREFIX, TusUploads } from './tus.js';
import type { BucketUploads, UploadsBucket } from './tus-s3.js';

export { EvidenceService, DEFAULT_LIMITS, fileUrl, type EvidenceLimits } from './service.js';
export { TusUploads, TUS_PATH } from './tus.js';
export type { BucketUploads, UploadsBucket } from './tus-s3.js';
export { exportBundle, verifyBundle, type BundleVerification } from './bundle.js';
export { DERIVATIVE_SIZES, DERIVATIVE_FORMATS, type DerivativeKind, type DerivativeFormat } from './images.js';
export * from './schema.js';

export interface EvidenceModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The vault's own store (content-addressed originals, derivatives, redactions). */
  blobs: BlobStore;
  /** Where partial resumable uploads wait (inside the data directory). */
  uploadsDir: string;
  /** When files are kept in S3-compatible storage: partial uploads wait in the bucket instead (`openBucketUploads`). */
  uploadsBucket?: BucketUploads | undefined;
  jobs: JobRunner;
  logger: Logger;
  limits?: Partial<EvidenceLimits>;
  visibleRecordIds: VisibleRecordIds;
  sourceVisible: (actor: Actor | null, id: string) => Promise<boolean>;
  photoCodesOf?: (evidenceIds: string[]) => Promise<Map<string, string>>;
}

/** Partial uploads in the bucket, under `uploads/` (@tus/s3-store is loaded only when files are kept in S3). */
export async function openBucketUploads(target: UploadsBucket): Promise<BucketUploads> {
  const { BucketUploads } = await import('./tus-s3.js');
  return new BucketUploads(target, BUCKET_PREFIX);
}

export function createEvidenceModule(deps: EvidenceModuleDeps): {
  service: EvidenceService;
  tus: TusUploads;
  api: ApiModule;
} {
  const service = new EvidenceService({
    db: deps.db,
    repo: new EvidenceRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    blobs: deps.blobs,
    jobs: deps.jobs,
    logger: deps.logger,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    visibleRecordIds: deps.visibleRecordIds,
    sourceVisible: deps.sourceVisible,
    photoCodesOf: deps.photoCodesOf,
  });
  deps.jobs.register(DERIVATIVES_JOB, (payload, ctx) =>
    service.makeDerivatives(payload as { itemId: string; variant: string }, ctx.attempt),
  );
  const tus = new TusUploads(service, path.resolve(deps.uploadsDir), deps.logger, deps.uploadsBucket);
  return { service, tus, api: { router: evidenceRoutes(service, tus), streamedBodies: STREAMED_EVIDENCE } };
}
