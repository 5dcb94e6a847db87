import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { VisibleRecordIds } from '../inquiries/index.js';
import { SourcesRepository } from './repository.js';
import { sourcesRoutes } from './routes.js';
import { SourcesService, type SourceIndex } from './service.js';

export { SourcesService, type SourceIndex } from './service.js';
export * from './schema.js';

export interface SourcesModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The records module's visibility filter: every record id this module returns goes through it. */
  visibleRecordIds: VisibleRecordIds;
  index?: SourceIndex;
}

export function createSourcesModule(deps: SourcesModuleDeps): { service: SourcesService; api: ApiModule } {
  const service = new SourcesService({
    db: deps.db,
    repo: new SourcesRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    visibleRecordIds: deps.visibleRecordIds,
    ...(deps.index ? { index: deps.index } : {}),
  });
  return { service, api: { router: sourcesRoutes(service) } };
}
