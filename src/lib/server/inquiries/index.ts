import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { InquiriesRepository } from './repository.js';
import { inquiriesRoutes } from './routes.js';
import { InquiriesService, type VisibleRecordIds } from './service.js';

export { InquiriesService, statusOf, type VisibleRecordIds } from './service.js';
export * from './schema.js';

export interface InquiriesModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** The records module's visibility filter: every record id this module returns goes through it. */
  visibleRecordIds: VisibleRecordIds;
  clock?: () => Date;
}

export function createInquiriesModule(deps: InquiriesModuleDeps): { service: InquiriesService; api: ApiModule } {
  const service = new InquiriesService({
    db: deps.db,
    repo: new InquiriesRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    visibleRecordIds: deps.visibleRecordIds,
    clock: deps.clock,
  });
  return { service, api: { router: inquiriesRoutes(service) } };
}
