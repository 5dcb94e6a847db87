import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../core/logger.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { BlobStore } from '../storage/index.js';
import type { BuildDeps } from './build.js';
import { ReportsRepository } from './repository.js';
import { reportsRoutes } from './routes.js';
import { ReportsService } from './service.js';

export { ReportsService, type BuildStage, type ProgressListener } from './service.js';
export { type CrisisReader, type EditionContributor, shortfallWording } from './build.js';
export { editionTypst } from './pdf.js';
export * from './schema.js';

export interface ReportsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The module's own blob store: edition content and PDFs, by SHA-256. */
  blobs: BlobStore;
  logger: Logger;
  /** The crisis module's public reads; null where no crisis module is wired (editions then have no counters). */
  crisis: BuildDeps['crisis'];
  records: BuildDeps['records'];
  sources: BuildDeps['sources'];
  rights: BuildDeps['rights'];
  places: BuildDeps['places'];
}

/** Reports and their editions (issue 6): web, PDF and share cards, built from the data, frozen when published. */
export function createReportsModule(deps: ReportsModuleDeps): { service: ReportsService; api: ApiModule } {
  const service = new ReportsService({
    db: deps.db,
    repo: new ReportsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    blobs: deps.blobs,
    logger: deps.logger,
    crisis: deps.crisis,
    records: deps.records,
    sources: deps.sources,
    rights: deps.rights,
    places: deps.places,
  });
  return { service, api: { router: reportsRoutes(service) } };
}
