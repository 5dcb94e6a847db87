import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { RecordsRepository } from './repository.js';
import { recordsRoutes } from './routes.js';
import { RecordsService, type RecordsServiceDeps } from './service.js';

export { RecordsService, scopeOf, diff } from './service.js';
export {
  createRecordsBulk,
  type RecordsBulk,
  type BulkRow,
  type BulkFields,
  type BulkField,
  type BulkOutcome,
} from './bulk.js';
export * from './schema.js';

export interface RecordsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  places: RecordsServiceDeps['places'];
  rights: RecordsServiceDeps['rights'];
  knownUsers: RecordsServiceDeps['knownUsers'];
  knownGroups: RecordsServiceDeps['knownGroups'];
  groupsOf: RecordsServiceDeps['groupsOf'];
}

export function createRecordsModule(deps: RecordsModuleDeps): { service: RecordsService; api: ApiModule } {
  const service = new RecordsService({
    db: deps.db,
    repo: new RecordsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    places: deps.places,
    rights: deps.rights,
    knownUsers: deps.knownUsers,
    knownGroups: deps.knownGroups,
    groupsOf: deps.groupsOf,
  });
  return { service, api: { router: recordsRoutes(service) } };
}
