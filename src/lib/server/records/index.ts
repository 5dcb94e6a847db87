import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import { RecordsRepository } from './repository.js';
import { RecordsService } from './service.js';

export { RecordsService } from './service.js';
export * from './schema.js';

export interface RecordsModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
}

export function createRecordsModule(deps: RecordsModuleDeps): { service: RecordsService } {
  const service = new RecordsService({
    db: deps.db,
    repo: new RecordsRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
  });
  return { service };
}
