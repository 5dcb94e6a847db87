import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../core/logger.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { BlobStore } from '../storage/index.js';
import { ExportService, type ExportServiceDeps } from './export.js';
import { TransferRepository } from './repository.js';
import { STREAMED_UPLOADS, transferRoutes } from './routes.js';
import { ImportService, type ImportServiceDeps } from './service.js';

export { ImportService } from './service.js';
export { ExportService } from './export.js';
export * from './schema.js';

export interface TransferModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  blobs: BlobStore;
  logger: Logger;
  bulk: ImportServiceDeps['bulk'];
  records: ExportServiceDeps['records'];
  places: ImportServiceDeps['places'];
  rights: ImportServiceDeps['rights'];
  batchSize?: number;
  bulkWrites?: ImportServiceDeps['bulkWrites'];
}

/** CSV import of records and export of searches (issue 3). */
export function createTransferModule(deps: TransferModuleDeps): {
  imports: ImportService;
  exports: ExportService;
  api: ApiModule;
} {
  const imports = new ImportService({
    repo: new TransferRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    blobs: deps.blobs,
    bulk: deps.bulk,
    places: deps.places,
    rights: deps.rights,
    logger: deps.logger,
    batchSize: deps.batchSize,
    bulkWrites: deps.bulkWrites,
  });
  const exports = new ExportService({
    records: deps.records,
    bulk: deps.bulk,
    places: deps.places,
    rights: deps.rights,
  });
  return { imports, exports, api: { router: transferRoutes(imports, exports), streamedBodies: STREAMED_UPLOADS } };
}
