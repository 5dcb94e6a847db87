import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { RightsRepository } from './repository.js';
import { rightsRoutes } from './routes.js';
import { RightsService, type RightUsageCounter } from './service.js';

export { RightsService, countsNothing, type RightUsageCounter } from './service.js';
export * from './schema.js';

export interface RightsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Counts the records that cite a right; the records module will provide it. Default: counts nothing. */
  usage?: RightUsageCounter;
}

export function createRightsModule(deps: RightsModuleDeps): { service: RightsService; api: ApiModule } {
  const service = new RightsService({
    db: deps.db,
    repo: new RightsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    usage: deps.usage,
  });
  return { service, api: { router: rightsRoutes(service) } };
}
