import type { AuditLog } from '../audit/index.js';
import type { Db, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { GroupsRepository } from './repository.js';
import { groupsRoutes } from './routes.js';
import { GroupsService, type GroupsServiceDeps } from './service.js';

export { GroupsService } from './service.js';
export * from './schema.js';

export interface GroupsModuleDeps {
  db: Db;
  uow: UnitOfWork;
  audit: AuditLog;
  knownUsers: GroupsServiceDeps['knownUsers'];
}

export function createGroupsModule(deps: GroupsModuleDeps): { service: GroupsService; api: ApiModule } {
  const service = new GroupsService({
    repo: new GroupsRepository(deps.db),
    uow: deps.uow,
    audit: deps.audit,
    knownUsers: deps.knownUsers,
  });
  return { service, api: { router: groupsRoutes(service) } };
}
